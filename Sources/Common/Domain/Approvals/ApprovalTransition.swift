/// What can happen to an approval (see `ApprovalState.after(_:)`).
public enum ApprovalTransition: Sendable, Equatable {
    /// The assigned approver decided in Slack.
    case decide(ApprovalDecision)
    /// F&O recorded the decision.
    case recorded(ApprovalDecision)
    /// F&O answered that the work item is no longer open.
    case foundClosed
    /// F&O refused the decision.
    case refused
    /// F&O completed the work item by other means (a workflow event).
    case completedInDynamics
}
