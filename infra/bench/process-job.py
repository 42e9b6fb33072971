#!/usr/bin/env python3
"""Benchmark process-job against the sandbox (DESIGN.md §8).

  throughput: N notification events (pacing off in the sandbox, cards spread over many channels so the
              connector's own per-channel pacing never waits) drained by one process-job; cards per second.
              Beside it what does not drift between machines: PostgreSQL round trips (top-level statements,
              pg_stat_statements, BEGIN/COMMIT included) and commits (pg_stat_database) per card, all jobs of the
              card together, and CPU seconds per card of process-job, the sandbox and PostgreSQL (all its processes).
  pacing:     M cards over 2 channels with pacing on, drained by one process-job; seconds against ⌈M/2⌉.

Usage: infra/bench/process-job.sh   (builds release, starts PostgreSQL and the sandbox, runs this)
       process-job.py BIN_DIR DATABASE_URL SANDBOX_URL [N] [M]
"""
import json, math, os, resource, subprocess, sys, time, urllib.request, uuid

bin_dir, url, sandbox = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
root = os.path.join(os.path.dirname(__file__), "../..")
env = dict(os.environ, MLC_DATABASE_URL=url, MLC_LOG_LEVEL="warning")
po = json.load(open(os.path.join(root, "Sources/MLConnectorSandbox/Fixtures/business-events/purchase-order-confirmed.json")))

def cli(*args, extra=None):
    subprocess.run([os.path.join(bin_dir, "ml-connector"), *args], env=dict(env, **(extra or {})), check=True,
                   stdout=subprocess.DEVNULL)

def control(path, body):
    req = urllib.request.Request(sandbox + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()

def messages():
    return json.load(urllib.request.urlopen(sandbox + "/_sandbox/messages"))["messages"]

def deliver(connection, events):
    for i in range(0, len(events), 200):
        body = json.dumps(events[i:i + 200]).encode()
        e = dict(env, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="POST", PATH_INFO="/" + connection,
                 QUERY_STRING="code=bench-event-key-0123456789", CONTENT_TYPE="application/json",
                 CONTENT_LENGTH=str(len(body)))
        out = subprocess.run([os.path.join(bin_dir, "handle-business-event")], input=body, env=e, capture_output=True)
        assert out.stdout.startswith(b"Status: 202"), out.stdout[:300]

def events(count, tag):
    base = int(time.time() * 1000) % 10**9
    return [dict(po, EventId="%s-%s" % (tag, uuid.uuid4()), ControlNumber=base * 10000 + i,
                 LegalEntity="usmf", BusinessEventLegalEntity="usmf") for i in range(count)]

def add_connection(name, routes):
    cli("connection", "add", name, "--dynamics-url", sandbox + "/fo", "--tenant-id", "t", "--client-id", "sandbox-client",
        "--entra-authority", sandbox + "/entra", "--slack-api-url", sandbox + "/slack/api",
        extra={"MLC_DYNAMICS_CLIENT_SECRET": "sandbox-secret", "MLC_SLACK_BOT_TOKEN": "xoxb-sandbox",
               "MLC_SLACK_SIGNING_SECRET": "x", "MLC_EVENT_KEY": "bench-event-key-0123456789"})
    for route in routes:
        cli("route", "add", name, *route)

def sql(query):
    out = subprocess.run(["psql", "-X", "-At", "-d", url, "-c", query], check=True, capture_output=True, text=True)
    return out.stdout.strip()

def database_counters():
    """(top-level statements, commits) so far in this database; the two psql calls that read them add 2 and 2."""
    calls = sql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
                " WHERE datname = current_database())")
    commits = sql("SELECT pg_stat_force_next_flush(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
    return int(calls), int(commits.splitlines()[-1])

def cpu_seconds(pid, with_children):
    """utime + stime of a process (and its reaped children's, and its live children's when with_children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    total = int(fields[11]) + int(fields[12])
    if with_children:
        total += int(fields[13]) + int(fields[14])
        for child in open("/proc/%d/task/%d/children" % (pid, pid)).read().split():
            try:
                child_fields = open("/proc/%s/stat" % child).read().rsplit(")", 1)[1].split()
                total += int(child_fields[11]) + int(child_fields[12])
            except FileNotFoundError:
                pass
    return total / ticks

def process_cpu():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"process-job": children.ru_utime + children.ru_stime,
            "sandbox": cpu_seconds(int(os.environ["MLC_BENCH_SANDBOX_PID"]), False),
            "postgres": cpu_seconds(int(os.environ["MLC_BENCH_POSTMASTER_PID"]), True)}

def drain(interval_ms):
    start = time.perf_counter()
    subprocess.run([os.path.join(bin_dir, "process-job")], env=dict(env, MLC_SLACK_CHANNEL_INTERVAL_MS=str(interval_ms)), check=True)
    return time.perf_counter() - start

# Throughput: pacing off in the sandbox and in the connector (MLC_SLACK_CHANNEL_INTERVAL_MS=0).
control("/_sandbox/reset", {})
control("/_sandbox/config", {"pacing": False})
add_connection("fast", [["--event", "*", "--channel", "C0FINANCE"]])
deliver("fast", events(n, "fast"))
before = len(messages())
sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
sql("SELECT pg_stat_statements_reset()")  # the statement list below is the drain's alone
statements_before, commits_before = database_counters()
cpu_before = process_cpu()
# The first run creates the channel bucket with Slack pacing; zero it for the throughput figure.
elapsed = drain(0)
cpu_after = process_cpu()
statements_after, commits_after = database_counters()
posted = len(messages()) - before
print("process-job throughput (pacing off): %d events → %d cards in %.2f s" % (n, posted, elapsed))
print("  = %.0f cards/s, %.0f jobs/s (each card is a deliver_event job: 2-3 OData reads, and a post_message job)" % (
    posted / elapsed, 2 * posted / elapsed))
# Each database_counters() runs 3 statements and 2 commits of its own; about one call's worth falls between the readings.
round_trips = (statements_after - statements_before - 3) / posted
commits = (commits_after - commits_before - 2) / posted
print("  per card, all its jobs together: %.2f PostgreSQL round trips (budget <= 8), %.2f commits (budget <= 3)" % (
    round_trips, commits))
top = sql("SELECT round(calls::numeric / %d, 2) || '  ' || to_char(total_exec_time / calls, 'FM990.000') || ' ms  ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
          " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
          " AND query NOT LIKE '%%pg_stat%%' ORDER BY calls DESC, query LIMIT 12" % posted)
print("  statements per card (calls per card, mean time in PostgreSQL), most frequent first:\n    " + top.replace("\n", "\n    "))
print("  CPU per card: " + ", ".join("%s %.2f ms" % (name, 1000 * (cpu_after[name] - cpu_before[name]) / posted)
                                      for name in ("process-job", "sandbox", "postgres")))

# Pacing on: N cards over C channels.
control("/_sandbox/reset", {})
control("/_sandbox/config", {"pacing": True})
channels = ["C0FINANCE", "C0AP"]
paced_n = int(sys.argv[5]) if len(sys.argv) > 5 else 20
add_connection("paced", [["--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0FINANCE"],
                         ["--event", "VendorInvoicePostedBusinessEvent", "--channel", "C0AP"]])
invoice = json.load(open(os.path.join(root, "Sources/MLConnectorSandbox/Fixtures/business-events/vendor-invoice-posted.json")))
evs = events(paced_n, "paced")
for i in range(1, paced_n, 2):
    evs[i] = dict(invoice, EventId=evs[i]["EventId"], ControlNumber=evs[i]["ControlNumber"])
deliver("paced", evs)
elapsed = drain(1050)
msgs = messages()
gaps = {}
for m in msgs:
    gaps.setdefault(m["channel"], []).append(m["received_at_ms"])
min_gap = min((b - a) for t in gaps.values() for a, b in zip(t, t[1:]))
ideal = math.ceil(paced_n / len(channels))
print("pacing on: %d cards over %d channels drained in %.2f s; ideal ⌈N/C⌉ = %d s; ratio %.2f (budget 1.15); "
      "smallest gap between two posts to one channel %d ms; %d posted" % (
          paced_n, len(channels), elapsed, ideal, elapsed / ideal, min_gap, len(msgs)))
