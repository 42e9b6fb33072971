public import Core

/// A connection's public settings (no secrets).
public struct ConnectionRecord: Sendable {
    public let id: Int64
    public let name: String
    public let tenantID: String
    public let clientID: String
    public let entraAuthority: String
    public let slackAPIURL: String
    public let createdAt: String
    /// Per-connection event catalog overrides (DESIGN.md §7), `{}` when none.
    public let catalog: JSONValue

    /// Connection names: a letter or digit, then letters, digits, `.`, `_`, `-`; at most 64 characters.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber, name.count <= 64 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }
}

/// The secrets of a connection, in plaintext only in memory.
public struct ConnectionSecrets: Sendable {
    public enum Field: String, Sendable, CaseIterable {
        case dynamicsURL = "dynamics_url"
        case dynamicsClientSecret = "dynamics_client_secret"
        case slackBotToken = "slack_bot_token"
        case slackSigningSecret = "slack_signing_secret"
        /// The signing secret being rotated out: still accepted until the operator drops it.
        case slackSigningSecretPrevious = "slack_signing_secret_previous"
    }

    public var values: [Field: String]

    public init(_ values: [Field: String]) { self.values = values }

    public subscript(field: Field) -> String? { values[field] }

    /// Associated data binding a sealed value to its connection and field.
    public static func associatedData(connectionID: Int64, field: Field) -> String { "connection:\(connectionID):\(field.rawValue)" }
}
