/* The reference for infra/bench/fastcgi.sh (DESIGN.md §8): a minimal C FastCGI responder doing the work of
 * handle-business-event with libfcgi and libpq and nothing else — accept on fd 0 (spawn-fcgi puts the socket there),
 * one libpq connection for the life of the process, per request the same two statements as business-event.c (the
 * connection lookup and the one statement that stores the event, its job and its audit row), answer. No JSON parsing
 * and no key check: EventId and ControlNumber are cut from the body with strstr, so whatever the Swift handler costs
 * more, it pays for its checks. */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The value after `"name":` in the body, quotes stripped, into `out`. */
static void field(const char *body, const char *name, char *out, size_t size) {
    out[0] = 0;
    const char *at = strstr(body, name);
    if (!at) return;
    at = strchr(at + strlen(name), ':');
    if (!at) return;
    at++;
    while (*at == ' ' || *at == '"') at++;
    size_t n = 0;
    while (at[n] && at[n] != '"' && at[n] != ',' && at[n] != '}' && n + 1 < size) n++;
    memcpy(out, at, n);
    out[n] = 0;
}

static PGconn *db;

static void connect_db(void) {
    const char *keywords[] = {"dbname", "application_name", NULL};
    const char *values[] = {getenv("MLC_DATABASE_URL"), "reference-fcgi", NULL};
    db = PQconnectdbParams(keywords, values, 1);
}

int main(void) {
    FCGX_Init();
    FCGX_Request request;
    FCGX_InitRequest(&request, 0, 0);
    static char body[(1 << 20) + 1];
    connect_db();
    while (FCGX_Accept_r(&request) >= 0) {
        const char *length_text = FCGX_GetParam("CONTENT_LENGTH", request.envp);
        long length = length_text ? strtol(length_text, NULL, 10) : 0;
        if (length < 0 || length > (1 << 20)) length = 0;
        int filled = FCGX_GetStr(body, (int)length, request.in);
        body[filled] = 0;
        if (PQstatus(db) != CONNECTION_OK) { PQfinish(db); connect_db(); }
        const char *name[] = {"bench"};
        PGresult *target = PQexecParams(db, lookup, 1, NULL, name, NULL, NULL, 0);
        if (PQresultStatus(target) != PGRES_TUPLES_OK || PQntuples(target) != 1) {
            FCGX_PutS("Status: 503 Service Unavailable\r\n\r\n", request.out);
        } else {
            char event_id[128], control[64], rate_key[64];
            field(body, "\"EventId\"", event_id, sizeof event_id);
            field(body, "\"ControlNumber\"", control, sizeof control);
            snprintf(rate_key, sizeof rate_key, "dynamics:%s", PQgetvalue(target, 0, 0));
            const char *params[] = {
                PQgetvalue(target, 0, 0), event_id, "PurchaseOrderConfirmedBusinessEvent", "usmf", control,
                "2025-11-29 08:00:00+00", body, rate_key, "bench", "PurchaseOrderConfirmedBusinessEvent (usmf) queued as deliver_event",
            };
            PGresult *stored = PQexecParams(db, store, 10, NULL, params, NULL, NULL, 0);
            if (PQresultStatus(stored) == PGRES_TUPLES_OK) {
                FCGX_PutS("Status: 202 Accepted\r\nContent-Type: application/json\r\n\r\n{\"accepted\":1,\"duplicates\":0,\"ignored\":0}", request.out);
            } else {
                FCGX_PutS("Status: 503 Service Unavailable\r\n\r\n", request.out);
            }
            PQclear(stored);
        }
        PQclear(target);
        FCGX_Finish_r(&request);
    }
    PQfinish(db);
    return 0;
}
