/// Where an approval stands (DESIGN.md §7 Approvals), and the one place that says which transition may happen
/// from which state. Pure: the store turns `sources(of:)` into a compare-and-set, the click handler and the
/// write-back job ask it before they act.
///
/// `pending → deciding → completing → approved | rejected | change_requested | delegated`, with F&O's word settling everything else: the work
/// item completed or gone (`decided_in_fo`), delegated or reassigned (`delegated`), a `complete` whose answer was
/// lost and could not be settled yet (`unconfirmed`, re-checked by the queue), or refused (`failed`).
public enum ApprovalState: String, Sendable, CaseIterable {
    /// The card is open; the assigned approver may decide.
    case pending
    /// A decision was taken in Slack; nothing has been sent to F&O yet.
    case deciding
    /// `complete` is being sent (committed before it is): its outcome is settled by reading the work item.
    case completing
    case approved
    case rejected
    /// The approver asked for a change and F&O recorded it (the document goes back to its submitter).
    case changeRequested = "change_requested"
    /// F&O says the work item is no longer pending, and not because of a decision made here.
    case decidedInDynamics = "decided_in_fo"
    /// Delegated — by the approver from the card, recorded in F&O, or in F&O itself — or reassigned to someone
    /// else; that person gets a card of their own.
    case delegated
    /// `complete` was sent, its answer was lost, and F&O could not be asked yet; re-checked until settled.
    case unconfirmed
    /// F&O refused the decision; a replay of the write-back job may try again.
    case failed

    /// The state `transition` leads to from this one, or nil when it is not allowed here.
    public func after(_ transition: ApprovalTransition) -> ApprovalState? {
        switch (self, transition) {
        case (.pending, .decide): .deciding
        case (.deciding, .send), (.unconfirmed, .send), (.failed, .send): .completing
        case (.completing, .recorded(let decision)), (.unconfirmed, .recorded(let decision)): decision.recordedState
        case (.completing, .answerLost): .unconfirmed
        case (.deciding, .refused), (.completing, .refused), (.unconfirmed, .refused): .failed
        case (.deciding, .reopen): .pending
        case (.pending, .closedInDynamics), (.deciding, .closedInDynamics), (.failed, .closedInDynamics): .decidedInDynamics
        case (.pending, .delegated), (.deciding, .delegated), (.completing, .delegated), (.unconfirmed, .delegated),
             (.failed, .delegated): .delegated
        default: nil
        }
    }

    /// Every state `transition` may start from: what the store's compare-and-set accepts.
    public static func sources(of transition: ApprovalTransition) -> [ApprovalState] {
        allCases.filter { $0.after(transition) != nil }
    }

    /// Whether a decision taken in Slack still has to reach F&O (or be confirmed there).
    public var awaitsWriteBack: Bool { self == .deciding || self == .completing || self == .unconfirmed || self == .failed }

    /// Whether the card still offers its buttons.
    public var isOpen: Bool { self == .pending }

    /// Whether the approval is still the approver's open business, listed in their App Home: pending, or their
    /// decision on its way to F&O and not yet recorded there (a refused one is not: F&O said no).
    public var isOutstanding: Bool { [.pending, .deciding, .completing, .unconfirmed].contains(self) }

    /// Whether nothing more will happen to this approval.
    public var isFinal: Bool { [.approved, .rejected, .changeRequested, .decidedInDynamics, .delegated].contains(self) }
}
