public import Core

/// Approvals as `ml-connector status` counts them.
extension ApprovalStore {
    /// Approvals per state (every state, zero included).
    public func counts() throws(PostgresError) -> [ApprovalState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: ApprovalState.allCases.map { ($0, 0) })
        for row in try db.query("SELECT state, count(*) AS n FROM approval GROUP BY state").rows {
            if let state = ApprovalState(rawValue: try row.string("state")) { counts[state] = Int(try row.int64("n")) }
        }
        return counts
    }
}
