/// Every statement on `refusal_count`: refusals before authentication, counted per connection name, minute,
/// handler and status (DESIGN.md §7 Security) instead of one audit row each.
public struct RefusalStore {
    /// The name counted for a request naming no connection.
    public static let unknownConnection = "(unknown)"

    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Counts one refusal; `connection` nil when the request named no connection that exists.
    public func count(connection: String?, handler: String, status: Int) throws(PostgresError) {
        try db.query("""
            INSERT INTO refusal_count (connection, minute, handler, status)
            VALUES (\(connection ?? Self.unknownConnection), date_trunc('minute', now()), \(handler), \(status))
            ON CONFLICT (connection, minute, handler, status) DO UPDATE SET count = refusal_count.count + 1
            """)
    }

    /// Refusals counted for `connection` (or the unknown ones) since `minutes` ago.
    public func total(connection: String?, minutes: Int = 60) throws(PostgresError) -> Int64 {
        try db.query("""
            SELECT coalesce(sum(count), 0)::bigint AS n FROM refusal_count
            WHERE connection = \(connection ?? Self.unknownConnection) AND minute >= now() - make_interval(mins => \(minutes))
            """).first?.int64("n") ?? 0
    }

    // MARK: Retention (RetentionPolicy.Kind.refusalCounts)

    /// Deletes up to `limit` per-minute counts older than `days` in one statement; returns how many went.
    public func purge(olderThanDays days: Int, limit: Int) throws(PostgresError) -> Int {
        try db.deleteBatch(from: "refusal_count", key: "(connection, minute, handler, status)", candidates: Self.purgeable(days), limit: limit)
    }

    /// Counts `purge` would delete now.
    public func countPurgeable(olderThanDays days: Int) throws(PostgresError) -> Int64 {
        try db.count(of: Self.purgeable(days))
    }

    private static func purgeable(_ days: Int) -> SQL {
        """
        SELECT connection, minute, handler, status FROM refusal_count WHERE minute < now() - make_interval(days => \(days))
        """
    }
}
