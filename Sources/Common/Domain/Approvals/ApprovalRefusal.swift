/// Why a click on an approval card cannot count, with the words shown to the person who clicked.
public enum ApprovalRefusal: Sendable, Equatable {
    /// Someone other than the work item's assignee clicked.
    case notTheApprover(approverSlackID: String?, approverEmail: String?)
    /// A decision is already being written to F&O.
    case beingRecorded(ApprovalDecision?, by: String?)
    /// Already approved or rejected.
    case alreadyDecided(ApprovalState, by: String?, at: String?)
    /// Closed because F&O completed the work item some other way.
    case completedInDynamics
    case noLongerOpen
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
            "Already \(state.rawValue) by <@\(user ?? "?")>\(at.map { " at \($0)" } ?? "")."
        case .completedInDynamics:
            "This work item was completed in Dynamics 365; nothing more to decide here."
        case .noLongerOpen:
            "This work item is no longer open in Dynamics 365."
        case .failedEarlier:
            "Dynamics 365 did not accept the earlier decision; the operator has been told."
        }
    }
}
