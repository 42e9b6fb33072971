/// Enqueues jobs (job-queue.md §A.7.2). Claiming and finalising live with the job runner.
public struct JobQueue {
    public enum Kind: String, Sendable {
        /// Read the event's document, route it and post the card.
        case deliverEvent = "deliver_event"
        /// Update the open approval card a workflow event concerns.
        case workflowEvent = "workflow_event"
    }

    /// NOTIFY channel that wakes `process-job --listen` workers.
    public static let notifyChannel = "mlc_job"

    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Inserts a job unless one with the same dedupe key exists; returns its id, or nil for a duplicate.
    @discardableResult
    public func enqueue(kind: Kind, connectionID: Int64, businessEventRowID: Int64?, dedupeKey: String?,
                        args: JSONValue = .object(JSONObject())) throws(PostgresError) -> Int64? {
        let row = try db.query("""
            WITH job AS (
                INSERT INTO job (kind, args, connection_id, business_event_id, dedupe_key)
                VALUES ($1, $2::jsonb, $3, $4, $5)
                ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                RETURNING id)
            SELECT id, pg_notify($6, '') IS NULL AS notified FROM job
            """, [kind.rawValue, args.serialized(), connectionID, businessEventRowID, dedupeKey, Self.notifyChannel]).first
        return try row?.int64("id")
    }
}
