import Core
import Domain
import Outbound

/// Posts one rendered card to one channel (`post_message`), at most once as far as Slack lets us know
/// (`SlackJobPost`). The job's bucket is the channel's, so the claim itself paces posts to one per second per channel
/// across every worker.
///
/// - A job whose message is already recorded never posts; an approval card whose work item closed before it went
///   out is not posted at all.
/// - The channel and `ts` are recorded in the transaction that completes the job (`PostedCard`).
struct PostMessageJob {
    static let metadataEventType = "ml_connector_card"

    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let connectionID = job.connectionID, let channel = job.args["channel"]?.stringValue,
              let card = job.args["card"]?.objectValue
        else { return .discard(error: "post_message job without connection, channel or card") }
        let approvalID = job.args["approval_id"]?.int64Value
        let scope = OutboundCaller.Scope(connection: try context.connection(connectionID).record.name, eventID: job.eventID, jobID: job.id)
        let caller = context.caller(scope)
        let approval = try approvalID.map { id in
            guard let approval = try ApprovalStore(context.db).record(id: id) else { throw PlatformError(.permanent, "approval \(id) no longer exists") }
            return approval
        }
        if approval?.messageTS != nil { return .completed }
        let post = SlackJobPost(job: job, db: context.db, slack: try context.slack(connectionID: connectionID, scope: scope), caller: caller,
                                metadataEventType: Self.metadataEventType)
        // An earlier attempt may have posted (its answer lost, its worker dead): that card is live in Slack, so it is
        // recorded — and redrawn if the approval moved on meanwhile — rather than posted again.
        switch try post.earlier(in: channel) {
        case .recorded:
            return .completed
        case .found(let earlierChannel, let ts):
            return .completedRecording(posted(connectionID: connectionID, channel: earlierChannel, ts: ts, approvalID: approvalID, card: card))
        case nil:
            break
        }
        if let approval, !approval.state.isOpen {
            caller.record(action: "slack.post", detail: "not posted: work item \(approval.workItemID) was \(approval.state.rawValue) "
                          + "before its card went out")
            return .completed
        }
        guard let sent = try post.post(card, to: channel) else {
            return .retry(error: "chat.postMessage answered without channel or ts", after: nil)
        }
        return .completedRecording(posted(connectionID: connectionID, channel: sent.channel, ts: sent.ts, approvalID: approvalID, card: card))
    }

    private func posted(connectionID: Int64, channel: String, ts: String, approvalID: Int64?, card: JSONObject) -> PostedCard {
        PostedCard(connectionID: connectionID, eventRow: job.businessEventRowID, jobID: job.id, eventID: job.eventID,
                   channel: channel, ts: ts, approvalID: approvalID, card: card)
    }
}
