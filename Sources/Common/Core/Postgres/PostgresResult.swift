import CLibPQ
public import FoundationEssentials

/// The rows of one statement, owning the `PGresult` (cleared in `deinit`). Values are read in text form and
/// converted explicitly; a failed conversion throws.
public final class PostgresResult {
    private let handle: OpaquePointer
    public let rowCount: Int
    private let columns: [String: Int32]

    private init(handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
        var columns: [String: Int32] = [:]
        for index in 0..<PQnfields(handle) {
            columns[String(cString: PQfname(handle, index))] = index
        }
        self.columns = columns
    }

    deinit { PQclear(handle) }

    static func checked(_ result: OpaquePointer?, connection: OpaquePointer) throws(PostgresError) -> PostgresResult {
        guard let result else {
            throw PostgresError(kind: .protocolFailure, serverMessage: String(cString: PQerrorMessage(connection)))
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            func field(_ code: Int32) -> String? {
                guard let value = PQresultErrorField(result, code) else { return nil }
                return String(cString: value)
            }
            let sqlState = field(Int32(UInt8(ascii: "C")))
            let message = field(Int32(UInt8(ascii: "M"))) ?? ""
            let constraint = field(Int32(UInt8(ascii: "n")))
            PQclear(result)
            let connectionBroken = PQstatus(connection) != CONNECTION_OK
            throw PostgresError(
                kind: connectionBroken && sqlState == nil ? .protocolFailure : .statement,
                sqlState: sqlState, serverMessage: message, constraint: constraint)
        }
        return PostgresResult(handle: result)
    }

    /// Number of rows an INSERT/UPDATE/DELETE touched.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    public var rows: [PostgresRow] { (0..<rowCount).map { PostgresRow(result: self, index: Int32($0)) } }

    public var first: PostgresRow? { rowCount > 0 ? PostgresRow(result: self, index: 0) : nil }

    func text(row: Int32, column name: String) throws(PostgresError) -> String? {
        guard let column = columns[name] else {
            throw PostgresError(kind: .conversion, serverMessage: "no column \(name)")
        }
        if PQgetisnull(handle, row, column) == 1 { return nil }
        return String(cString: PQgetvalue(handle, row, column))
    }
}

/// One row of a `PostgresResult`; keeps the result alive.
public struct PostgresRow {
    let result: PostgresResult
    let index: Int32

    public func optionalString(_ column: String) throws(PostgresError) -> String? {
        try result.text(row: index, column: column)
    }

    public func string(_ column: String) throws(PostgresError) -> String {
        guard let value = try optionalString(column) else { throw Self.null(column) }
        return value
    }

    public func optionalInt64(_ column: String) throws(PostgresError) -> Int64? {
        guard let text = try optionalString(column) else { return nil }
        guard let value = Int64(text) else { throw Self.unconvertible(column) }
        return value
    }

    public func int64(_ column: String) throws(PostgresError) -> Int64 {
        guard let value = try optionalInt64(column) else { throw Self.null(column) }
        return value
    }

    public func int(_ column: String) throws(PostgresError) -> Int { Int(try int64(column)) }

    public func bool(_ column: String) throws(PostgresError) -> Bool {
        switch try string(column) {
        case "t": return true
        case "f": return false
        default: throw Self.unconvertible(column)
        }
    }

    public func optionalDecimal(_ column: String) throws(PostgresError) -> Decimal? {
        guard let text = try optionalString(column) else { return nil }
        guard let value = Decimal(string: text) else { throw Self.unconvertible(column) }
        return value
    }

    /// A `bytea` column in hex output form.
    public func bytes(_ column: String) throws(PostgresError) -> [UInt8] {
        let text = try string(column)
        guard text.hasPrefix("\\x"), let bytes = Self.decodeHex(text.utf8.dropFirst(2)) else {
            throw Self.unconvertible(column)
        }
        return bytes
    }

    private static func decodeHex(_ digits: some Collection<UInt8>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for c in digits {
            guard let n = nibble(c) else { return nil }
            if let h = high { out.append(h << 4 | n); high = nil } else { high = n }
        }
        return out
    }

    private static func null(_ column: String) -> PostgresError {
        PostgresError(kind: .conversion, serverMessage: "column \(column) is NULL")
    }

    private static func unconvertible(_ column: String) -> PostgresError {
        PostgresError(kind: .conversion, serverMessage: "column \(column) has an unexpected value")
    }
}
