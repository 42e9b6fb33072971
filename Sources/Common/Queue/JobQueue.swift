/// The job queue's shared vocabulary and enqueueing (job-queue.md §A.7.2). The intake inserts its jobs in the
/// statement that stores their event (`EventIntake`); claiming and finalising live in `JobStore`.
public enum JobQueue {
    public enum Kind: String, Sendable {
        /// Read the event's document, route it and post the card.
        case deliverEvent = "deliver_event"
        /// Update the open approval card a workflow event concerns.
        case workflowEvent = "workflow_event"
        /// Post one rendered card to one Slack channel (paced per channel).
        case postMessage = "post_message"
        /// Write an approver's decision to the F&O workflow and update the card.
        case decideApproval = "decide_approval"
    }

    /// The pacing bucket shared by every F&O call of a connection.
    public static func dynamicsRateKey(_ connectionID: Int64) -> String { "dynamics:\(connectionID)" }

    /// The pacing bucket of one Slack channel (`Configuration.slackChannelIntervalMilliseconds`).
    public static func slackRateKey(connectionID: Int64, channel: String) -> String { "slack:\(connectionID):\(channel)" }

    /// NOTIFY channel that wakes `process-job --listen` workers.
    public static let notifyChannel = "mlc_job"

    /// Inserts a follow-up job; a `dedupeKey` already used makes this a no-op returning nil.
    @discardableResult
    public static func enqueue(on db: PostgresConnection, kind: Kind, connectionID: Int64?, businessEventRowID: Int64?, args: JSONObject,
                        rateKey: String = "default", minIntervalMilliseconds: Int = 0,
                        dedupeKey: String?) throws(PostgresError) -> Int64? {
        try db.query("""
            WITH bucket AS (
                INSERT INTO rate_bucket (key, min_interval) VALUES ($5, make_interval(secs => $6::float8 / 1000))
                ON CONFLICT (key) DO UPDATE SET min_interval = EXCLUDED.min_interval
                WHERE rate_bucket.min_interval <> EXCLUDED.min_interval),
            job AS (
                INSERT INTO job (kind, args, connection_id, business_event_id, rate_key, dedupe_key)
                VALUES ($1, $2::jsonb, $3, $4, $5, $7)
                ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                RETURNING id)
            SELECT id, pg_notify($8, '') IS NULL AS notified FROM job
            """, [kind.rawValue, JSONValue.object(args).serialized(), connectionID, businessEventRowID, rateKey,
                  minIntervalMilliseconds, dedupeKey, notifyChannel]).first?.int64("id")
    }
}
