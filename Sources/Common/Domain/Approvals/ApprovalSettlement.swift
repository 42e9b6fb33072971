/// What F&O's reading of a work item means for one approval (DESIGN.md §7 Approvals): pure, so every order of
/// events, clicks and lost answers is decided by one table that tests can read.
///
/// The work item still `Pending` for the same user keeps a card open and lets a decision be sent (again, when the
/// earlier answer was lost); `Completed` after a send means ours was recorded, and without one that it was decided
/// in F&O; `Delegated`, or `Pending` for another user, closes the card as delegated — recorded as ours when we sent
/// a delegation (to that user); a work item F&O no longer has closes an open card, and leaves a sent decision to be
/// re-checked.
public enum ApprovalSettlement: Sendable, Equatable {
    /// Nothing to change (an open card stays open; a late "started" event never closes it).
    case keep
    /// A decision waiting in `deciding` (or `failed`, on replay) or sent but unanswered may be sent now.
    case send
    /// Move the approval on, with F&O's words for the card; `reassignedTo` names the new assignee whose card is due.
    case settle(ApprovalTransition, note: String?, reassignedTo: String?)
    /// A sent decision F&O cannot confirm yet: `unconfirmed`, checked again later.
    case recheck

    /// How a card whose work item F&O gave to `newAssignee` is closed: "escalated by F&O to …" when the work item's
    /// `EscalationLevel` grew since the card was made, else "reassigned to …".
    public static func reassignmentNote(for approval: ApprovalRecord, reading: WorkItemReading, to newAssignee: String) -> String {
        if let level = reading.escalationLevel, level > (approval.escalationLevel ?? 0) { return "escalated by F&O to \(newAssignee)" }
        return "reassigned to \(newAssignee)"
    }

    /// "delegated to julia", the F&O user a delegation from the card went to.
    public static func delegationNote(_ approval: ApprovalRecord) -> String {
        "delegated to \(approval.delegateUser ?? "the delegate")"
    }

    public static func step(for approval: ApprovalRecord, reading: WorkItemReading) -> ApprovalSettlement {
        let sent = approval.state == .completing || approval.state == .unconfirmed
        guard let status = reading.status else {
            return sent ? .recheck : .settle(.closedInDynamics, note: "the work item no longer exists there", reassignedTo: nil)
        }
        let delegationSent = sent && approval.decision == .delegate
        switch WorkItemSchema.Status(rawValue: status) ?? .failed {
        case .pending where reading.isAssigned(to: approval.assignee):
            return approval.state == .pending ? .keep : .send
        case .pending where delegationSent && approval.delegateUser.map(reading.isAssigned(to:)) == true:
            // An environment that delegates by reassigning the same work item: ours, recorded; the delegate's card follows.
            return .settle(.recorded(.delegate), note: delegationNote(approval), reassignedTo: reading.userID)
        case .pending:
            return .settle(.delegated, note: reassignmentNote(for: approval, reading: reading, to: reading.userID ?? "another user"),
                           reassignedTo: reading.userID)
        case .delegated where delegationSent:
            // F&O's own way: this work item `Delegated`, a new one for the delegate, whose own event brings their card.
            return .settle(.recorded(.delegate), note: delegationNote(approval), reassignedTo: nil)
        case .delegated:
            return .settle(.delegated, note: "delegated", reassignedTo: nil)
        case .completed:
            if sent, let decision = approval.decision, decision != .delegate { return .settle(.recorded(decision), note: nil, reassignedTo: nil) }
            return .settle(.closedInDynamics, note: nil, reassignedTo: nil)
        case .failed:
            return sent ? .recheck : .settle(.closedInDynamics, note: "the workflow reports \(status)", reassignedTo: nil)
        }
    }
}
