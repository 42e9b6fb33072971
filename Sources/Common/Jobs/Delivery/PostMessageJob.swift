import Core
import Domain
import Outbound

/// Posts one rendered card to one channel (`post_message`), at most once as far as Slack lets us know. The job's
/// bucket is the channel's, so the claim itself paces posts to one per second per channel across every worker.
///
/// - A job whose message is already recorded never posts; an approval card whose work item closed before it went
///   out is not posted at all.
/// - Every post carries message `metadata` naming the job. A retry (the answer to an earlier attempt may have been
///   lost, or its worker died) first looks for that metadata in the channel's recent history and records the
///   message it finds instead of posting again; if two are found, the later ones are closed.
/// - The channel and `ts` are recorded in the transaction that completes the job (`PostedCard`).
struct PostMessageJob {
    static let metadataEventType = "ml_connector_card"
    /// How far back a retry looks for its own earlier post.
    static let historyLimit = 50

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
        let slack = try context.slack(connectionID: connectionID, scope: scope)
        // An earlier attempt may have posted (its answer lost, its worker dead): that card is live in Slack, so it is
        // recorded — and redrawn if the approval moved on meanwhile — rather than posted again.
        if job.attempt > 1 {
            if try SlackMessageStore(context.db).message(jobID: job.id) != nil { return .completed }
            if let earlier = try earlierPost(in: channel, slack: slack, caller: caller) {
                caller.record(action: "slack.post", detail: "found this job's earlier post in \(earlier.channel); not posted again")
                return .completedRecording(posted(connectionID: connectionID, channel: earlier.channel, ts: earlier.ts, approvalID: approvalID, card: card))
            }
        }
        if let approval, !approval.state.isOpen {
            caller.record(action: "slack.post", detail: "not posted: work item \(approval.workItemID) was \(approval.state.rawValue) "
                          + "before its card went out")
            return .completed
        }
        var arguments = card
        arguments["channel"] = .string(channel)
        arguments["unfurl_links"] = false
        arguments["metadata"] = metadata.json
        let answer = try slack.call("chat.postMessage", arguments, action: "slack.post", detail: "to \(channel)")
        guard let postedChannel = answer["channel"]?.stringValue, let ts = answer["ts"]?.stringValue else {
            return .retry(error: "chat.postMessage answered without channel or ts", after: nil)
        }
        return .completedRecording(posted(connectionID: connectionID, channel: postedChannel, ts: ts, approvalID: approvalID, card: card))
    }

    private var metadata: JobMessageMetadata { JobMessageMetadata(eventType: Self.metadataEventType, jobID: job.id) }

    private func posted(connectionID: Int64, channel: String, ts: String, approvalID: Int64?, card: JSONObject) -> PostedCard {
        PostedCard(connectionID: connectionID, eventRow: job.businessEventRowID, jobID: job.id, eventID: job.eventID,
                   channel: channel, ts: ts, approvalID: approvalID, card: card)
    }

    /// This job's message among the channel's recent ones (by its metadata), the oldest if several — the others
    /// are closed so that only one card is live. Nil when there is none or Slack cannot say (then it is posted).
    private func earlierPost(in channel: String, slack: SlackClient, caller: OutboundCaller) throws(PlatformError) -> (channel: String, ts: String)? {
        do {
            var conversation = channel
            if !(channel.hasPrefix("C") || channel.hasPrefix("D") || channel.hasPrefix("G")) {
                conversation = try slack.call("conversations.open", ["users": .string(channel)], action: "slack.open")["channel"]?["id"]?
                    .stringValue ?? channel
            }
            let mine = try slack.history(channel: conversation, limit: Self.historyLimit).filter(metadata.marks)
                .compactMap { $0["ts"]?.stringValue }.sorted()
            guard let first = mine.first else { return nil }
            for duplicate in mine.dropFirst() {
                try slack.call("chat.update", ["channel": .string(conversation), "ts": .string(duplicate),
                                               "text": "This card was posted twice; the other one is current.", "blocks": .array([])],
                               action: "slack.update", detail: "duplicate closed")
            }
            return (conversation, first)
        } catch {
            guard error.disposition == .permanent else { throw error }
            caller.record(action: "slack.history", outcome: .error, detail: "could not look for an earlier post: \(error.message)")
            return nil
        }
    }
}
