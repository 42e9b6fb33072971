import Glibc

/// The process environment, read once. Tests and handlers pass dictionaries; binaries use `current()`.
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// Snapshot of `environ`.
    public static func current() -> Environment {
        var values: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let eq = pair.firstIndex(of: "=") {
                values[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            cursor += 1
        }
        return Environment(values)
    }

    public subscript(_ name: String) -> String? { values[name] }

    /// The value, or nil when unset or empty.
    public func nonEmpty(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func require(_ name: String) throws(ConfigurationError) -> String {
        guard let value = nonEmpty(name) else { throw .missing(name) }
        return value
    }
}
