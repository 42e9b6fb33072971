public import Core
public import Domain

/// Every statement on `slack_message`: each card posted to Slack, with the channel and `ts` it got.
public struct SlackMessageStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Records a post — and, for an approval card, where it went and what it says. Runs inside the transaction that
    /// completes the post job. Returns the approval's state when this recorded its card, nil otherwise.
    public func recordPost(connectionID: Int64, eventRow: Int64?, jobID: Int64, channel: String, ts: String,
                           approvalID: Int64?, card: JSONObject) throws(PostgresError) -> ApprovalState? {
        try db.query("""
            INSERT INTO slack_message (connection_id, business_event_id, job_id, channel_id, ts)
            VALUES (\(connectionID), \(eventRow), \(jobID), \(channel), \(ts)) ON CONFLICT (job_id) DO NOTHING
            """)
        guard let approvalID else { return nil }
        return try ApprovalStore(db).recordPost(approvalID: approvalID, channel: channel, ts: ts, card: .object(card),
                                                summary: card["text"]?.stringValue ?? "")
    }

    /// The message a post job already recorded, if any.
    public func message(jobID: Int64) throws(PostgresError) -> (channel: String, ts: String)? {
        guard let row = try db.query("SELECT channel_id, ts FROM slack_message WHERE job_id = \(jobID)").first else { return nil }
        return (try row.string("channel_id"), try row.string("ts"))
    }
}
