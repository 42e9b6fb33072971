public import Core
public import Logging
import Domain

/// The first steps every HTTP handler takes, in the contract's order (DESIGN.md §5): method, size, database.
public enum HandlerChecks {
    /// 405 for anything but POST, 413 for a body over 1 MiB (never read); nil when the request may go on.
    static func refusal(_ request: InboundRequest) -> InboundResponse? {
        guard request.method == "POST" else { return .error(405, "method not allowed", headers: [("Allow", "POST")]) }
        guard !request.bodyTooLarge else { return .error(413, "request body larger than 1 MiB") }
        return nil
    }

    /// The steps every handler shares, in the contract's order: the checks that need no database (405, 413),
    /// then the database (503 when it cannot be reached), then `body` with the connection name and the database.
    /// Whatever `body` throws is logged with `failure` and answered 503, so the sender tries again; the connection
    /// it failed on is discarded (a long-running process opens a fresh one for the next request).
    public static func serve(_ request: InboundRequest, logger: Logger, failure: String, database: any DatabaseSource,
                             _ body: (_ connectionName: String, PostgresConnection) throws -> InboundResponse) -> InboundResponse {
        if let refusal = refusal(request) { return refusal }
        let name = request.connectionName
        let db: PostgresConnection
        do {
            db = try database.connection()
        } catch {
            logger.error("database unavailable", metadata: ["error": "\(error)"])
            return serviceUnavailable
        }
        do {
            let response = try body(name, db)
            database.release(db)
            return response
        } catch {
            database.discard(db)
            logger.error("\(failure)", metadata: ["connection": "\(name)", "error": "\(error)"])
            return serviceUnavailable
        }
    }

    /// 503 with `Retry-After`, so the sender (F&O, Slack) tries again.
    public static let serviceUnavailable = InboundResponse.error(503, "service unavailable", headers: [("Retry-After", "5")])
}
