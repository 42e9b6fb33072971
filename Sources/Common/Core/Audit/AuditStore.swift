/// Writes and reads the append-only `audit_log` table.
public struct AuditStore {
    let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    public func record(_ entry: AuditEntry) throws(PostgresError) {
        try db.query("""
            INSERT INTO audit_log (connection, event_id, job_id, action, outcome, detail,
                                   http_method, http_target, http_status, duration_ms)
            VALUES (\(entry.connection), \(entry.eventID), \(entry.jobID), \(entry.action), \(entry.outcome.rawValue),
                    \(entry.detail), \(entry.call?.method), \(entry.call?.target), \(entry.call?.status),
                    \(entry.call?.durationMilliseconds))
            """)
    }

    /// Writes `entries` in one statement (nothing when empty).
    public func record(_ entries: [AuditEntry]) throws(PostgresError) {
        guard !entries.isEmpty else { return }
        try db.query(Self.insert(entries))
    }

    /// One INSERT of `entries`, in their order, stamped with their own times: alone, or as a CTE of another
    /// statement (a job's completion), so the rows travel with the statement that ends what they describe.
    public static func insert(_ entries: [AuditEntry]) -> SQL {
        let rows = JSONValue.array(entries.map { entry in
            var row = JSONObject()
            row["at"] = entry.atMicroseconds.map { .number(String($0)) } ?? .null
            row["connection"] = entry.connection.map(JSONValue.string) ?? .null
            row["event_id"] = entry.eventID.map(JSONValue.string) ?? .null
            row["job_id"] = entry.jobID.map { .number(String($0)) } ?? .null
            row["action"] = .string(entry.action)
            row["outcome"] = .string(entry.outcome.rawValue)
            row["detail"] = .string(entry.detail)
            row["http_method"] = entry.call.map { .string($0.method) } ?? .null
            row["http_target"] = entry.call.map { .string($0.target) } ?? .null
            row["http_status"] = entry.call?.status.map { .number(String($0)) } ?? .null
            row["duration_ms"] = entry.call.map { .number(String($0.durationMilliseconds)) } ?? .null
            return .object(row)
        })
        return """
            INSERT INTO audit_log (at, connection, event_id, job_id, action, outcome, detail,
                                   http_method, http_target, http_status, duration_ms)
            SELECT coalesce(to_timestamp((r->>'at')::float8 / 1000000), clock_timestamp()), r->>'connection', r->>'event_id',
                   (r->>'job_id')::bigint, r->>'action', r->>'outcome', r->>'detail', r->>'http_method', r->>'http_target',
                   (r->>'http_status')::int, (r->>'duration_ms')::int
            FROM jsonb_array_elements(\(rows.serialized())::jsonb) WITH ORDINALITY AS e(r, n) ORDER BY n
            """
    }

    /// Rows, oldest first, filtered by event and/or connection (and to outbound calls); the newest `limit` when
    /// there are more.
    public func entries(eventID: String? = nil, connection: String? = nil, callsOnly: Bool = false,
                        limit: Int = 100) throws(PostgresError) -> [AuditRecord] {
        try db.query("""
            SELECT * FROM (
                SELECT id, at AS at_key, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at_text, connection,
                       event_id, job_id, action, outcome, detail, http_method, http_target, http_status, duration_ms
                FROM audit_log
                WHERE (\(eventID)::text IS NULL OR event_id = \(eventID))
                  AND (\(connection)::text IS NULL OR connection = \(connection))
                  AND (NOT \(callsOnly)::boolean OR http_method IS NOT NULL)
                ORDER BY at DESC, id DESC LIMIT \(limit)
            ) newest ORDER BY at_key, id
            """).rows.map { row throws(PostgresError) in
            AuditRecord(
                id: try row.int64("id"), at: try row.string("at_text"),
                entry: AuditEntry(
                    action: try row.string("action"),
                    outcome: AuditEntry.Outcome(rawValue: try row.string("outcome")) ?? .error,
                    connection: try row.optionalString("connection"), eventID: try row.optionalString("event_id"),
                    jobID: try row.optionalInt64("job_id"), detail: try row.string("detail"),
                    call: try row.optionalString("http_method").map { method throws(PostgresError) in
                        AuditEntry.Call(method: method, target: try row.optionalString("http_target") ?? "",
                                        status: try row.optionalInt64("http_status").map(Int.init),
                                        durationMilliseconds: Int(try row.optionalInt64("duration_ms") ?? 0))
                    }))
        }
    }

    // MARK: Retention (RetentionPolicy.Kind.audit)

    /// Deletes up to `limit` rows older than `days`, except the held history, in a short transaction of its own:
    /// the log's trigger lets a DELETE through only there (`mlc.retention`), and only for rows older than 30 days.
    /// Returns how many went.
    public func purge(olderThanDays days: Int, limit: Int, keeping hold: RetentionHold) throws -> Int {
        try db.transaction { db in
            try db.execute("SET LOCAL mlc.retention = 'on'")
            return try db.deleteBatch(from: "audit_log", key: "id", candidates: Self.purgeable(days, hold), limit: limit)
        }
    }

    /// Rows `purge` would delete now.
    public func countPurgeable(olderThanDays days: Int, keeping hold: RetentionHold) throws(PostgresError) -> Int64 {
        try db.count(of: Self.purgeable(days, hold))
    }

    private static func purgeable(_ days: Int, _ hold: RetentionHold) -> SQL {
        """
        SELECT l.id FROM audit_log l
        WHERE l.at < now() - make_interval(days => \(days))
          AND NOT EXISTS (SELECT 1 FROM unnest(\(hold.connections)::text[], \(hold.eventIDs)::text[]) h(connection, event_id)
                          WHERE h.connection = l.connection AND h.event_id = l.event_id)
          AND NOT EXISTS (SELECT 1 FROM unnest(\(hold.jobs)::bigint[]) h(job) WHERE h.job = l.job_id)
        """
    }
}

/// An audit row as stored.
public struct AuditRecord: Sendable {
    public let id: Int64
    public let at: String
    public let entry: AuditEntry

    public init(id: Int64, at: String, entry: AuditEntry) {
        self.id = id
        self.at = at
        self.entry = entry
    }

    /// One JSON object, the `audit --json` line format.
    public var json: JSONValue {
        var object = JSONObject()
        object["id"] = .number(String(id))
        object["at"] = .string(at)
        object["connection"] = entry.connection.map(JSONValue.string) ?? .null
        object["event_id"] = entry.eventID.map(JSONValue.string) ?? .null
        object["job_id"] = entry.jobID.map { .number(String($0)) } ?? .null
        object["action"] = .string(entry.action)
        object["outcome"] = .string(entry.outcome.rawValue)
        object["detail"] = .string(entry.detail)
        if let call = entry.call {
            object["http_method"] = .string(call.method)
            object["http_target"] = .string(call.target)
            object["http_status"] = call.status.map { .number(String($0)) } ?? .null
            object["duration_ms"] = .number(String(call.durationMilliseconds))
        }
        return .object(object)
    }
}
