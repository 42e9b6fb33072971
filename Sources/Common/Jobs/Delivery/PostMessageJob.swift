import Core
import Domain
import Outbound

/// Posts one rendered card to one channel (`post_message`). The job's bucket is the channel's, so the claim
/// itself paces posts to one per second per channel across every worker. The channel and `ts` Slack returns are
/// recorded before the job completes.
struct PostMessageJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let connectionID = job.connectionID, let channel = job.args["channel"]?.stringValue,
              let card = job.args["card"]?.objectValue
        else { return .discard(error: "post_message job without connection, channel or card") }
        let scope = OutboundCaller.Scope(connection: try context.connection(connectionID).record.name, eventID: job.eventID, jobID: job.id)
        var arguments = card
        arguments["channel"] = .string(channel)
        arguments["unfurl_links"] = false
        let posted = try context.slack(connectionID: connectionID, scope: scope)
            .call("chat.postMessage", arguments, action: "slack.post", detail: "to \(channel)")
        guard let postedChannel = posted["channel"]?.stringValue, let ts = posted["ts"]?.stringValue else {
            return .retry(error: "chat.postMessage answered without channel or ts", after: nil)
        }
        try SlackMessageStore(context.db).recordPost(connectionID: connectionID, eventRow: job.businessEventRowID, jobID: job.id,
                                                     channel: postedChannel, ts: ts, approvalID: job.args["approval_id"]?.int64Value,
                                                     card: card)
        return .completed
    }
}
