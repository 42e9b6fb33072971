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
        try db.query(Self.insert(connectionID: connectionID, eventRow: eventRow, jobID: jobID, channel: channel, ts: ts))
        guard let approvalID else { return nil }
        return try ApprovalStore(db).recordPost(approvalID: approvalID, channel: channel, ts: ts, card: .object(card),
                                                summary: card["text"]?.stringValue ?? "")
    }

    /// The record of a message a post job posted, as one statement (for a notice, it goes into the statement that
    /// completes the job).
    static func insert(connectionID: Int64, eventRow: Int64?, jobID: Int64, channel: String, ts: String) -> SQL {
        """
        INSERT INTO slack_message (connection_id, business_event_id, job_id, channel_id, ts)
        VALUES (\(connectionID), \(eventRow), \(jobID), \(channel), \(ts)) ON CONFLICT (job_id) DO NOTHING
        """
    }

    /// The message a post job already recorded, if any.
    public func message(jobID: Int64) throws(PostgresError) -> (channel: String, ts: String)? {
        guard let row = try db.query("SELECT channel_id, ts FROM slack_message WHERE job_id = \(jobID)").first else { return nil }
        return (try row.string("channel_id"), try row.string("ts"))
    }

    // MARK: Retention (RetentionPolicy.Kind.businessEvents)

    /// Deletes up to `limit` records of messages posted more than `days` ago in one statement; returns how many went.
    /// A record stays while its post job exists (the job looks it up before posting) and while the event it belongs
    /// to is held by an approval that is not final.
    public func purge(olderThanDays days: Int, limit: Int, keeping hold: RetentionHold) throws(PostgresError) -> Int {
        try db.deleteBatch(from: "slack_message", key: "id", candidates: Self.purgeable(days, hold), limit: limit)
    }

    /// Records `purge` would delete now.
    public func countPurgeable(olderThanDays days: Int, keeping hold: RetentionHold) throws(PostgresError) -> Int64 {
        try db.count(of: Self.purgeable(days, hold))
    }

    private static func purgeable(_ days: Int, _ hold: RetentionHold) -> SQL {
        """
        SELECT m.id FROM slack_message m
        WHERE m.posted_at < now() - make_interval(days => \(days))
          AND NOT EXISTS (SELECT 1 FROM job j WHERE j.id = m.job_id)
          AND NOT EXISTS (SELECT 1 FROM unnest(\(hold.eventRows)::bigint[]) h(event_row) WHERE h.event_row = m.business_event_id)
        """
    }
}
