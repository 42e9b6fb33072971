import Core
import Domain

/// A card Slack accepted, recorded in the transaction that completes its post job (DESIGN.md §7 Reliability): a
/// crash before that commit leaves the job to run again, and the run finds the message by its metadata instead of
/// posting twice. An approval whose work item closed while the card was on its way gets its card redrawn at once; the approver's
/// App Home is refreshed.
struct PostedCard: JobCompletionRecord {
    let connectionID: Int64
    let eventRow: Int64?
    let jobID: Int64
    let eventID: String?
    let channel: String
    let ts: String
    let approvalID: Int64?
    let card: JSONObject

    /// A notice's record is one insert, made by the statement that completes the job; an approval's does more.
    var statement: SQL? {
        approvalID == nil ? SlackMessageStore.insert(connectionID: connectionID, eventRow: eventRow, jobID: jobID, channel: channel, ts: ts) : nil
    }

    func record(in db: PostgresConnection) throws {
        let state = try SlackMessageStore(db).recordPost(connectionID: connectionID, eventRow: eventRow, jobID: jobID, channel: channel,
                                                         ts: ts, approvalID: approvalID, card: card)
        guard let approvalID, let state else { return }
        if !state.isOpen {
            try JobStore(db).enqueueCardUpdate(approvalID: approvalID, connectionID: connectionID, eventRow: eventRow, eventID: eventID)
        }
        // The approver's App Home now has the card to link to.
        if let approval = try ApprovalStore(db).record(id: approvalID) { try ApprovalFollowUp.homeChanged(approval, in: db) }
    }
}
