import Core

/// The Approve / Reject buttons of an approval card. Both carry `reference` as their `value`, so the click handler
/// knows which approval was clicked without trusting anything else in the payload.
public struct ApprovalButtons: Sendable {
    /// Opaque to Slack and to the card (at most 2000 characters, Slack's limit for a button value).
    public let reference: String

    public init(reference: String) {
        self.reference = reference
    }
}
