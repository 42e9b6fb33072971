/// What `ml-connector connection update` changes (DESIGN.md §6.2): any public setting, any secret, the event key's
/// hash, and the signing secret's rotation. `nil` leaves a value as it is.
public struct ConnectionUpdate: Sendable {
    public var tenantID: String?
    public var clientID: String?
    public var entraAuthority: String?
    public var slackAPIURL: String?
    public var eventKeyHash: [UInt8]?
    /// New values of `dynamicsURL`, `dynamicsClientSecret` and `slackBotToken`.
    public var secrets: [ConnectionSecrets.Field: String] = [:]
    /// A new Slack signing secret: it is accepted at once, and the one it replaces stays accepted (as
    /// `slackSigningSecretPrevious`) until `dropPreviousSigningSecret`.
    public var signingSecret: String?
    public var dropPreviousSigningSecret = false

    public init() {}

    public var isEmpty: Bool {
        tenantID == nil && clientID == nil && entraAuthority == nil && slackAPIURL == nil && eventKeyHash == nil
            && secrets.isEmpty && signingSecret == nil && !dropPreviousSigningSecret
    }

    /// Whether a cached Entra ID token may no longer match the credentials.
    public var invalidatesAccessToken: Bool {
        tenantID != nil || clientID != nil || entraAuthority != nil || secrets[.dynamicsURL] != nil
            || secrets[.dynamicsClientSecret] != nil
    }
}

/// What an update did, by name only (printed and audited; never a value).
public struct ConnectionChanges: Sendable, Equatable {
    public var changed: [String] = []
    /// The signing secret that was current is now the previous one, still accepted.
    public var signingSecretRotated = false
    /// A previous signing secret was dropped (only the current one is accepted now).
    public var previousSigningSecretDropped = false

    public init() {}

    public var summary: String {
        changed.isEmpty ? "nothing changed" : "changed: " + changed.joined(separator: ", ")
    }
}
