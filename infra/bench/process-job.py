#!/usr/bin/env python3
"""Benchmark process-job against the sandbox (DESIGN.md §8).

  throughput: N notification events (pacing off in the sandbox, cards spread over many channels so the
              connector's own per-channel pacing never waits) drained by one process-job; cards per second.
  pacing:     M cards over 2 channels with pacing on, drained by one process-job; seconds against ⌈M/2⌉.

Usage: infra/bench/process-job.sh   (builds release, starts PostgreSQL and the sandbox, runs this)
       process-job.py BIN_DIR DATABASE_URL SANDBOX_URL [N] [M]
"""
import json, math, os, subprocess, sys, time, urllib.request, uuid

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
# The first run creates the channel bucket with Slack pacing; zero it for the throughput figure.
elapsed = drain(0)
posted = len(messages()) - before
print("process-job throughput (pacing off): %d events → %d cards in %.2f s" % (n, posted, elapsed))
print("  = %.0f cards/s, %.0f jobs/s (each card is a deliver_event job: 2-3 OData reads, and a post_message job)" % (
    posted / elapsed, 2 * posted / elapsed))

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
