/// An approval row as the click handler, the write-back job and the App Home see it.
public struct ApprovalRecord: Sendable {
    public let id: Int64
    /// The opaque random value the card's buttons carry.
    public let reference: String
    public let connectionID: Int64
    public let businessEventRowID: Int64?
    /// The business event's `EventId`, for the audit trail.
    public let eventID: String?
    public let workItemID: String
    /// The work item's `UserId` in F&O when the card was made: the only user whose decision counts.
    public let assignee: String
    public let approverEmail: String?
    public let approverSlackID: String?
    public let channelID: String?
    public let messageTS: String?
    public let state: ApprovalState
    public let decision: ApprovalDecision?
    /// The comment given with a rejection or a change request (or, optionally, a delegation).
    public let reason: String?
    public let decidedBy: String?
    /// For a delegation: the Slack user chosen in the modal, and the F&O `SystemUsers` `UserID` they were resolved
    /// to (by their Slack email) before `complete` was sent.
    public let delegateSlackID: String?
    public let delegateUser: String?
    /// `YYYY-MM-DD HH:MM UTC`.
    public let decidedAt: String?
    public let summary: String
    /// The card as posted, with its buttons (Block Kit JSON text); later states are drawn over it.
    public let card: String?
    /// F&O's words when it refused, or how the work item was closed there.
    public let note: String?
    /// The work item's `EscalationLevel` when the card was made (nil: F&O sent none).
    public let escalationLevel: Int?
    /// What the App Home lists (`ApprovalDescription`), as known when the card was made.
    public let about: ApprovalDescription
    /// The card's Slack permalink (`chat.getPermalink`), once asked for.
    public var permalink: String?

    public init(id: Int64, reference: String, connectionID: Int64, businessEventRowID: Int64? = nil, eventID: String? = nil,
                workItemID: String, assignee: String = "", approverEmail: String? = nil, approverSlackID: String? = nil, channelID: String? = nil,
                messageTS: String? = nil, state: ApprovalState, decision: ApprovalDecision? = nil, reason: String? = nil,
                decidedBy: String? = nil, delegateSlackID: String? = nil, delegateUser: String? = nil, decidedAt: String? = nil, summary: String = "", card: String? = nil, note: String? = nil,
                escalationLevel: Int? = nil, about: ApprovalDescription = ApprovalDescription(), permalink: String? = nil) {
        self.id = id
        self.reference = reference
        self.connectionID = connectionID
        self.businessEventRowID = businessEventRowID
        self.eventID = eventID
        self.workItemID = workItemID
        self.assignee = assignee
        self.approverEmail = approverEmail
        self.approverSlackID = approverSlackID
        self.channelID = channelID
        self.messageTS = messageTS
        self.state = state
        self.decision = decision
        self.reason = reason
        self.decidedBy = decidedBy
        self.delegateSlackID = delegateSlackID
        self.delegateUser = delegateUser
        self.decidedAt = decidedAt
        self.summary = summary
        self.card = card
        self.note = note
        self.escalationLevel = escalationLevel
        self.about = about
        self.permalink = permalink
    }

    /// Why a click by `user` cannot count, or nil when it can: the approval must still be open to a decision
    /// (`ApprovalState`) and `user` must be the work item's assignee.
    public func refusal(forClickBy user: String) -> ApprovalRefusal? {
        guard state.after(.decide(.approve)) != nil else {
            switch state {
            case .deciding, .completing: return .beingRecorded(decision, by: decidedBy)
            case .unconfirmed: return .notYetConfirmed(decision, by: decidedBy)
            case .approved, .rejected, .changeRequested: return .alreadyDecided(state, by: decidedBy, at: decidedAt)
            case .decidedInDynamics: return .completedInDynamics
            case .delegated where decision == .delegate: return .alreadyDecided(state, by: decidedBy, at: decidedAt)
            case .delegated: return .delegated
            case .failed, .pending: return .failedEarlier
            }
        }
        guard approverSlackID == user else { return .notTheApprover(approverSlackID: approverSlackID, approverEmail: approverEmail) }
        return nil
    }
}
