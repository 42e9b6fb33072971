public import Core

/// Every statement on `app_home`: who opened the App Home ("My approvals"), so that a change to one of their
/// approvals refreshes it — and nobody who never looked gets a `views.publish` on every change.
public struct AppHomeStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Records that `slackUserID` opened the App Home.
    public func opened(connectionID: Int64, slackUserID: String) throws(PostgresError) {
        try db.query("""
            INSERT INTO app_home (connection_id, slack_user_id) VALUES (\(connectionID), \(slackUserID))
            ON CONFLICT (connection_id, slack_user_id) DO UPDATE SET last_opened_at = now()
            """)
    }

    /// Runs `body` holding this person's publication lock (a session advisory lock, released when `body` ends or the
    /// session does): two workers publishing one person's Home take turns, so the one that publishes last read the
    /// approvals last and an older view never overwrites a newer one.
    public func publishing<T>(connectionID: Int64, slackUserID: String, _ body: () throws -> T) throws -> T {
        let key = "mlc.app_home:\(connectionID):\(slackUserID)"
        try db.query("SELECT pg_advisory_lock(hashtextextended(\(key), 0)) IS NULL AS locked")
        defer { _ = try? db.query("SELECT pg_advisory_unlock(hashtextextended(\(key), 0)) AS unlocked") }
        return try body()
    }

    /// Whether `slackUserID` has ever opened the App Home on this connection.
    public func hasOpened(connectionID: Int64, slackUserID: String) throws(PostgresError) -> Bool {
        try db.query("SELECT 1 AS opened FROM app_home WHERE connection_id = \(connectionID) AND slack_user_id = \(slackUserID)")
            .first != nil
    }
}
