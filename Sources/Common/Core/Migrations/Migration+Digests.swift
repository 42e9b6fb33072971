extension Migration {
    /// Version 10: digests (issue 12, item 5). A channel route may collect its notices and post them as one message
    /// at set times of day (`digest_minutes`, minutes after midnight UTC, sorted); each notice waiting for its digest is
    /// a `digest_item`, gone with its business event, marked with the job that posted it.
    static let digests = Migration(version: 10, name: "digests", sql: #"""
    ALTER TABLE route ADD COLUMN digest_minutes integer[];
    ALTER TABLE route ADD CONSTRAINT route_digest_channel CHECK (digest_minutes IS NULL OR destination = 'channel');

    CREATE TABLE digest_item (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        connection_id     bigint NOT NULL REFERENCES connection (id),
        route_id          bigint NOT NULL,   -- no FK: a removed route's waiting items are still posted
        channel_id        text NOT NULL,
        business_event_id bigint NOT NULL REFERENCES business_event (id) ON DELETE CASCADE,
        slot_at           timestamptz NOT NULL,   -- the digest it was queued for
        title             text NOT NULL,          -- mrkdwn, escaped
        summary           text,                   -- mrkdwn, escaped
        link              text,
        amount            numeric,
        currency          text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        posted_job_id     bigint,                 -- the post_digest job that posted it
        UNIQUE (route_id, channel_id, business_event_id)
    );
    CREATE INDEX digest_item_waiting_idx ON digest_item (route_id, channel_id, slot_at) WHERE posted_job_id IS NULL;
    CREATE INDEX digest_item_event_idx ON digest_item (business_event_id);
    """#)
}
