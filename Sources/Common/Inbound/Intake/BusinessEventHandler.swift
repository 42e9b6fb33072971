public import Core
public import Logging
import Domain

/// Answers one F&O business-event delivery (DESIGN.md §5.1): method, size, key, content type, JSON, then one
/// transaction that stores, queues and audits. Nothing is acknowledged before it is committed.
public struct BusinessEventHandler {
    private let database: any DatabaseSource
    private let logger: Logger

    /// The database is asked for a connection only once the request has passed the checks that need none.
    public init(logger: Logger, database: any DatabaseSource) {
        self.logger = logger
        self.database = database
    }

    public func handle(_ request: InboundRequest) -> InboundResponse {
        HandlerChecks.serve(request, logger: logger, failure: "event intake failed", database: database) { name, db in
            let store = BusinessEventStore(db)
            let found = try store.intakeTarget(name: name)
            guard EventKey.verify(request.queryValue("code"), against: found?.eventKeyHash), let target = found else {
                // Before authentication: counted, not audited one row each (anyone can send these at any rate).
                try RefusalStore(db).count(connection: found == nil ? nil : name, handler: "business-event", status: 401)
                logger.info("request refused", metadata: ["status": "401", "reason": "\(found == nil ? "unknown connection" : "missing or wrong event key")"])
                return .error(401, "unauthorized")
            }
            if let type = request.mediaType, type != "application/json" {
                reject(415, "content type \(type.prefix(100)) is not JSON", connection: name, db: db)
                return .error(415, "content type must be application/json")
            }
            let events: [BusinessEvent]
            do throws(EventValidationError) {
                events = try BusinessEvent.parseBatch(request.body)
            } catch {
                reject(400, error.message, connection: name, db: db)
                return .error(400, error.message)
            }
            let counts: IntakeCounts
            do {
                counts = try store.store(events, for: target)
            } catch let error as PostgresError where error.isDataException {
                // A value PostgreSQL refuses would be refused again on every retry: a 400, not a 503.
                reject(400, "PostgreSQL refused a value (SQLSTATE \(error.sqlState ?? "22000"))", connection: name, db: db)
                return .error(400, "the event holds a value that cannot be stored")
            }
            logger.info("events stored", metadata: ["connection": "\(name)", "accepted": "\(counts.accepted)",
                                                    "duplicates": "\(counts.duplicates)", "ignored": "\(counts.ignored)"])
            return .json(counts.storedAny ? 202 : 200, counts.json)
        }
    }

    /// Audits a refused authenticated request; a failure to audit is logged, not answered differently.
    private func reject(_ status: Int, _ reason: String, connection: String?, db: PostgresConnection) {
        do {
            try AuditStore(db).record(AuditEntry(action: "request.rejected", outcome: .error, connection: connection,
                                               detail: "\(status): \(reason)"))
        } catch {
            logger.warning("could not audit a refused request", metadata: ["error": "\(error)"])
        }
        logger.info("request refused", metadata: ["status": "\(status)", "reason": "\(reason)"])
    }
}
