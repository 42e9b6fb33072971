extension Migration {
    /// Version 4: refusals before authentication are counted per connection name and minute (DESIGN.md §7 Security),
    /// not stored one audit row each, so unauthenticated requests cannot grow the database at request rate. Names
    /// that are no connection share one row (`(unknown)`), so the count is bounded by the connections and the clock.
    static let refusalCounts = Migration(version: 4, name: "refusal counts", sql: #"""
    CREATE TABLE refusal_count (
        connection text NOT NULL,          -- a connection's name, or '(unknown)'
        minute     timestamptz NOT NULL,
        handler    text NOT NULL,          -- 'business-event' | 'slack-interaction'
        status     integer NOT NULL,
        count      bigint NOT NULL DEFAULT 1,
        PRIMARY KEY (connection, minute, handler, status)
    );
    """#)
}
