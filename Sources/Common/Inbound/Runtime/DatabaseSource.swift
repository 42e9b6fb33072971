public import Core

/// Where a handler's requests get their PostgreSQL connection (DESIGN.md §5.3): a new one for the one request of a
/// CGI process (`OpenPerRequest`), one kept for the life of a long-running process (`KeptConnection`), or a pool's
/// (`ml-connector-server`). `HandlerChecks.serve` takes a connection for each request that passes the checks which
/// need none, gives it back when the request is answered, and discards it when the request failed, so a failed
/// request never leaves a transaction, session state or a lock behind for the next one.
public protocol DatabaseSource: AnyObject {
    /// A connection for one request, checked before use (re-opened when the kept one is broken).
    func connection() throws -> PostgresConnection
    /// The request is done with it.
    func release(_ connection: PostgresConnection)
    /// The request failed with it: it is not used again.
    func discard(_ connection: PostgresConnection)
}

/// One new connection per request: the CGI and one-function-event modes, whose process serves one request.
public final class OpenPerRequest: DatabaseSource {
    private let connect: () throws -> PostgresConnection

    public init(connect: @escaping () throws -> PostgresConnection) { self.connect = connect }

    public func connection() throws -> PostgresConnection { try connect() }
    public func release(_ connection: PostgresConnection) {}
    public func discard(_ connection: PostgresConnection) {}
}

/// One connection kept for the life of the process (FastCGI, the Lambda runtime loop): reused while it is open and
/// idle, re-opened when it broke or a request failed on it.
public final class KeptConnection: DatabaseSource {
    private let connect: () throws -> PostgresConnection
    private var kept: PostgresConnection?

    public init(connect: @escaping () throws -> PostgresConnection) { self.connect = connect }

    public func connection() throws -> PostgresConnection {
        if let kept, kept.isReusable { return kept }
        kept = nil
        let opened = try connect()
        kept = opened
        return opened
    }

    public func release(_ connection: PostgresConnection) {
        if !connection.isReusable { kept = nil }
    }

    public func discard(_ connection: PostgresConnection) {
        if kept === connection { kept = nil }
    }
}
