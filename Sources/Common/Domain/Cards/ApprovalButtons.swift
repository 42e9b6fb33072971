import Core

/// The buttons of an approval card: one per outcome the catalog offers (Approve, Reject, and Request change and
/// Delegate where named). Each carries `reference` as its `value`, so the click handler knows which approval was
/// clicked without trusting anything else in the payload, and its decision in its `action_id`.
public struct ApprovalButtons: Sendable {
    /// Opaque to Slack and to the card (at most 2000 characters, Slack's limit for a button value).
    public let reference: String
    /// In button order; approve and reject at least.
    public let decisions: [ApprovalDecision]

    public init(reference: String, decisions: [ApprovalDecision] = [.approve, .reject]) {
        self.reference = reference
        self.decisions = decisions
    }

    /// `mlc.approve`, `mlc.reject`, `mlc.request_change`, `mlc.delegate`.
    public static func actionID(for decision: ApprovalDecision) -> String { "mlc." + decision.rawValue }

    /// The decision a button's `action_id` stands for, or nil for anything not ours.
    public static func decision(forActionID actionID: String) -> ApprovalDecision? {
        guard actionID.hasPrefix("mlc.") else { return nil }
        return ApprovalDecision(rawValue: String(actionID.dropFirst(4)))
    }
}
