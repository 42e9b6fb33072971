public import Core
public import Inbound
import Interactions
public import Logging
import NIOConcurrencyHelpers
public import NIOPosix

/// Runs the handlers' blocking work (libpq, libcurl) on a bounded pool of threads, never on an event loop: one thread
/// per pooled PostgreSQL connection. A request that waited longer than `queueLimit` for a thread is answered 503 with
/// `Retry-After` before it touches anything, so an overloaded server sheds load instead of answering Slack too late.
public final class HandlerExecutor: Sendable {
    private let threads: NIOThreadPool
    private let database: ConnectionPool
    private let box: SecretBox
    private let logger: Logger
    private let queueLimit: Duration

    /// `threads` must have as many threads as `database` has connections.
    public init(threads: NIOThreadPool, database: ConnectionPool, box: SecretBox, logger: Logger, queueLimit: Duration = .seconds(2)) {
        self.threads = threads
        self.database = database
        self.box = box
        self.logger = logger
        self.queueLimit = queueLimit
    }

    /// The answer of the endpoint's handler — the same `handle` as in every other serving mode.
    public func answer(_ endpoint: ServerRoute.Endpoint, _ request: InboundRequest) async -> InboundResponse {
        let arrived = ContinuousClock.now
        let (database, box, logger, queueLimit) = (database, box, logger, queueLimit)
        do {
            return try await threads.runIfActive {
                guard arrived.duration(to: .now) < queueLimit else {
                    logger.warning("request waited too long for a handler thread", metadata: ["endpoint": "\(endpoint.rawValue)"])
                    return HandlerChecks.serviceUnavailable
                }
                switch endpoint {
                case .events: return BusinessEventHandler(logger: logger, database: database).handle(request)
                case .slack: return SlackInteractionHandler(box: box, logger: logger, database: database).handle(request)
                }
            }
        } catch {
            return HandlerChecks.serviceUnavailable  // the pool is shutting down
        }
    }

    /// Whether PostgreSQL answers `SELECT 1` on a pooled connection within `limit`. The answer does not wait longer
    /// than that, even when the database hangs (the thread then stays with it until libpq returns).
    public func databaseAnswers(within limit: Duration) async -> Bool {
        let database = database
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.set(continuation)
            threads.submit { state in
                guard case .active = state else { return first.give(false) }
                do {
                    let db = try database.connection()
                    do {
                        try db.execute("SELECT 1")
                        database.release(db)
                        first.give(true)
                    } catch {
                        database.discard(db)
                        first.give(false)
                    }
                } catch {
                    first.give(false)
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                first.give(false)
            }
        }
    }
}

/// The health check's answer: whichever of the check and its time limit comes first.
private final class FirstAnswer: Sendable {
    private let continuation = NIOLockedValueBox<CheckedContinuation<Bool, Never>?>(nil)

    func set(_ waiting: CheckedContinuation<Bool, Never>) {
        continuation.withLockedValue { $0 = waiting }
    }

    func give(_ answer: Bool) {
        continuation.withLockedValue { waiting in
            waiting?.resume(returning: answer)
            waiting = nil
        }
    }
}
