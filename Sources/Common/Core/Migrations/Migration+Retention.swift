extension Migration {
    /// Version 5: retention (DESIGN.md §7). The operator's overrides of `RetentionPolicy`'s defaults; the indexes that
    /// let the worker delete rows past their age in small batches (and check the foreign keys of a deleted event)
    /// without scanning a table; one maintenance clock for the whole sweep (it was the job prune's); and the audit log
    /// append-only except for retention's own deletes of rows older than the shortest audit period there is.
    static let retention = Migration(version: 5, name: "retention", sql: #"""
    -- Only overrides: a kind without a row is kept for its default (RetentionPolicy.Kind.defaultDays).
    CREATE TABLE retention_setting (
        kind       text PRIMARY KEY,
        days       integer NOT NULL CHECK (days > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE INDEX audit_log_at_idx ON audit_log (at);
    CREATE INDEX business_event_received_idx ON business_event (received_at);
    CREATE INDEX interaction_receipt_received_idx ON interaction_receipt (received_at);
    CREATE INDEX slack_user_expires_idx ON slack_user (expires_at);
    CREATE INDEX refusal_count_minute_idx ON refusal_count (minute);
    CREATE INDEX slack_message_posted_idx ON slack_message (posted_at);
    -- Open approvals found by state; closed ones by state and last change; an event's approvals for its FK check.
    CREATE INDEX approval_state_idx ON approval (state, updated_at);
    CREATE INDEX approval_event_idx ON approval (business_event_id);
    -- Jobs already have job_prune_idx (state, finalized_at) and job_event_idx; job_attempt's key leads with job_id.

    -- Attempts are deleted with their job from now on; those the earlier prune left behind go now.
    DELETE FROM job_attempt a WHERE NOT EXISTS (SELECT 1 FROM job j WHERE j.id = a.job_id);

    UPDATE maintenance_clock SET name = 'retention', last_run_at = '-infinity' WHERE name = 'prune';

    -- Still no UPDATE and no TRUNCATE. A DELETE only inside retention's transaction (SET LOCAL mlc.retention = 'on',
    -- AuditStore.purge), and only of rows older than 30 days, the least RetentionPolicy allows for the audit log.
    CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF current_setting('mlc.retention', true) = 'on' AND OLD.at < now() - interval '30 days' THEN
                RETURN OLD;
            END IF;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    """#)
}
