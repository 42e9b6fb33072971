extension Migration {
    /// Version 8: what the Slack App Home "My approvals" lists (issue 12): each approval's subject, amount,
    /// currency and F&O due date as known when its card was made, the card's permalink once Slack gave it, and
    /// who has opened the App Home (only they get it refreshed when one of their approvals changes).
    static let appHome = Migration(version: 8, name: "app home", sql: #"""
    ALTER TABLE approval ADD COLUMN subject text;
    ALTER TABLE approval ADD COLUMN amount numeric;
    ALTER TABLE approval ADD COLUMN currency text;
    ALTER TABLE approval ADD COLUMN due_at timestamptz;
    ALTER TABLE approval ADD COLUMN permalink text;
    CREATE INDEX approval_approver_idx ON approval (connection_id, approver_slack_id, state);

    -- People who opened the App Home at least once (Slack's app_home_opened, home tab).
    CREATE TABLE app_home (
        connection_id  bigint NOT NULL REFERENCES connection (id),
        slack_user_id  text NOT NULL,
        first_opened_at timestamptz NOT NULL DEFAULT now(),
        last_opened_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, slack_user_id)
    );
    """#)
}
