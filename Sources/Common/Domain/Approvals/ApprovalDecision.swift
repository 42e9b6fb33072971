/// What an approver chose in Slack: one of the work-item outcomes F&O allows (issue 12 item 3). Approve and reject
/// are always offered; request change and delegate when the catalog's `workflowActions.outcomes` names them.
public enum ApprovalDecision: String, Sendable, CaseIterable {
    case approve, reject
    case requestChange = "request_change"
    case delegate

    /// "approval" / "rejection" / "change request" / "delegation", for sentences.
    public var noun: String {
        switch self {
        case .approve: "approval"
        case .reject: "rejection"
        case .requestChange: "change request"
        case .delegate: "delegation"
        }
    }

    /// The button's label.
    public var label: String {
        switch self {
        case .approve: "Approve"
        case .reject: "Reject"
        case .requestChange: "Request change"
        case .delegate: "Delegate"
        }
    }

    /// Whether the approver must give a comment first (asked in a modal): F&O wants one to reject or to ask for a change.
    public var needsComment: Bool { self == .reject || self == .requestChange }

    /// The state once F&O has recorded it.
    public var recordedState: ApprovalState {
        switch self {
        case .approve: .approved
        case .reject: .rejected
        case .requestChange: .changeRequested
        case .delegate: .delegated
        }
    }
}
