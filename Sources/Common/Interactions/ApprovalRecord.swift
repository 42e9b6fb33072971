/// An approval row as the click handler and the decision job see it.
public struct ApprovalRecord: Sendable {
    public let id: Int64
    public let reference: String
    public let connectionID: Int64
    public let businessEventRowID: Int64?
    /// The business event's `EventId`, for the audit trail.
    public let eventID: String?
    public let workItemID: String
    public let approverEmail: String?
    public let approverSlackID: String?
    public let channelID: String?
    public let messageTS: String?
    public let state: String
    public let decision: String?
    public let reason: String?
    public let decidedBy: String?
    public let decidedAt: String?
    public let summary: String
    public let card: String?

    static let columns = """
        id, reference, connection_id, business_event_id, work_item_id, approver_email, approver_slack_id, channel_id,
        message_ts, state, decision, reason, decided_by, summary, card::text AS card_text,
        (SELECT e.event_id FROM business_event e WHERE e.id = approval.business_event_id) AS event_id,
        to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS decided_text
        """

    init(_ row: PostgresRow) throws(PostgresError) {
        id = try row.int64("id")
        reference = try row.string("reference")
        connectionID = try row.int64("connection_id")
        businessEventRowID = try row.optionalInt64("business_event_id")
        eventID = try row.optionalString("event_id")
        workItemID = try row.string("work_item_id")
        approverEmail = try row.optionalString("approver_email")
        approverSlackID = try row.optionalString("approver_slack_id")
        channelID = try row.optionalString("channel_id")
        messageTS = try row.optionalString("message_ts")
        state = try row.string("state")
        decision = try row.optionalString("decision")
        reason = try row.optionalString("reason")
        decidedBy = try row.optionalString("decided_by")
        decidedAt = try row.optionalString("decided_text")
        summary = try row.string("summary")
        card = try row.optionalString("card_text")
    }

    /// Why a click on this approval cannot count, in words for the person who clicked; nil when it can.
    func refusal(for user: String) -> String? {
        switch state {
        case "pending":
            guard approverSlackID == user else {
                if let approver = approverSlackID { return "Only <@\(approver)> can decide on this approval." }
                return "Only the assigned approver\(approverEmail.map { " (\(SlackText.escape($0)))" } ?? "") can decide on this approval."
            }
            return nil
        case "deciding":
            return "A \(decision == "reject" ? "rejection" : "approval") by <@\(decidedBy ?? "?")> is being recorded in Dynamics 365."
        case "approved", "rejected":
            return "Already \(state) by <@\(decidedBy ?? "?")>\(decidedAt.map { " at \($0)" } ?? "")."
        case "superseded":
            return "This work item was completed in Dynamics 365; nothing more to decide here."
        case "no_longer_open":
            return "This work item is no longer open in Dynamics 365."
        default:
            return "Dynamics 365 did not accept the earlier decision; the operator has been told."
        }
    }
}
