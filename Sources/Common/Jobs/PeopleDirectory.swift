/// F&O people (by email) to Slack users, through `users.lookupByEmail`, cached in PostgreSQL: found for a day,
/// not found for an hour (so a person who joins Slack is picked up soon).
struct PeopleDirectory {
    static let foundSeconds = 86_400
    static let notFoundSeconds = 3_600

    let db: PostgresConnection
    let slack: SlackClient
    let connectionID: Int64

    func slackUser(email: String) throws -> String? {
        let key = email.lowercased()
        if let row = try db.query(
            "SELECT slack_user_id FROM slack_user WHERE connection_id = $1 AND email = $2 AND expires_at > now()",
            [connectionID, key]).first {
            return try row.optionalString("slack_user_id")
        }
        let user = try slack.lookupUser(email: key)
        try db.query("""
            INSERT INTO slack_user (connection_id, email, slack_user_id, expires_at)
            VALUES ($1, $2, $3, now() + make_interval(secs => $4))
            ON CONFLICT (connection_id, email) DO UPDATE SET slack_user_id = EXCLUDED.slack_user_id, expires_at = EXCLUDED.expires_at
            """, [connectionID, key, user, user == nil ? Self.notFoundSeconds : Self.foundSeconds])
        return user
    }
}
