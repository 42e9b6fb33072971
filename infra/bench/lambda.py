#!/usr/bin/env python3
"""Benchmark: handle-business-event as an AWS Lambda custom runtime, warm, against the sandbox's Runtime API
stand-in. The figure is the stand-in's own measurement of each invocation: from `next` handing the event out to
the `response` arriving (DESIGN.md §8: median <= 2 ms). Beside it, alternating with it in the same run, the same
event in the one-function-event mode (a process per request: exec, connect, the same statements, exit).

Usage: infra/bench/lambda.sh [N]   (builds release, starts a throwaway cluster and the sandbox, runs this)
       lambda.py BIN_DIR DATABASE_URL SANDBOX_URL [N]
"""
import base64, http.client, json, os, statistics, subprocess, sys, time, urllib.parse, uuid

bin_dir, url, sandbox_url = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
warmup = 20
key = "bench-event-key-0123456789"
binary = os.path.join(bin_dir, "handle-business-event")
fixture = json.load(open(os.path.join(os.path.dirname(__file__),
                                      "../../Sources/MLConnectorSandbox/Fixtures/business-events/purchase-order-confirmed.json")))

def event(i):
    body = json.dumps(dict(fixture, EventId=str(uuid.uuid4()).upper(), ControlNumber=7000000000 + i)).encode()
    return json.dumps({
        "version": "2.0", "routeKey": "$default", "rawPath": "/bench", "rawQueryString": "code=" + key,
        "headers": {"content-type": "application/json"}, "isBase64Encoded": True,
        "body": base64.b64encode(body).decode(),
        "requestContext": {"http": {"method": "POST", "path": "/bench", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"}},
    }).encode()

env = {"PATH": "/usr/bin:/bin", "MLC_DATABASE_URL": url, "MLC_LOG_LEVEL": "error"}
host = urllib.parse.urlparse(sandbox_url).netloc
function = subprocess.Popen([binary], env=dict(env, AWS_LAMBDA_RUNTIME_API=host), stdout=subprocess.DEVNULL)
control = http.client.HTTPConnection(host)

def invoke(payload):
    control.request("POST", "/_sandbox/lambda/invoke?timeout_ms=10000", body=payload, headers={"Content-Type": "application/json"})
    answer = control.getresponse()
    data = answer.read()
    if answer.status != 200 or answer.getheader("X-Amz-Function-Error") or json.loads(data).get("statusCode") != 202:
        sys.exit("unexpected Lambda answer: %d %r" % (answer.status, data[:300]))

def per_process(payload):
    start = time.perf_counter()
    out = subprocess.run([binary], input=payload, env=env, capture_output=True)
    elapsed = (time.perf_counter() - start) * 1000
    if json.loads(out.stdout).get("statusCode") != 202:
        sys.exit("unexpected function-event answer: %r %r" % (out.stdout[:300], out.stderr[:300]))
    return elapsed

try:
    round_trips, process_times = [], []
    for i in range(n + warmup):
        start = time.perf_counter()
        invoke(event(2 * i))
        round_trip = (time.perf_counter() - start) * 1000
        process_time = per_process(event(2 * i + 1))
        if i >= warmup:
            round_trips.append(round_trip)
            process_times.append(process_time)
    control.request("GET", "/_sandbox/lambda/invocations")
    ledger = json.loads(control.getresponse().read())
    # The loop's own cost: an event that is not an HTTP event is answered through …/error without handler work.
    control_runs = min(n, 300)
    for _ in range(control_runs):
        control.request("POST", "/_sandbox/lambda/invoke", body=b"[1]")
        control.getresponse().read()
    control.request("GET", "/_sandbox/lambda/invocations")
    loop_only = sorted(float(r["handler_ms"]) for r in json.loads(control.getresponse().read())["invocations"][-control_runs:])
finally:
    function.terminate()
    function.wait()

handler = sorted(float(r["handler_ms"]) for r in ledger["invocations"][warmup:] if r["stage"] == "answered")
if len(handler) != n:
    sys.exit("expected %d answered invocations, the stand-in recorded %d" % (n, len(handler)))
round_trips.sort()
process_times.sort()
p90 = lambda values: values[int(len(values) * 0.9)]
median = statistics.median(handler)
print("handle-business-event, AWS Lambda runtime loop, %d warm invocations (one event each, Unix-socket PostgreSQL)" % n)
print("  next returned -> response posted (the stand-in's clock): median %.3f ms   p90 %.3f ms   min %.3f ms   max %.3f ms" % (
    median, p90(handler), handler[0], handler[-1]))
print("  of which the loop and the stand-in (a non-HTTP event, no handler work, %d runs): median %.3f ms" % (
    len(loop_only), statistics.median(loop_only)))
print("  invoke round trip at the control API (adds the stand-in's own hops): median %.3f ms" % statistics.median(round_trips))
print("  reference, one function event per process (exec .. exit): median %.2f ms   p90 %.2f ms" % (
    statistics.median(process_times), p90(process_times)))
print("  goal: warm invocation median <= 2 ms: %s" % ("met" if median <= 2 else "NOT met"))
