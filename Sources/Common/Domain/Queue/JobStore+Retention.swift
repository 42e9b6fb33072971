public import Core

/// Finished jobs past their retention (`RetentionPolicy.Kind.completedJobs`, `.discardedJobs`), deleted with their
/// attempts.
extension JobStore {
    /// Deletes up to `limit` jobs that finished in one of `states` more than `days` ago, and their attempts, in one
    /// statement; returns how many jobs went. The jobs of an event held by an approval that is not final stay.
    public func purge(_ states: [JobState], olderThanDays days: Int, limit: Int, keeping hold: RetentionHold) throws(PostgresError) -> Int {
        try db.query("""
            WITH doomed AS (\(sql: Self.purgeable(states, days, hold)) LIMIT \(limit) FOR UPDATE SKIP LOCKED),
            attempts AS (DELETE FROM job_attempt WHERE job_id IN (SELECT id FROM doomed)),
            gone AS (DELETE FROM job WHERE id IN (SELECT id FROM doomed) RETURNING 1)
            SELECT count(*) AS n FROM gone
            """).first?.int("n") ?? 0
    }

    /// Jobs `purge` would delete now.
    public func countPurgeable(_ states: [JobState], olderThanDays days: Int, keeping hold: RetentionHold) throws(PostgresError) -> Int64 {
        try db.count(of: Self.purgeable(states, days, hold))
    }

    private static func purgeable(_ states: [JobState], _ days: Int, _ hold: RetentionHold) -> SQL {
        """
        SELECT j.id FROM job j
        WHERE j.state = ANY(\(states.map(\.rawValue))::job_state[])
          AND j.finalized_at < now() - make_interval(days => \(days))
          AND NOT EXISTS (SELECT 1 FROM unnest(\(hold.eventRows)::bigint[]) h(event_row) WHERE h.event_row = j.business_event_id)
        """
    }
}
