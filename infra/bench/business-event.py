#!/usr/bin/env python3
"""Benchmark: handle-business-event accepting one event per invocation, run as CGI the way fcgiwrap runs it,
against PostgreSQL over a Unix socket. Reports median / p90 wall time from exec to exit and peak RSS.

Usage: infra/bench/business-event.sh   (builds release, starts a throwaway cluster, runs this)
       business-event.py BIN_DIR DATABASE_URL [N]
"""
import json, os, resource, statistics, subprocess, sys, time, uuid

bin_dir, url = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 500
key = "bench-event-key-0123456789"
base = json.load(open(os.path.join(os.path.dirname(__file__), "../../Sources/MLConnectorSandbox/Fixtures/business-events/purchase-order-confirmed.json")))

env_common = {"PATH": "/usr/bin:/bin", "MLC_DATABASE_URL": url, "MLC_LOG_LEVEL": "warning",
              "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "POST", "PATH_INFO": "/bench",
              "QUERY_STRING": "code=" + key, "CONTENT_TYPE": "application/json", "SERVER_PROTOCOL": "HTTP/1.1"}
binary = os.path.join(bin_dir, "handle-business-event")

times = []
for i in range(n + 20):
    event = dict(base, EventId=str(uuid.uuid4()).upper(), ControlNumber=6000000000 + i)
    body = json.dumps(event).encode()
    env = dict(env_common, CONTENT_LENGTH=str(len(body)))
    start = time.perf_counter()
    out = subprocess.run([binary], input=body, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if not out.stdout.startswith(b"Status: 202"):
        sys.exit("unexpected answer: %r %r" % (out.stdout[:200], out.stderr[:500]))
    if i >= 20:  # warm-up excluded
        times.append(elapsed * 1000)

times.sort()
rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("handle-business-event, %d invocations (CGI, one event each, Unix-socket PostgreSQL)" % n)
print("  median %.2f ms   p90 %.2f ms   min %.2f ms   max %.2f ms" % (
    statistics.median(times), times[int(len(times) * 0.9)], times[0], times[-1]))
print("  peak RSS %.1f MiB   (budget: median <= 15 ms, RSS <= 25 MiB)" % rss_mib)
