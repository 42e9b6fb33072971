/// The two statements of a batched retention purge, for the stores that own the tables (`…Store.purge`,
/// `countPurgeable`): each store says which of its rows may go (`candidates`, a SELECT of the table's key), this
/// says how one batch of them goes.
extension PostgresConnection {
    /// Deletes at most `limit` rows of `table` whose `key` (a column, or a parenthesised list of columns) is among
    /// `candidates`, skipping rows another session holds, in one short statement; returns how many went.
    public func deleteBatch(from table: String, key: String, candidates: SQL, limit: Int) throws(PostgresError) -> Int {
        try query("""
            WITH gone AS (
                DELETE FROM \(raw: table) WHERE \(raw: key) IN (\(sql: candidates) LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING 1)
            SELECT count(*) AS n FROM gone
            """).first?.int("n") ?? 0
    }

    /// How many rows `candidates` selects: what a purge would delete now.
    public func count(of candidates: SQL) throws(PostgresError) -> Int64 {
        try query("SELECT count(*) AS n FROM (\(sql: candidates)) candidates").first?.int64("n") ?? 0
    }
}
