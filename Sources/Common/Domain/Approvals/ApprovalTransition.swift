/// What can happen to an approval (see `ApprovalState.after(_:)`).
public enum ApprovalTransition: Sendable, Equatable {
    /// The assigned approver decided in Slack.
    case decide(ApprovalDecision)
    /// `complete` is about to be sent to F&O (committed first, so a lost answer is never mistaken for no send).
    case send
    /// F&O recorded the decision: `complete` succeeded, or the work item reads `Completed` after a send.
    case recorded(ApprovalDecision)
    /// The answer to `complete` was lost and F&O could not be asked; to be re-checked.
    case answerLost
    /// F&O refused the decision.
    case refused
    /// A decision that could not be sent as asked (a delegate with no F&O user), nothing sent: the card opens again.
    case reopen
    /// F&O reports the work item no longer pending (completed there, recalled, gone) without our decision.
    case closedInDynamics
    /// F&O delegated the work item or assigned it to another user.
    case delegated
}
