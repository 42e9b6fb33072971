public import Core
import Domain

/// Every statement on `slack_message`: each card posted to Slack, with the channel and `ts` it got.
public struct SlackMessageStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Records a post — and, for an approval card, where it went and what it says — in one transaction.
    public func recordPost(connectionID: Int64, eventRow: Int64?, jobID: Int64, channel: String, ts: String,
                           approvalID: Int64?, card: JSONObject) throws {
        try db.transaction { db in
            try db.query("""
                INSERT INTO slack_message (connection_id, business_event_id, job_id, channel_id, ts)
                VALUES (\(connectionID), \(eventRow), \(jobID), \(channel), \(ts)) ON CONFLICT (job_id) DO NOTHING
                """)
            if let approvalID {
                try ApprovalStore(db).recordPost(approvalID: approvalID, channel: channel, ts: ts, card: .object(card),
                                                 summary: card["text"]?.stringValue ?? "")
            }
        }
    }
}
