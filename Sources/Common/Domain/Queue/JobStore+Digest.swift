public import Core

extension JobStore {
    /// Whether the job queued under `dedupeKey` has not started (or does not exist yet). The job is locked until the
    /// transaction ends, so it cannot start meanwhile: what the transaction adds for it is there when it runs. Runs
    /// inside a transaction (`EventDeliveryJob` adding a notice to its digest).
    public func isUnstarted(dedupeKey: String) throws(PostgresError) -> Bool {
        guard let row = try db.query("""
            SELECT state = 'available' AND attempt = 0 AS unstarted FROM job WHERE dedupe_key = \(dedupeKey) FOR UPDATE
            """).first
        else { return true }
        return try row.bool("unstarted")
    }
}
