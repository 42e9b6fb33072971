extension Migration {
    /// Version 1: connections and their sealed secrets, business events with both dedupe keys, the job queue
    /// (job-queue.md §A.7), token and Slack user caches, routes, approvals, interaction receipts and the
    /// append-only audit log.
    static let initialSchema = Migration(version: 1, name: "initial schema", sql: #"""
    CREATE TABLE connection (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name            text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
        tenant_id       text NOT NULL,
        client_id       text NOT NULL,
        entra_authority text NOT NULL,
        slack_api_url   text NOT NULL,
        event_key_hash  bytea NOT NULL CHECK (length(event_key_hash) = 32),
        catalog         jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        removed_at      timestamptz
    );
    -- A removed connection keeps its history (events, jobs, audit) but frees its name and loses its secrets.
    CREATE UNIQUE INDEX connection_name_idx ON connection (name) WHERE removed_at IS NULL;

    CREATE TABLE connection_secret (
        connection_id bigint NOT NULL REFERENCES connection (id),
        field         text NOT NULL CHECK (field IN ('dynamics_url', 'dynamics_client_secret',
                                                     'slack_bot_token', 'slack_signing_secret')),
        sealed        text NOT NULL,   -- v1:<key id>:<base64>, AES-256-GCM, AD = connection:<id>:<field>
        key_id        text NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, field)
    );

    CREATE TABLE business_event (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        connection_id     bigint NOT NULL REFERENCES connection (id),
        event_id          text NOT NULL,
        business_event_id text NOT NULL,
        legal_entity      text NOT NULL DEFAULT '',   -- lower-cased
        control_number    bigint NOT NULL,
        event_time        timestamptz,
        payload           jsonb NOT NULL,
        disposition       text NOT NULL CHECK (disposition IN ('queued', 'ignored')),
        received_at       timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX business_event_event_id_idx ON business_event (connection_id, event_id);
    CREATE UNIQUE INDEX business_event_control_idx
        ON business_event (connection_id, lower(business_event_id), legal_entity, control_number);

    CREATE TYPE job_state AS ENUM ('available', 'running', 'completed', 'discarded', 'cancelled');

    CREATE TABLE rate_bucket (
        key             text PRIMARY KEY,   -- 'default', 'slack:<connection>:<channel>', 'dynamics:<connection>'
        min_interval    interval NOT NULL DEFAULT '0',
        next_allowed_at timestamptz NOT NULL DEFAULT '-infinity'
    );
    INSERT INTO rate_bucket (key) VALUES ('default');

    CREATE TABLE job (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind              text NOT NULL,
        args              jsonb NOT NULL DEFAULT '{}'::jsonb,
        connection_id     bigint REFERENCES connection (id),
        business_event_id bigint REFERENCES business_event (id),
        state             job_state NOT NULL DEFAULT 'available',
        priority          smallint NOT NULL DEFAULT 1,
        rate_key          text NOT NULL DEFAULT 'default' REFERENCES rate_bucket (key),
        run_at            timestamptz NOT NULL DEFAULT now(),
        attempt           smallint NOT NULL DEFAULT 0,
        max_attempts      smallint NOT NULL DEFAULT 8,
        snoozes           integer NOT NULL DEFAULT 0,
        dedupe_key        text,
        locked_by         text,
        locked_until      timestamptz,
        last_error        text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        attempted_at      timestamptz,
        finalized_at      timestamptz,
        CHECK (attempt >= 0 AND attempt <= max_attempts),
        CHECK ((state = 'running') = (locked_until IS NOT NULL)),
        CHECK ((state IN ('completed', 'discarded', 'cancelled')) = (finalized_at IS NOT NULL))
    );
    CREATE INDEX job_fetch_idx ON job (priority, run_at, id) WHERE state = 'available';
    CREATE INDEX job_lease_idx ON job (locked_until) WHERE state = 'running';
    CREATE INDEX job_prune_idx ON job (state, finalized_at) WHERE finalized_at IS NOT NULL;
    CREATE UNIQUE INDEX job_dedupe_idx ON job (dedupe_key) WHERE dedupe_key IS NOT NULL;
    CREATE INDEX job_event_idx ON job (business_event_id);

    CREATE TABLE job_attempt (
        job_id      bigint NOT NULL,
        attempt     smallint NOT NULL,
        started_at  timestamptz NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT now(),
        outcome     text NOT NULL CHECK (outcome IN ('ok', 'retry', 'snooze', 'discard', 'lease_expired')),
        http_status integer,
        error       text,
        PRIMARY KEY (job_id, attempt, finished_at)
    );

    CREATE TABLE maintenance_clock (
        name        text PRIMARY KEY,
        last_run_at timestamptz NOT NULL DEFAULT '-infinity'
    );
    INSERT INTO maintenance_clock (name) VALUES ('reap'), ('prune');

    -- Entra ID access tokens, sealed; refreshing_until is the single-refresher lease (no stampede).
    CREATE TABLE access_token (
        connection_id    bigint PRIMARY KEY REFERENCES connection (id),
        sealed_token     text,
        expires_at       timestamptz,
        refreshing_until timestamptz,
        updated_at       timestamptz NOT NULL DEFAULT now()
    );

    -- users.lookupByEmail results; slack_user_id NULL = not found (cached for a shorter time).
    CREATE TABLE slack_user (
        connection_id bigint NOT NULL REFERENCES connection (id),
        email         text NOT NULL,   -- lower-cased
        slack_user_id text,
        expires_at    timestamptz NOT NULL,
        PRIMARY KEY (connection_id, email)
    );

    CREATE TABLE route (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        connection_id    bigint NOT NULL REFERENCES connection (id),
        event_pattern    text NOT NULL CHECK (event_pattern <> ''),
        legal_entity     text,           -- lower-cased; NULL = any
        min_amount       numeric,
        destination      text NOT NULL CHECK (destination IN ('channel', 'approver', 'email')),
        channel_id       text,
        email            text,
        fallback_channel text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CHECK ((destination = 'channel') = (channel_id IS NOT NULL)),
        CHECK ((destination = 'email') = (email IS NOT NULL))
    );
    CREATE INDEX route_connection_idx ON route (connection_id, id);

    CREATE TABLE approval (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        reference         text NOT NULL UNIQUE,   -- opaque random value carried by the card's buttons
        connection_id     bigint NOT NULL REFERENCES connection (id),
        business_event_id bigint REFERENCES business_event (id),
        work_item_id      text NOT NULL,
        legal_entity      text NOT NULL DEFAULT '',
        approver_email    text,
        approver_slack_id text,
        channel_id        text,
        message_ts        text,
        state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'deciding', 'approved',
                              'rejected', 'failed', 'superseded', 'no_longer_open')),
        decision          text CHECK (decision IN ('approve', 'reject')),
        reason            text,
        decided_by        text,
        decided_at        timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX approval_work_item_idx ON approval (connection_id, work_item_id);

    -- Slack deliveries already seen (trigger_id / event_id): acted on once.
    CREATE TABLE interaction_receipt (
        connection_id bigint NOT NULL REFERENCES connection (id),
        kind          text NOT NULL,
        key           text NOT NULL,
        received_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, kind, key)
    );

    -- Append-only: every inbound outcome, outbound call, decision, retry, discard and replay.
    CREATE TABLE audit_log (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          timestamptz NOT NULL DEFAULT clock_timestamp(),
        connection  text,
        event_id    text,
        job_id      bigint,
        action      text NOT NULL,
        outcome     text NOT NULL CHECK (outcome IN ('ok', 'error')),
        detail      text NOT NULL DEFAULT '',
        http_method text,
        http_target text,      -- path only: never the host or the query
        http_status integer,
        duration_ms integer
    );
    CREATE INDEX audit_log_event_idx ON audit_log (event_id, id);
    CREATE INDEX audit_log_connection_idx ON audit_log (connection, id);

    CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
    """#)
}
