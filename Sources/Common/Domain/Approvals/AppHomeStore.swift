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

    /// Whether `slackUserID` has ever opened the App Home on this connection.
    public func hasOpened(connectionID: Int64, slackUserID: String) throws(PostgresError) -> Bool {
        try db.query("SELECT 1 AS opened FROM app_home WHERE connection_id = \(connectionID) AND slack_user_id = \(slackUserID)")
            .first != nil
    }
}
