/// Where an approval stands (DESIGN.md §7 Approvals), and the one place that says which transition may happen
/// from which state. Pure: the store turns `sources(of:)` into a compare-and-set, the click handler and the
/// write-back job ask it before they act.
public enum ApprovalState: String, Sendable, CaseIterable {
    /// The card is open; the assigned approver may decide.
    case pending
    /// A decision was taken in Slack and is being written to F&O.
    case deciding
    case approved
    case rejected
    /// F&O completed the work item by other means; the card was closed.
    case superseded
    /// F&O said the work item was no longer open when the decision was written.
    case noLongerOpen = "no_longer_open"
    /// F&O refused the decision; a replay of the write-back job may try again.
    case failed

    /// The state `transition` leads to from this one, or nil when it is not allowed here.
    public func after(_ transition: ApprovalTransition) -> ApprovalState? {
        switch (self, transition) {
        case (.pending, .decide): .deciding
        case (.pending, .completedInDynamics): .superseded
        case (.deciding, .recorded(let decision)), (.failed, .recorded(let decision)): decision.recordedState
        case (.deciding, .foundClosed), (.failed, .foundClosed): .noLongerOpen
        case (.deciding, .refused), (.failed, .refused): .failed
        default: nil
        }
    }

    /// Every state `transition` may start from: what the store's compare-and-set accepts.
    public static func sources(of transition: ApprovalTransition) -> [ApprovalState] {
        allCases.filter { $0.after(transition) != nil }
    }

    /// Whether a decision is waiting to be written to F&O.
    public var awaitsWriteBack: Bool { after(.refused) != nil }
}
