public import Core

/// Every statement on `slack_user`: F&O people's email addresses resolved to Slack users, per connection, with
/// an expiry (a miss is cached too).
public struct SlackUserStore {
    private let db: PostgresConnection
    private let connectionID: Int64

    public init(_ db: PostgresConnection, connectionID: Int64) {
        self.db = db
        self.connectionID = connectionID
    }

    /// `.some(nil)` for a cached miss; nil when nothing current is cached. `email` is lower-cased.
    public func cached(email: String) throws(PostgresError) -> String?? {
        guard let row = try db.query("""
            SELECT slack_user_id FROM slack_user
            WHERE connection_id = \(connectionID) AND email = \(email) AND expires_at > now()
            """).first
        else { return nil }
        return .some(try row.optionalString("slack_user_id"))
    }

    public func store(email: String, slackUserID: String?, forSeconds seconds: Int) throws(PostgresError) {
        try db.query("""
            INSERT INTO slack_user (connection_id, email, slack_user_id, expires_at)
            VALUES (\(connectionID), \(email), \(slackUserID), now() + make_interval(secs => \(seconds)))
            ON CONFLICT (connection_id, email) DO UPDATE SET slack_user_id = EXCLUDED.slack_user_id,
                                                             expires_at = EXCLUDED.expires_at
            """)
    }

    // MARK: Retention (RetentionPolicy.Kind.slackUsers), across connections

    /// Deletes up to `limit` cache entries that expired more than `days` ago, of every connection, in one statement;
    /// returns how many went.
    public static func purge(_ db: PostgresConnection, expiredDaysAgo days: Int, limit: Int) throws(PostgresError) -> Int {
        try db.deleteBatch(from: "slack_user", key: "(connection_id, email)", candidates: purgeable(days), limit: limit)
    }

    /// Entries `purge` would delete now.
    public static func countPurgeable(_ db: PostgresConnection, expiredDaysAgo days: Int) throws(PostgresError) -> Int64 {
        try db.count(of: purgeable(days))
    }

    private static func purgeable(_ days: Int) -> SQL {
        "SELECT connection_id, email FROM slack_user WHERE expires_at < now() - make_interval(days => \(days))"
    }
}
