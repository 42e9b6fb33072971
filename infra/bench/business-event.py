#!/usr/bin/env python3
"""Benchmark: handle-business-event accepting one event per invocation, run as CGI the way fcgiwrap runs it,
against PostgreSQL over a Unix socket. Reports median / p90 wall time from exec to exit and peak RSS.

Beside it, in the same run and alternating with it, the C reference (reference/business-event.c: exec, libpq,
the same statements, exit) and the Python reference (reference/business-event.py: the same handler written with
psycopg, run as CGI by the interpreter); the figures that hold across machines are the ratios of the medians.

Usage: infra/bench/business-event.sh   (builds release, starts a throwaway cluster, runs this)
       business-event.py BIN_DIR DATABASE_URL REFERENCE_BINARY [N]   (N Python runs too: they are slow, ~N x 0.15 s)
"""
import json, os, resource, statistics, subprocess, sys, time, uuid

bin_dir, url, reference = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 500
key = "bench-event-key-0123456789"
base = json.load(open(os.path.join(os.path.dirname(__file__), "../../Sources/MLConnectorSandbox/Fixtures/business-events/purchase-order-confirmed.json")))

env_common = {"PATH": "/usr/bin:/bin", "MLC_DATABASE_URL": url, "MLC_LOG_LEVEL": "warning",
              "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "POST", "PATH_INFO": "/bench",
              "QUERY_STRING": "code=" + key, "CONTENT_TYPE": "application/json", "SERVER_PROTOCOL": "HTTP/1.1"}
binary = [os.path.join(bin_dir, "handle-business-event")]
python_reference = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference/business-event.py")]

def run(program, env_extra, i):
    event = dict(base, EventId=str(uuid.uuid4()).upper(), ControlNumber=6000000000 + i)
    body = json.dumps(event).encode()
    env = dict(env_common, CONTENT_LENGTH=str(len(body)), BENCH_EVENT_ID=event["EventId"],
               BENCH_CONTROL_NUMBER=str(event["ControlNumber"]), **env_extra)
    start = time.perf_counter()
    out = subprocess.run(program, input=body, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if not out.stdout.startswith(b"Status: 202"):
        sys.exit("unexpected answer from %s: %r %r" % (program[-1], out.stdout[:200], out.stderr[:500]))
    return elapsed * 1000

def psycopg_version():
    out = subprocess.run([sys.executable, "-c", "import psycopg; print(psycopg.__version__)"], capture_output=True, text=True)
    return out.stdout.strip() or "?"

# The handler and the references alternate, so all see the same machine; the first 20 of each are warm-up.
# Peak RSS is the handler's own: it is read before any Python reference has run (RUSAGE_CHILDREN keeps a maximum).
times, reference_times, python_times = [], [], []
for i in range(n + 20):
    t = run(binary, {}, 3 * i)
    r = run([reference], {}, 3 * i + 1)
    if i >= 20:
        times.append(t)
        reference_times.append(r)
rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
for i in range(n + 20):
    t = run(binary, {}, 3 * i + 3 * (n + 20))
    p = run(python_reference, {}, 3 * i + 3 * (n + 20) + 2)
    if i >= 20:
        python_times.append((t, p))

times.sort()
reference_times.sort()
median, reference_median = statistics.median(times), statistics.median(reference_times)
print("handle-business-event, %d invocations (CGI, one event each, Unix-socket PostgreSQL)" % n)
print("  median %.2f ms   p90 %.2f ms   min %.2f ms   max %.2f ms" % (
    median, times[int(len(times) * 0.9)], times[0], times[-1]))
print("  C reference (libpq, same statements): median %.2f ms   p90 %.2f ms" % (
    reference_median, reference_times[int(len(reference_times) * 0.9)]))
print("  ratio %.2f x   (goal <= 1.3 x)" % (median / reference_median))
paired_median = statistics.median(t for t, _ in python_times)
python_median = statistics.median(p for _, p in python_times)
print("  Python reference (psycopg %s, same work, run alternating with the handler): median %.2f ms   (handler %.2f ms"
      " in those runs)" % (psycopg_version(), python_median, paired_median))
print("  handler is %.1f x faster   (goal >= 5 x)" % (python_median / paired_median))
print("  peak RSS of the children %.1f MiB   (budget <= 20 MiB)" % rss_mib)
