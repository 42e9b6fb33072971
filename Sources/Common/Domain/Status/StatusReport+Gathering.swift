public import Core

extension StatusReport {
    /// Reads the report from the stores (a handful of indexed queries per connection).
    public static func gather(from db: PostgresConnection) throws(PostgresError) -> StatusReport {
        let audit = AuditStore(db)
        let connections = try ConnectionStore(db).list().map { record throws(PostgresError) in
            ConnectionStatus(name: record.name,
                             lastEventAt: try audit.lastAt(action: "event.received", connection: record.name),
                             lastPostAt: try audit.lastAt(action: "slack.post", callsOnly: true, connection: record.name),
                             lastCall: try audit.lastCall(connection: record.name))
        }
        return StatusReport(jobs: try JobStore(db).queueStatus(dueLimitSeconds: dueLimitSeconds),
                            approvals: try ApprovalStore(db).counts(), connections: connections,
                            retention: try RetentionStore(db).policy())
    }
}
