/// What `ml-connector status` reads from the audit log: the newest row of a kind per connection, found by walking
/// the connection's rows newest first (`audit_log_connection_idx`).
extension AuditStore {
    /// When the connection last had an `action` row with that outcome (UTC, ISO 8601), if ever; with `callsOnly`,
    /// only rows of an outbound call count (a `slack.post` that found its earlier post made none).
    public func lastAt(action: String, outcome: AuditEntry.Outcome = .ok, callsOnly: Bool = false,
                       connection: String) throws(PostgresError) -> String? {
        try db.query("""
            SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at_text FROM audit_log
            WHERE connection = \(connection) AND action = \(action) AND outcome = \(outcome.rawValue)
              AND (NOT \(callsOnly)::boolean OR http_method IS NOT NULL)
            ORDER BY id DESC LIMIT 1
            """).first.map { row throws(PostgresError) in try row.string("at_text") }
    }

    /// The connection's newest outbound call (a row with an HTTP method), if any.
    public func lastCall(connection: String) throws(PostgresError) -> AuditRecord? {
        try entries(connection: connection, callsOnly: true, limit: 1).first
    }
}
