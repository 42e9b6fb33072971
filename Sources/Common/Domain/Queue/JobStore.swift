public import Core

/// The PostgreSQL job queue (job-queue.md §A.7): enqueueing, leases instead of heartbeats,
/// `FOR UPDATE … SKIP LOCKED` claims with per-bucket pacing, every finalisation guarded by ownership, and the
/// database clock as the only clock. What the operator sees and does is in `JobStore+Operator.swift`.
public struct JobStore {
    /// How long finished jobs are kept, for `ml-connector jobs --help`: the retention sweep deletes them.
    public static let retention = "finished jobs are deleted after the periods `ml-connector retention` shows (by default "
        + "completed \(RetentionPolicy.format(days: RetentionPolicy.Kind.completedJobs.defaultDays)), discarded or cancelled "
        + "\(RetentionPolicy.format(days: RetentionPolicy.Kind.discardedJobs.defaultDays)))"
    /// A job rate-limited this many times is discarded.
    public static let maxSnoozes = 50
    /// NOTIFY channel that wakes `process-job --listen` workers.
    public static let notifyChannel = "mlc_job"

    let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Inserts a job (and its pacing bucket, with `minIntervalMilliseconds` between two claims) and wakes the
    /// listening workers; a `dedupeKey` already used makes this a no-op returning nil. `runAt` (Unix seconds) schedules
    /// the job for its time; nil is now.
    @discardableResult
    public func enqueue(_ kind: JobKind, connectionID: Int64?, businessEventRowID: Int64?, args: JSONObject,
                        rateKey: String = RateKey.unpaced, minIntervalMilliseconds: Int = 0, runAt: Int64? = nil,
                        dedupeKey: String?) throws(PostgresError) -> Int64? {
        try db.query("""
            WITH bucket AS (
                INSERT INTO rate_bucket (key, min_interval)
                VALUES (\(rateKey), make_interval(secs => \(minIntervalMilliseconds)::float8 / 1000))
                ON CONFLICT (key) DO UPDATE SET min_interval = EXCLUDED.min_interval
                WHERE rate_bucket.min_interval <> EXCLUDED.min_interval),
            job AS (
                INSERT INTO job (kind, args, connection_id, business_event_id, rate_key, dedupe_key, run_at)
                VALUES (\(kind.rawValue), \(JSONValue.object(args))::jsonb, \(connectionID), \(businessEventRowID),
                        \(rateKey), \(dedupeKey), coalesce(to_timestamp(\(runAt)::float8), now()))
                ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                RETURNING id)
            SELECT id, pg_notify(\(Self.notifyChannel), '') IS NULL AS notified FROM job
            """).first?.int64("id")
    }

    /// The queue's clock (the database's `now()`), Unix seconds: what jobs scheduled for their time are compared with.
    public func now() throws(PostgresError) -> Int64 {
        guard let row = try db.query("SELECT floor(extract(epoch FROM now()))::bigint AS now").first else {
            throw PostgresError(kind: .conversion, serverMessage: "now() returned no row")
        }
        return try row.int64("now")
    }

    /// Creates a pacing bucket that jobs will name (a connection's F&O bucket), when it does not exist.
    public func ensureBucket(_ key: String) throws(PostgresError) {
        try db.query("INSERT INTO rate_bucket (key) VALUES (\(key)) ON CONFLICT DO NOTHING")
    }

    /// Subscribes this session to the wake-up notifications (`process-job --listen`).
    public func listen() throws(PostgresError) {
        try db.execute("LISTEN \(Self.notifyChannel)")
    }

    /// Claims the next due job whose bucket is open for `worker`, bumping the bucket by its pacing interval. What the
    /// job starts from comes in the same round trip: a stored event's payload, and for a delivery the routes.
    public func claim(worker: String, leaseSeconds: Int) throws(PostgresError) -> ClaimedJob? {
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
                             locked_by = \(worker), locked_until = now() + make_interval(secs => \(leaseSeconds))
            FROM picked WHERE j.id = picked.id
            RETURNING j.id, j.kind, j.connection_id, j.business_event_id, j.args::text AS args, j.attempt,
                      j.max_attempts,
                      (SELECT e.payload::text FROM business_event e
                       WHERE e.id = j.business_event_id AND j.kind = ANY(\(JobKind.readingEvent.map(\.rawValue))::text[])) AS payload,
                      CASE WHEN j.kind = \(JobKind.deliverEvent.rawValue)
                           THEN \(raw: RouteStore.aggregate(connectionID: "j.connection_id")) END AS routes
            """).first
        else { return nil }
        let args = (try? JSONParser.parse(Array(try row.string("args").utf8)))?.objectValue ?? JSONObject()
        let kind = try row.string("kind")
        return ClaimedJob(id: try row.int64("id"), kind: JobKind(rawValue: kind), kindName: kind,
                          connectionID: try row.optionalInt64("connection_id"),
                          businessEventRowID: try row.optionalInt64("business_event_id"), args: args,
                          attempt: try row.int("attempt"), maxAttempts: try row.int("max_attempts"),
                          eventPayload: try row.optionalString("payload"),
                          routes: try row.optionalString("routes").map { text throws(PostgresError) in try RouteStore.routes(fromJSON: text) })
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

    /// Records the attempt and moves the job on, writing `audit` (its outbound calls) and `recording` (what a
    /// completed job did outside, when that is one statement: `JobCompletionRecord.statement`) in the same statement —
    /// also when the lease was lost, for the calls were made. Returns the state it ended in, or nil when `worker` no
    /// longer owned it (its lease expired and another took over).
    @discardableResult
    public func finish(_ job: ClaimedJob, _ outcome: JobOutcome, worker: String, retryBaseSeconds: Int = 10,
                       audit: [AuditEntry] = [], recording: SQL? = nil) throws(PostgresError) -> JobState? {
        let owned: SQL = "id = \(job.id) AND state = 'running' AND locked_by = \(worker)"
        let steps: SQL  // CTEs ending in `finished` (state, attempt, attempted_at, outcome, error)
        switch outcome {
        case .completed, .completedRecording:
            steps = """
                finished AS (
                UPDATE job SET state = 'completed', finalized_at = now(), locked_by = NULL, locked_until = NULL,
                               last_error = NULL
                WHERE \(sql: owned)
                RETURNING state::text, attempt, attempted_at, 'ok' AS outcome, NULL::text AS error)
                """
        case .retry(let error, let after):
            steps = """
                finished AS (
                UPDATE job SET
                    state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'available' END::job_state,
                    finalized_at = CASE WHEN attempt >= max_attempts THEN now() END,
                    run_at = now() + greatest(make_interval(secs => coalesce(\(after), 0)),
                                              least(interval '1 hour', make_interval(secs => \(retryBaseSeconds))
                                                    * power(2, attempt - 1)) * (0.75 + random() * 0.5)),
                    locked_by = NULL, locked_until = NULL, last_error = \(error)
                WHERE \(sql: owned)
                RETURNING state::text, attempt, attempted_at,
                          CASE WHEN state = 'discarded' THEN 'discard' ELSE 'retry' END AS outcome, last_error AS error)
                """
        case .snooze(let error, let seconds, let rateKey):
            steps = """
                j AS (
                    UPDATE job SET
                        state = CASE WHEN snoozes + 1 >= \(Self.maxSnoozes) THEN 'discarded' ELSE 'available' END::job_state,
                        finalized_at = CASE WHEN snoozes + 1 >= \(Self.maxSnoozes) THEN now() END,
                        attempt = attempt - 1, snoozes = snoozes + 1, run_at = now() + make_interval(secs => \(seconds)),
                        locked_by = NULL, locked_until = NULL, last_error = \(error)
                    WHERE \(sql: owned)
                    RETURNING state, attempt + 1 AS attempt, attempted_at, last_error),
                bucket AS (
                    INSERT INTO rate_bucket (key, next_allowed_at)
                    SELECT \(rateKey)::text, now() + make_interval(secs => \(seconds)) WHERE \(rateKey)::text IS NOT NULL
                    ON CONFLICT (key) DO UPDATE
                    SET next_allowed_at = greatest(rate_bucket.next_allowed_at, EXCLUDED.next_allowed_at)),
                finished AS (
                SELECT state::text, attempt, attempted_at,
                       CASE WHEN state = 'discarded' THEN 'discard' ELSE 'snooze' END AS outcome, last_error AS error FROM j)
                """
        case .discard(let error):
            steps = """
                finished AS (
                UPDATE job SET state = 'discarded', finalized_at = now(), locked_by = NULL, locked_until = NULL,
                               last_error = \(error)
                WHERE \(sql: owned)
                RETURNING state::text, attempt, attempted_at, 'discard' AS outcome, last_error AS error)
                """
        }
        var audited: SQL = audit.isEmpty ? "" : ", audited AS (\(sql: AuditStore.insert(audit)))"
        if let recording { audited = "\(sql: audited), recorded AS (\(sql: recording))" }
        guard let row = try db.query("""
            WITH \(sql: steps),
            logged AS (
                INSERT INTO job_attempt (job_id, attempt, started_at, outcome, error)
                SELECT \(job.id), attempt, attempted_at, outcome, error FROM finished)\(sql: audited)
            SELECT state FROM finished
            """).first
        else { return nil }
        let state = try row.string("state")
        guard let known = JobState(rawValue: state) else {
            throw PostgresError(kind: .conversion, serverMessage: "unknown job state \(state)")
        }
        return known
    }

    /// Expired leases back to `available` (or discarded when out of attempts), at most once per `leaseSeconds` (and a
    /// minute) across all workers. Returns the ids of reaped jobs.
    public func maintain(leaseSeconds: Int = 60) throws(PostgresError) -> [Int64] {
        guard try claimMaintenance("reap", everySeconds: min(60, leaseSeconds)) else { return [] }
        return try db.query("""
            WITH reaped AS (
                UPDATE job SET state = (CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'available' END)::job_state,
                               finalized_at = CASE WHEN attempt >= max_attempts THEN now() END, run_at = now(),
                               locked_by = NULL, locked_until = NULL, last_error = 'lease expired'
                WHERE state = 'running' AND locked_until < now()
                RETURNING id, attempt, attempted_at),
            logged AS (
                INSERT INTO job_attempt (job_id, attempt, started_at, outcome, error)
                SELECT id, attempt, attempted_at, 'lease_expired', 'lease expired' FROM reaped)
            SELECT id FROM reaped
            """).rows.map { row throws(PostgresError) in try row.int64("id") }
    }

    /// Whether this caller runs the maintenance `name` now: true for one caller per `seconds` across all workers (a
    /// conditional UPDATE of its `maintenance_clock` row, no leader).
    public func claimMaintenance(_ name: String, everySeconds seconds: Int) throws(PostgresError) -> Bool {
        try db.query("""
            UPDATE maintenance_clock SET last_run_at = now()
            WHERE name = \(name) AND last_run_at < now() - make_interval(secs => \(seconds))
            RETURNING 1 AS claimed
            """).first != nil
    }

    /// Makes the maintenance `name`, claimed every `period` seconds, due again `seconds` from now (it left work over).
    public func maintenanceDue(_ name: String, inSeconds seconds: Int, everySeconds period: Int) throws(PostgresError) {
        try db.query("""
            UPDATE maintenance_clock SET last_run_at = now() - make_interval(secs => \(period - seconds)) WHERE name = \(name)
            """)
    }
}
