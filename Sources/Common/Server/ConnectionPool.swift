public import Core
public import Inbound
import NIOConcurrencyHelpers

/// The bounded pool of PostgreSQL connections `ml-connector-server`'s requests share (DESIGN.md §5.3): at most
/// `capacity` open, opened lazily, checked (`isReusable`) on checkout and dropped when broken, discarded after a
/// failed request, so a failed request never leaves a transaction, session state or a lock for the next one.
///
/// The server runs its handler calls on exactly `capacity` threads, each holding at most one connection at a time,
/// so a checkout never finds the pool empty; the bounded wait is the wait for a thread (`HandlerExecutor`).
///
/// `@unchecked Sendable`: the lock guards the idle list and the count; a connection checked out belongs to the one
/// thread that holds it until it is released or discarded.
public final class ConnectionPool: DatabaseSource, @unchecked Sendable {
    /// All `capacity` connections are in use (only when more threads than connections ask).
    public struct Exhausted: Error, CustomStringConvertible {
        public var description: String { "every pooled PostgreSQL connection is in use" }
    }

    public let capacity: Int
    private let connect: @Sendable () throws -> PostgresConnection
    private let lock = NIOLock()
    private var idle: [PostgresConnection] = []
    /// Open connections, idle or checked out.
    private var open = 0

    public init(capacity: Int, connect: @escaping @Sendable () throws -> PostgresConnection) {
        self.capacity = capacity
        self.connect = connect
    }

    public func connection() throws -> PostgresConnection {
        while let candidate = takeIdle() {
            if candidate.isReusable { return candidate }
            forget()  // broken while idle (server restarted, connection cut): closed when released here
        }
        try lock.withLock {
            guard open < capacity else { throw Exhausted() }
            open += 1
        }
        do {
            return try connect()
        } catch {
            forget()
            throw error
        }
    }

    public func release(_ connection: PostgresConnection) {
        guard connection.isReusable else { return forget() }
        lock.withLock { idle.append(connection) }
    }

    public func discard(_ connection: PostgresConnection) {
        forget()
    }

    private func takeIdle() -> PostgresConnection? {
        lock.withLock { idle.popLast() }
    }

    /// One connection fewer (the caller drops the last reference, which closes it).
    private func forget() {
        lock.withLock { open -= 1 }
    }
}
