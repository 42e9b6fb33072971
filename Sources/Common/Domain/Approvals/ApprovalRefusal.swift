/// Why a click on an approval card cannot count, with the words shown to the person who clicked.
public enum ApprovalRefusal: Sendable, Equatable {
    /// Someone other than the work item's assignee clicked.
    case notTheApprover(approverSlackID: String?, approverEmail: String?)
    /// A decision is already being written to F&O.
    case beingRecorded(ApprovalDecision?, by: String?)
    /// Already approved, rejected, sent back for a change or delegated from a card.
    case alreadyDecided(ApprovalState, by: String?, at: String?)
    /// Sent to F&O, not yet confirmed there.
    case notYetConfirmed(ApprovalDecision?, by: String?)
    /// Closed because F&O completed the work item some other way.
    case completedInDynamics
    /// F&O delegated or reassigned the work item to someone else.
    case delegated
    /// F&O refused the earlier decision.
    case failedEarlier

    /// The ephemeral explanation (mrkdwn; Slack ids as mentions, an email escaped).
    public var message: String {
        switch self {
        case .notTheApprover(let approver?, _):
            "Only <@\(approver)> can decide on this approval."
        case .notTheApprover(nil, let email):
            "Only the assigned approver\(email.map { " (\(SlackText.escape($0)))" } ?? "") can decide on this approval."
        case .beingRecorded(let decision, let user):
            "A \(decision?.noun ?? "decision") by <@\(user ?? "?")> is being recorded in Dynamics 365."
        case .alreadyDecided(let state, let user, let at):
            "Already \(state == .changeRequested ? "sent back for a change" : state.rawValue) by <@\(user ?? "?")>\(at.map { " at \($0)" } ?? "")."
        case .notYetConfirmed(let decision, let user):
            "A \(decision?.noun ?? "decision") by <@\(user ?? "?")> was sent to Dynamics 365 and is not yet confirmed."
        case .completedInDynamics:
            "This work item was completed in Dynamics 365; nothing more to decide here."
        case .delegated:
            "This work item was delegated or reassigned in Dynamics 365; it is no longer yours to decide here."
        case .failedEarlier:
            "Dynamics 365 did not accept the earlier decision; the operator has been told."
        }
    }
}
