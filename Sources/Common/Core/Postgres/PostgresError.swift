/// A PostgreSQL failure. `description` is safe for logs, audit rows and HTTP answers: it carries the SQLSTATE
/// and a generic text, never query parameters, row values or connection credentials. The server's own primary
/// message is kept apart in `serverMessage` for operator tools.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The server could not be reached or refused the session.
        case connection
        /// A statement failed on the server (see `sqlState`).
        case statement
        /// A value could not be converted to or from its text form.
        case conversion
        /// The connection was lost or libpq returned an unexpected status.
        case protocolFailure
    }

    public let kind: Kind
    /// Five-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    /// The server's primary message with any password removed; not for HTTP answers.
    public let serverMessage: String
    /// The constraint named by the server, when there is one.
    public let constraint: String?

    public init(kind: Kind, sqlState: String? = nil, serverMessage: String = "", constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.constraint = constraint
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// PostgreSQL refused a value itself (SQLSTATE class 22: a character it cannot store, a number out of range…):
    /// sending the same input again can never succeed.
    public var isDataException: Bool { kind == .statement && sqlState?.hasPrefix("22") == true }

    /// True when retrying later may succeed (connection problems, serialization failures, shutdowns).
    public var isTransient: Bool {
        switch kind {
        case .connection, .protocolFailure: return true
        case .conversion: return false
        case .statement:
            guard let state = sqlState else { return false }
            return state.hasPrefix("08") || state.hasPrefix("57") || state == "40001" || state == "40P01" || state.hasPrefix("53")
        }
    }

    public var description: String {
        switch kind {
        case .connection: "could not connect to PostgreSQL"
        case .statement:
            if let sqlState { "PostgreSQL statement failed (SQLSTATE \(sqlState)\(constraint.map { ", constraint \($0)" } ?? ""))" }
            else { "PostgreSQL statement failed" }
        case .conversion: "a PostgreSQL value could not be converted"
        case .protocolFailure: "the PostgreSQL connection failed during a statement"
        }
    }

    /// `description` plus the server's message: for the operator CLI, not for HTTP answers or audit rows.
    public var operatorDescription: String {
        serverMessage.isEmpty ? description : "\(description): \(serverMessage)"
    }
}
