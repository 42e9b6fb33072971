import Core
import Domain
import Outbound

/// A job's one post to a Slack channel, at most once as far as Slack lets us know (`post_message`, `post_digest`).
///
/// - Every post carries message `metadata` naming the job. A retry (the answer to an earlier attempt may have been
///   lost, or its worker died) first looks for the message the job already recorded, then for that metadata in the
///   channel's recent history, and takes the message it finds instead of posting again; if two are found, the later
///   ones are closed.
/// - The job records the channel and `ts` in the transaction that completes it (`PostedCard`, `PostedDigest`).
struct SlackJobPost {
    /// How far back a retry looks for its own earlier post.
    static let historyLimit = 50

    /// A message this job posted before, as a retry finds it.
    enum Earlier {
        /// Already recorded: nothing more to do.
        case recorded
        /// Found in the channel's history by its metadata: to be recorded, not posted again.
        case found(channel: String, ts: String)
    }

    let job: ClaimedJob
    let db: PostgresConnection
    let slack: SlackClient
    let caller: OutboundCaller
    /// The metadata `event_type` that marks this kind of job's messages.
    let metadataEventType: String

    /// On a retry, this job's earlier message, if there is one; nil on a first attempt.
    func earlier(in channel: String) throws -> Earlier? {
        guard job.attempt > 1 else { return nil }
        if try SlackMessageStore(db).message(jobID: job.id) != nil { return .recorded }
        guard let found = try earlierPost(in: channel) else { return nil }
        caller.record(action: "slack.post", detail: "found this job's earlier post in \(found.channel); not posted again")
        return .found(channel: found.channel, ts: found.ts)
    }

    /// Posts `message` (`text`, `blocks`) to `channel` with the job's metadata; the channel and `ts` Slack answered,
    /// nil when it answered without them.
    func post(_ message: JSONObject, to channel: String) throws -> (channel: String, ts: String)? {
        var arguments = message
        arguments["channel"] = .string(channel)
        arguments["unfurl_links"] = false
        arguments["metadata"] = metadata.json
        let answer = try slack.call("chat.postMessage", arguments, action: "slack.post", detail: "to \(channel)")
        guard let postedChannel = answer["channel"]?.stringValue, let ts = answer["ts"]?.stringValue else { return nil }
        return (postedChannel, ts)
    }

    private var metadata: JobMessageMetadata { JobMessageMetadata(eventType: metadataEventType, jobID: job.id) }

    /// This job's message among the channel's recent ones (by its metadata), the oldest if several — the others
    /// are closed so that only one is live. Nil when there is none or Slack cannot say (then it is posted).
    private func earlierPost(in channel: String) throws(PlatformError) -> (channel: String, ts: String)? {
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
                                               "text": "This message was posted twice; the other one is current.", "blocks": .array([])],
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
