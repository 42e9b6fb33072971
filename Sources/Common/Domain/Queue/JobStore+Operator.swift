public import Core

/// What the operator sees and does with jobs (`ml-connector jobs`, `replay`).
extension JobStore {
    /// One job as listed by `ml-connector jobs`.
    public struct Record: Sendable {
        public let json: JSONValue
    }

    public func list(state: JobState?, limit: Int) throws(PostgresError) -> [Record] {
        try db.query("""
            SELECT j.id, j.kind, j.state::text AS state, j.attempt, j.max_attempts, j.snoozes,
                   to_char(j.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS run_at,
                   c.name AS connection, e.event_id, j.last_error
            FROM job j LEFT JOIN connection c ON c.id = j.connection_id
                       LEFT JOIN business_event e ON e.id = j.business_event_id
            WHERE \(state?.rawValue)::text IS NULL OR j.state::text = \(state?.rawValue)
            ORDER BY j.id DESC LIMIT \(limit)
            """).rows.map { row throws(PostgresError) in
            var object = JSONObject()
            object["id"] = .number(String(try row.int64("id")))
            object["kind"] = .string(try row.string("kind"))
            object["state"] = .string(try row.string("state"))
            object["attempt"] = .number(String(try row.int("attempt")))
            object["max_attempts"] = .number(String(try row.int("max_attempts")))
            object["snoozes"] = .number(String(try row.int("snoozes")))
            object["run_at"] = .string(try row.string("run_at"))
            object["connection"] = try row.optionalString("connection").map(JSONValue.string) ?? .null
            object["event_id"] = try row.optionalString("event_id").map(JSONValue.string) ?? .null
            object["last_error"] = try row.optionalString("last_error").map(JSONValue.string) ?? .null
            return Record(json: .object(object))
        }
    }

    /// Makes discarded (or cancelled) jobs available again, with one more attempt if they had used them all.
    /// Returns the ids replayed.
    public func replay(ids: [Int64]?) throws(PostgresError) -> [Int64] {
        try db.query("""
            WITH replayed AS (
                UPDATE job SET state = 'available', run_at = now(), finalized_at = NULL, snoozes = 0,
                               max_attempts = greatest(max_attempts, attempt + 1)
                WHERE state IN ('discarded', 'cancelled') AND (\(ids)::bigint[] IS NULL OR id = ANY(\(ids)::bigint[]))
                RETURNING id, connection_id, business_event_id),
            audited AS (
                INSERT INTO audit_log (connection, event_id, job_id, action, outcome, detail)
                SELECT c.name, e.event_id, r.id, 'job.replay', 'ok', 'made available again by the operator'
                FROM replayed r LEFT JOIN connection c ON c.id = r.connection_id
                                LEFT JOIN business_event e ON e.id = r.business_event_id)
            SELECT id FROM replayed ORDER BY id
            """).rows.map { row throws(PostgresError) in try row.int64("id") }
    }
}
