/* The reference for infra/bench/business-event.sh (DESIGN.md §8): a minimal C program doing the work of
 * handle-business-event for one event with libpq and nothing else — exec, read the CGI body, connect, the same
 * two statements (the connection lookup and the one statement that stores the event, its job and its audit row),
 * answer, exit. No JSON parsing and no key check: the harness passes EventId and ControlNumber in BENCH_EVENT_ID
 * and BENCH_CONTROL_NUMBER, so whatever it costs more, the Swift handler pays for its checks. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *lookup =
    "SELECT c.id, c.event_key_hash, c.catalog::text AS catalog,"
    " (SELECT coalesce(json_agg(json_build_object('id', r.id, 'pattern', r.event_pattern, 'legal_entity', r.legal_entity,"
    " 'min_amount', r.min_amount::text, 'destination', r.destination, 'channel_id', r.channel_id, 'email', r.email,"
    " 'fallback_channel', r.fallback_channel) ORDER BY r.id), '[]')::text FROM route r WHERE r.connection_id = c.id) AS routes"
    " FROM connection c WHERE c.name = $1 AND c.removed_at IS NULL";

static const char *store =
    "WITH event AS ("
    " INSERT INTO business_event (connection_id, event_id, business_event_id, legal_entity, control_number, event_time, payload, disposition)"
    " VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb, 'queued') ON CONFLICT DO NOTHING RETURNING id),"
    " job AS (INSERT INTO job (kind, connection_id, business_event_id, dedupe_key, rate_key)"
    " SELECT 'deliver_event', $1, event.id, 'event:' || event.id, $8 FROM event RETURNING id),"
    " audit AS (INSERT INTO audit_log (connection, event_id, job_id, action, outcome, detail)"
    " SELECT $9, $2, (SELECT id FROM job), CASE WHEN NOT EXISTS (SELECT 1 FROM event) THEN 'event.duplicate' ELSE 'event.received' END,"
    " 'ok', $10)"
    " SELECT (SELECT id FROM event) AS event_row, CASE WHEN EXISTS (SELECT 1 FROM job) THEN pg_notify('mlc_job', '') IS NULL END AS notified";

int main(void) {
    const char *length_text = getenv("CONTENT_LENGTH");
    long length = length_text ? strtol(length_text, NULL, 10) : 0;
    if (length < 0 || length > (1 << 20)) length = 0;
    char *body = calloc((size_t)length + 1, 1);
    long filled = 0;
    while (filled < length) {
        ssize_t n = read(0, body + filled, (size_t)(length - filled));
        if (n <= 0) break;
        filled += n;
    }
    const char *keywords[] = {"dbname", "application_name", NULL};
    const char *values[] = {getenv("MLC_DATABASE_URL"), "reference", NULL};
    PGconn *db = PQconnectdbParams(keywords, values, 1);
    if (PQstatus(db) != CONNECTION_OK) {
        fputs("Status: 503 Service Unavailable\r\n\r\n", stdout);
        PQfinish(db);
        return 0;
    }
    const char *name[] = {"bench"};
    PGresult *target = PQexecParams(db, lookup, 1, NULL, name, NULL, NULL, 0);
    if (PQresultStatus(target) != PGRES_TUPLES_OK || PQntuples(target) != 1) {
        fputs("Status: 401 Unauthorized\r\n\r\n", stdout);
        PQclear(target);
        PQfinish(db);
        return 0;
    }
    char rate_key[64];
    snprintf(rate_key, sizeof rate_key, "dynamics:%s", PQgetvalue(target, 0, 0));
    const char *params[] = {
        PQgetvalue(target, 0, 0), getenv("BENCH_EVENT_ID"), "PurchaseOrderConfirmedBusinessEvent", "usmf",
        getenv("BENCH_CONTROL_NUMBER"), "2025-11-29 08:00:00+00", body, rate_key, "bench",
        "PurchaseOrderConfirmedBusinessEvent (usmf) queued as deliver_event",
    };
    PGresult *stored = PQexecParams(db, store, 10, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(stored) == PGRES_TUPLES_OK) {
        fputs("Status: 202 Accepted\r\nContent-Type: application/json\r\n\r\n{\"accepted\":1,\"duplicates\":0,\"ignored\":0}", stdout);
    } else {
        fputs("Status: 503 Service Unavailable\r\n\r\n", stdout);
    }
    PQclear(stored);
    PQclear(target);
    PQfinish(db);
    free(body);
    return 0;
}
