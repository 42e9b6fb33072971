public import Core
public import Logging
public import Domain

/// The first steps every HTTP handler takes, in the contract's order (DESIGN.md §5): method, size, database.
public enum HandlerChecks {
    /// 405 for anything but POST, 413 for a body over 1 MiB (never read); nil when the request may go on.
    public static func refusal(_ request: InboundRequest) -> InboundResponse? {
        guard request.method == "POST" else { return .error(405, "method not allowed", headers: [("Allow", "POST")]) }
        guard !request.bodyTooLarge else { return .error(413, "request body larger than 1 MiB") }
        return nil
    }

    /// The database connection, or nil (logged) when PostgreSQL cannot be reached: answer `serviceUnavailable`.
    public static func database(_ connect: () throws -> PostgresConnection, logger: Logger) -> PostgresConnection? {
        do {
            return try connect()
        } catch {
            logger.error("database unavailable", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// 503 with `Retry-After`, so the sender (F&O, Slack) tries again.
    public static let serviceUnavailable = InboundResponse.error(503, "service unavailable", headers: [("Retry-After", "5")])
}
