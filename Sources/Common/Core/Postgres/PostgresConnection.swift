import CLibPQ
import Glibc

/// One libpq connection, owned by this object and closed in `deinit`.
///
/// Synchronous by design: the handlers serve one request and exit, and the job runner works one job at a time.
/// Only parameterised statements (`query`, built as `SQL`) take values; `execute` is for constant SQL (migrations,
/// transaction control).
public final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects with a libpq connection string or URI. `connectTimeout` is in seconds.
    public init(url: String, applicationName: String = "ml-connector", connectTimeout: Int = 5) throws(PostgresError) {
        let keywords = ["dbname", "application_name", "connect_timeout", "client_encoding"]
        let values = [url, applicationName, String(connectTimeout), "UTF8"]
        let password = Self.password(in: url)
        let connection: OpaquePointer? = withCStringArray(keywords) { keys in
            withCStringArray(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw PostgresError(kind: .connection, serverMessage: "out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            var message = String(cString: PQerrorMessage(connection)).trimmingCharacters()
            if let password, !password.isEmpty {
                message = message.replacing(password, with: "***")
            }
            PQfinish(connection)
            throw PostgresError(kind: .connection, serverMessage: message)
        }
        handle = connection
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Runs one parameterised statement; its values travel as text-format parameters, never as SQL text.
    @discardableResult
    public func query(_ statement: SQL) throws(PostgresError) -> PostgresResult {
        let texts = statement.parameters
        let result: OpaquePointer? = withOptionalCStringArray(texts) { values in
            PQexecParams(handle, statement.text, Int32(texts.count), nil, values, nil, nil, 0)
        }
        return try PostgresResult.checked(result, connection: handle)
    }

    /// Runs constant SQL, possibly several statements (no parameters).
    public func execute(_ sql: String) throws(PostgresError) {
        _ = try PostgresResult.checked(PQexec(handle, sql), connection: handle)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            if PQtransactionStatus(handle) != PQTRANS_IDLE { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Whether the connection can serve another request as it is: open, and outside any transaction.
    public var isReusable: Bool { PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE }

    /// The file descriptor of the server connection, for waiting on notifications.
    public var socket: Int32 { PQsocket(handle) }

    /// Reads pending input and returns the notifications that arrived (channel, payload).
    public func drainNotifications() -> [(channel: String, payload: String)] {
        _ = PQconsumeInput(handle)
        var received: [(String, String)] = []
        while let notify = PQnotifies(handle) {
            received.append((String(cString: notify.pointee.relname), String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        return received
    }

    /// The password a connection string or URI carries, so error messages can be scrubbed of it.
    private static func password(in url: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if String(cString: keyword) == "password", let value = cursor.pointee.val {
                return String(cString: value)
            }
            cursor += 1
        }
        return nil
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStringArray(strings) { pointers in body(pointers) }
}

/// Calls `body` with a NULL-terminated array of C strings; nil entries become NULL pointers.
private func withOptionalCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicated: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { duplicated.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicated.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
