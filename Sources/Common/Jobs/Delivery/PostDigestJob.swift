import Core
import Domain
import Outbound

/// Posts a digest route's waiting notices for one channel as one message at its time (`post_digest`, queued for the
/// slot by the first notice that waits for it, `digest:<route>:<channel>:<slot>`), at most once (`SlackJobPost`).
///
/// - It takes the notices queued for its slot or an earlier one and not yet posted; one that arrives meanwhile
///   is queued for the next slot. None waiting: nothing is posted.
/// - The message and the notices it posted are recorded in the transaction that completes the job (`PostedDigest`).
struct PostDigestJob {
    static let metadataEventType = "ml_connector_digest"

    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let connectionID = job.connectionID, let routeID = job.args["route_id"]?.int64Value,
              let channel = job.args["channel"]?.stringValue, let slot = job.args["slot"]?.int64Value
        else { return .discard(error: "post_digest job without connection, route, channel or slot") }
        let scope = OutboundCaller.Scope(connection: try context.connection(connectionID).record.name, eventID: nil, jobID: job.id)
        let caller = context.caller(scope)
        let waiting = try DigestStore(context.db).waiting(routeID: routeID, channel: channel, upTo: slot)
        guard let card = DigestRenderer.render(waiting.map(\.item), since: waiting.first?.createdAt ?? slot) else {
            caller.record(action: "slack.post", detail: "digest of route \(routeID) for \(channel): no notices waiting, nothing posted")
            return .completed
        }
        let post = SlackJobPost(job: job, db: context.db, slack: try context.slack(connectionID: connectionID, scope: scope), caller: caller,
                                metadataEventType: Self.metadataEventType)
        let items = waiting.map(\.id)
        switch try post.earlier(in: channel) {
        case .recorded:
            return .completed
        case .found(let earlierChannel, let ts):
            return .completedRecording(PostedDigest(connectionID: connectionID, jobID: job.id, channel: earlierChannel, ts: ts,
                                                    card: card, items: items))
        case nil:
            break
        }
        guard let sent = try post.post(card.json.objectValue ?? [:], to: channel) else {
            return .retry(error: "chat.postMessage answered without channel or ts", after: nil)
        }
        caller.record(action: "digest.posted", detail: "\(items.count) notices of route \(routeID) in one message to \(sent.channel)")
        return .completedRecording(PostedDigest(connectionID: connectionID, jobID: job.id, channel: sent.channel, ts: sent.ts,
                                                card: card, items: items))
    }
}
