/// The PostgreSQL job queue (job-queue.md §A.7): leases instead of heartbeats, `FOR UPDATE … SKIP LOCKED`
/// claims with per-bucket pacing, every finalisation guarded by ownership, and the database clock as the only
/// clock.
public struct JobStore {
    /// Kept finished jobs: completed for 7 days, discarded and cancelled for 30 days; pruned in batches of 1000
    /// at most once a minute across all workers.
    public static let retention = "completed jobs are kept 7 days, discarded or cancelled jobs 30 days"
    /// A job rate-limited this many times is discarded.
    public static let maxSnoozes = 50

    let db: PostgresConnection
    private let worker: String

    public init(_ db: PostgresConnection, worker: String) {
        self.db = db
        self.worker = worker
    }

    /// Claims the next due job whose bucket is open, bumping the bucket by its pacing interval.
    public func claim(leaseSeconds: Int) throws(PostgresError) -> ClaimedJob? {
        guard let row = try db.query("""
            WITH picked AS MATERIALIZED (
                SELECT j.id, b.key FROM job j JOIN rate_bucket b ON b.key = j.rate_key
                WHERE j.state = 'available' AND j.run_at <= now() AND b.next_allowed_at <= now()
                ORDER BY j.priority, j.run_at, j.id
                LIMIT 1
                FOR UPDATE OF j, b SKIP LOCKED),
            bump AS (
                UPDATE rate_bucket b SET next_allowed_at = now() + b.min_interval
                FROM picked WHERE b.key = picked.key AND b.min_interval > interval '0')
            UPDATE job j SET state = 'running', attempt = j.attempt + 1, attempted_at = now(),
                             locked_by = $1, locked_until = now() + make_interval(secs => $2)
            FROM picked WHERE j.id = picked.id
            RETURNING j.id, j.kind, j.connection_id, j.business_event_id, j.args::text AS args, j.attempt,
                      j.max_attempts, j.rate_key
            """, [worker, leaseSeconds]).first
        else { return nil }
        let args = (try? JSONParser.parse(Array(try row.string("args").utf8)))?.objectValue ?? JSONObject()
        return ClaimedJob(id: try row.int64("id"), kind: try row.string("kind"),
                          connectionID: try row.optionalInt64("connection_id"),
                          businessEventRowID: try row.optionalInt64("business_event_id"), args: args,
                          attempt: try row.int("attempt"), maxAttempts: try row.int("max_attempts"),
                          rateKey: try row.string("rate_key"))
    }

    /// Seconds until a job that is due but held back only by its bucket's pacing may run, when that is soon.
    public func pacingWait(atMost limit: Double = 5) throws(PostgresError) -> Double? {
        let row = try db.query("""
            SELECT extract(epoch FROM min(b.next_allowed_at) - now())::float8::text AS wait
            FROM job j JOIN rate_bucket b ON b.key = j.rate_key
            WHERE j.state = 'available' AND j.run_at <= now() AND b.next_allowed_at > now()
            """).first
        guard let text = try row?.optionalString("wait"), let wait = Double(text), wait <= limit else { return nil }
        return max(0.01, wait)
    }

    /// Records the attempt and moves the job on. Returns the state it ended in, or nil when this worker no
    /// longer owned it (its lease expired and another took over).
    @discardableResult
    public func finish(_ job: ClaimedJob, _ outcome: JobOutcome, retryBaseSeconds: Int = 10) throws(PostgresError) -> String? {
        let steps: String  // CTEs ending in `finished` (state, attempt, attempted_at, outcome, error)
        var parameters: [any PostgresParameter] = [job.id, worker]
        switch outcome {
        case .completed:
            steps = """
                finished AS (
                UPDATE job SET state = 'completed', finalized_at = now(), locked_by = NULL, locked_until = NULL,
                               last_error = NULL
                WHERE id = $1 AND state = 'running' AND locked_by = $2
                RETURNING state::text, attempt, attempted_at, 'ok' AS outcome, NULL::text AS error)
                """
        case .retry(let error, let after):
            steps = """
                finished AS (
                UPDATE job SET
                    state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'available' END::job_state,
                    finalized_at = CASE WHEN attempt >= max_attempts THEN now() END,
                    run_at = now() + greatest(make_interval(secs => coalesce($4, 0)),
                                              least(interval '1 hour', make_interval(secs => $5) * power(2, attempt - 1))
                                              * (0.75 + random() * 0.5)),
                    locked_by = NULL, locked_until = NULL, last_error = $3
                WHERE id = $1 AND state = 'running' AND locked_by = $2
                RETURNING state::text, attempt, attempted_at,
                          CASE WHEN state = 'discarded' THEN 'discard' ELSE 'retry' END AS outcome, last_error AS error)
                """
            parameters += [error, after, retryBaseSeconds]
        case .snooze(let error, let seconds, let rateKey):
            steps = """
                j AS (
                    UPDATE job SET
                        state = CASE WHEN snoozes + 1 >= $6 THEN 'discarded' ELSE 'available' END::job_state,
                        finalized_at = CASE WHEN snoozes + 1 >= $6 THEN now() END,
                        attempt = attempt - 1, snoozes = snoozes + 1, run_at = now() + make_interval(secs => $4),
                        locked_by = NULL, locked_until = NULL, last_error = $3
                    WHERE id = $1 AND state = 'running' AND locked_by = $2
                    RETURNING state, attempt + 1 AS attempt, attempted_at, last_error),
                bucket AS (
                    INSERT INTO rate_bucket (key, next_allowed_at) VALUES ($5, now() + make_interval(secs => $4))
                    ON CONFLICT (key) DO UPDATE
                    SET next_allowed_at = greatest(rate_bucket.next_allowed_at, EXCLUDED.next_allowed_at)),
                finished AS (
                SELECT state::text, attempt, attempted_at,
                       CASE WHEN state = 'discarded' THEN 'discard' ELSE 'snooze' END AS outcome, last_error AS error FROM j)
                """
            parameters += [error, seconds, rateKey, Self.maxSnoozes]
        case .discard(let error):
            steps = """
                finished AS (
                UPDATE job SET state = 'discarded', finalized_at = now(), locked_by = NULL, locked_until = NULL,
                               last_error = $3
                WHERE id = $1 AND state = 'running' AND locked_by = $2
                RETURNING state::text, attempt, attempted_at, 'discard' AS outcome, last_error AS error)
                """
            parameters.append(error)
        }
        guard let row = try db.query("""
            WITH \(steps),
            logged AS (
                INSERT INTO job_attempt (job_id, attempt, started_at, outcome, error)
                SELECT $1, attempt, attempted_at, outcome, error FROM finished)
            SELECT state FROM finished
            """, parameters).first
        else { return nil }
        return try row.string("state")
    }

    /// Expired leases back to `available` (or discarded when out of attempts), and finished jobs past retention
    /// deleted; each at most once a minute across all workers (a conditional-UPDATE gate, no leader).
    /// Returns the ids of reaped jobs.
    public func maintain() throws(PostgresError) -> [Int64] {
        let reaped = try db.query("""
            WITH gate AS (
                UPDATE maintenance_clock SET last_run_at = now()
                WHERE name = 'reap' AND last_run_at < now() - interval '60 seconds' RETURNING 1),
            reaped AS (
                UPDATE job SET state = (CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'available' END)::job_state,
                               finalized_at = CASE WHEN attempt >= max_attempts THEN now() END, run_at = now(),
                               locked_by = NULL, locked_until = NULL, last_error = 'lease expired'
                WHERE state = 'running' AND locked_until < now() AND EXISTS (SELECT 1 FROM gate)
                RETURNING id, attempt, attempted_at),
            logged AS (
                INSERT INTO job_attempt (job_id, attempt, started_at, outcome, error)
                SELECT id, attempt, attempted_at, 'lease_expired', 'lease expired' FROM reaped)
            SELECT id FROM reaped
            """).rows.map { row throws(PostgresError) in try row.int64("id") }
        try db.query("""
            WITH gate AS (
                UPDATE maintenance_clock SET last_run_at = now()
                WHERE name = 'prune' AND last_run_at < now() - interval '60 seconds' RETURNING 1)
            DELETE FROM job WHERE id IN (
                SELECT id FROM job
                WHERE EXISTS (SELECT 1 FROM gate)
                  AND ((state = 'completed' AND finalized_at < now() - interval '7 days')
                       OR (state IN ('discarded', 'cancelled') AND finalized_at < now() - interval '30 days'))
                ORDER BY id LIMIT 1000)
            """)
        return reaped
    }

}
