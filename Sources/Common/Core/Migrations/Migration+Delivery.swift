extension Migration {
    /// Version 2: what the delivery job records — every message posted to Slack (channel and `ts`, kept before
    /// the job completes), the card behind each approval (so it can be updated), and cached dimension formats.
    static let delivery = Migration(version: 2, name: "delivery records", sql: #"""
    CREATE TABLE slack_message (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        connection_id     bigint NOT NULL REFERENCES connection (id),
        business_event_id bigint REFERENCES business_event (id),
        job_id            bigint NOT NULL,
        channel_id        text NOT NULL,   -- as returned by chat.postMessage (a D… id for direct messages)
        ts                text NOT NULL,
        posted_at         timestamptz NOT NULL DEFAULT now(),
        UNIQUE (job_id)
    );
    CREATE INDEX slack_message_event_idx ON slack_message (business_event_id);

    ALTER TABLE approval ADD COLUMN card jsonb;
    ALTER TABLE approval ADD COLUMN summary text NOT NULL DEFAULT '';

    -- DimensionIntegrationFormats per connection, refreshed after expires_at.
    CREATE TABLE dimension_format (
        connection_id bigint PRIMARY KEY REFERENCES connection (id),
        default_format text,
        ledger_format  text,
        expires_at     timestamptz NOT NULL
    );
    """#)
}
