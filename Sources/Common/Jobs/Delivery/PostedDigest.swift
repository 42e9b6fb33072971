import Core
import Domain

/// A digest Slack accepted, recorded in the transaction that completes its job: the message, and the notices it
/// posted (so that the next digest does not post them again). A crash before that commit leaves the job to run
/// again, and the run finds the message by its metadata instead of posting twice.
struct PostedDigest: JobCompletionRecord {
    let connectionID: Int64
    let jobID: Int64
    let channel: String
    let ts: String
    let card: SlackCard
    let items: [Int64]

    func record(in db: PostgresConnection) throws {
        try SlackMessageStore(db).recordPost(connectionID: connectionID, eventRow: nil, jobID: jobID, channel: channel, ts: ts,
                                             approvalID: nil, card: card.json.objectValue ?? [:])
        try DigestStore(db).markPosted(items, jobID: jobID)
    }
}
