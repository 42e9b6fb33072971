public import FoundationEssentials

/// A value that can be bound as a text-format parameter of a parameterised statement.
public protocol PostgresParameter {
    /// The PostgreSQL text form, or nil for SQL NULL.
    var postgresText: String? { get }
}

extension String: PostgresParameter { public var postgresText: String? { self } }
extension Int: PostgresParameter { public var postgresText: String? { String(self) } }
extension Int64: PostgresParameter { public var postgresText: String? { String(self) } }
extension Int32: PostgresParameter { public var postgresText: String? { String(self) } }
extension Bool: PostgresParameter { public var postgresText: String? { self ? "t" : "f" } }
extension Decimal: PostgresParameter { public var postgresText: String? { description } }
extension Optional: PostgresParameter where Wrapped: PostgresParameter {
    public var postgresText: String? { self?.postgresText }
}

/// Binary data bound as `bytea` (hex escape form).
public struct Bytea: PostgresParameter, Sendable, Equatable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var postgresText: String? { "\\x" + Digest.hex(bytes) }
}

/// A PostgreSQL array literal (`{"a","b",NULL}`), every element quoted; bind it as `\(values)::text[]`.
extension Array: PostgresParameter where Element: PostgresParameter {
    public var postgresText: String? {
        "{" + map { element in
            guard let text = element.postgresText else { return "NULL" }
            return "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }
}

/// A JSON value bound as its serialised text (`\(value)::jsonb`).
extension JSONValue: PostgresParameter {
    public var postgresText: String? { serialized() }
}
