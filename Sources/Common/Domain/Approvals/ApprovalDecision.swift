/// What an approver chose in Slack.
public enum ApprovalDecision: String, Sendable, CaseIterable {
    case approve, reject

    /// "approval" / "rejection", for sentences.
    public var noun: String { self == .approve ? "approval" : "rejection" }


    /// The state once F&O has recorded it.
    public var recordedState: ApprovalState { self == .approve ? .approved : .rejected }
}
