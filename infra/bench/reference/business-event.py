#!/usr/bin/env python3
"""The Python reference for infra/bench/business-event.sh (DESIGN.md §8: the Swift handler is to be >= 5x faster
than "the same handler written in Python with psycopg"). It does what handle-business-event does for one event as
CGI, written the plain way a Python team would write it: read the body, parse the JSON (amounts as Decimal), check
the envelope fields, take the connection from PATH_INFO and the key from ?code=, connect with psycopg, look the
connection up, compare the key's SHA-256 in constant time, store the event, its job and its audit row in one
statement, answer 202. The interpreter and psycopg start with every request, as a CGI handler's would.
"""
import decimal
import hashlib
import hmac
import json
import os
import re
import sys
import urllib.parse
from datetime import datetime, timezone

import psycopg

LOOKUP = """
SELECT c.id, c.event_key_hash, c.catalog::text AS catalog,
  (SELECT coalesce(json_agg(json_build_object('id', r.id, 'pattern', r.event_pattern, 'legal_entity', r.legal_entity,
   'min_amount', r.min_amount::text, 'destination', r.destination, 'channel_id', r.channel_id, 'email', r.email,
   'fallback_channel', r.fallback_channel) ORDER BY r.id), '[]')::text FROM route r WHERE r.connection_id = c.id) AS routes
FROM connection c WHERE c.name = %s AND c.removed_at IS NULL"""

STORE = """
WITH event AS (
  INSERT INTO business_event (connection_id, event_id, business_event_id, legal_entity, control_number, event_time, payload, disposition)
  VALUES (%(connection)s, %(event_id)s, %(business_event)s, %(legal_entity)s, %(control)s, %(time)s, %(payload)s::jsonb, 'queued')
  ON CONFLICT DO NOTHING RETURNING id),
job AS (INSERT INTO job (kind, connection_id, business_event_id, dedupe_key, rate_key)
  SELECT 'deliver_event', %(connection)s, event.id, 'event:' || event.id, %(rate_key)s FROM event RETURNING id),
audit AS (INSERT INTO audit_log (connection, event_id, job_id, action, outcome, detail)
  SELECT %(name)s, %(event_id)s, (SELECT id FROM job),
         CASE WHEN NOT EXISTS (SELECT 1 FROM event) THEN 'event.duplicate' ELSE 'event.received' END, 'ok', %(detail)s)
SELECT (SELECT id FROM event) AS event_row, CASE WHEN EXISTS (SELECT 1 FROM job) THEN pg_notify('mlc_job', '') IS NULL END"""


def answer(status, body):
    sys.stdout.write("Status: %s\r\nContent-Type: application/json\r\n\r\n%s" % (status, json.dumps(body)))
    sys.stdout.flush()
    sys.exit(0)


def event_time(text):
    match = re.fullmatch(r"/Date\((-?\d+)\)/", text or "")
    if not match:
        answer("400 Bad Request", {"error": "EventTime is not an F&O date"})
    return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=timezone.utc)


def main():
    length = int(os.environ.get("CONTENT_LENGTH") or 0)
    if length < 0 or length > 1 << 20:
        answer("413 Content Too Large", {"error": "body too large"})
    raw = sys.stdin.buffer.read(length)
    try:
        event = json.loads(raw, parse_float=decimal.Decimal)
    except ValueError:
        answer("400 Bad Request", {"error": "body is not JSON"})
    if not isinstance(event, dict):
        answer("400 Bad Request", {"error": "not an event"})
    for field in ("EventId", "BusinessEventId", "LegalEntity", "EventTime"):
        if not isinstance(event.get(field), str) or not event[field]:
            answer("400 Bad Request", {"error": "missing " + field})
    if not isinstance(event.get("ControlNumber"), int):
        answer("400 Bad Request", {"error": "missing ControlNumber"})
    when = event_time(event["EventTime"])
    name = os.environ.get("PATH_INFO", "").strip("/")
    key = urllib.parse.parse_qs(os.environ.get("QUERY_STRING", "")).get("code", [""])[0]
    try:
        db = psycopg.connect(os.environ["MLC_DATABASE_URL"], application_name="python-reference", autocommit=True)
    except psycopg.OperationalError:
        answer("503 Service Unavailable", {"error": "database unavailable"})
    with db:
        target = db.execute(LOOKUP, (name,)).fetchone()
        if target is None or not hmac.compare_digest(bytes(target[1]), hashlib.sha256(key.encode()).digest()):
            answer("401 Unauthorized", {"error": "unknown connection or key"})
        json.loads(target[2] or "null")  # the catalog and routes are parsed, as the handler parses them
        json.loads(target[3])
        db.execute(STORE, {
            "connection": target[0], "event_id": event["EventId"], "business_event": event["BusinessEventId"],
            "legal_entity": event["LegalEntity"].lower(), "control": event["ControlNumber"], "time": when,
            "payload": raw.decode(), "rate_key": "dynamics:%d" % target[0], "name": name,
            "detail": "%s (%s) queued as deliver_event" % (event["BusinessEventId"], event["LegalEntity"].lower()),
        })
    answer("202 Accepted", {"accepted": 1, "duplicates": 0, "ignored": 0})


main()
