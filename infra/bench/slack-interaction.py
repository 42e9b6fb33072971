#!/usr/bin/env python3
"""Benchmark handle-slack-interaction (DESIGN.md §8): median wall time and peak RSS of one signed Approve click by
the assigned approver (run as CGI, Unix-socket PostgreSQL), and the time from click to updated card with one
`process-job --listen` running.

Usage: infra/bench/slack-interaction.sh [N]
       slack-interaction.py BIN_DIR DATABASE_URL SANDBOX_URL FIXTURES_DIR [N]
"""
import hashlib, hmac, json, os, statistics, subprocess, sys, time, urllib.parse, urllib.request, uuid

bin_dir, url, sandbox, fixtures = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 200
secret = "bench-signing-secret"
env = dict(os.environ, MLC_DATABASE_URL=url, MLC_LOG_LEVEL="warning", MLC_SLACK_CHANNEL_INTERVAL_MS="0")
work_item = json.load(open(os.path.join(fixtures, "business-events/workflow-work-item-vendor-invoice.json")))

def run(*args, extra=None, **kw):
    return subprocess.run([os.path.join(bin_dir, args[0]), *args[1:]], env=dict(env, **(extra or {})), check=True, **kw)

def control(path, body):
    urllib.request.urlopen(urllib.request.Request(sandbox + path, data=json.dumps(body).encode(), method="POST",
                                                  headers={"Content-Type": "application/json"})).read()

def messages():
    return json.load(urllib.request.urlopen(sandbox + "/_sandbox/messages"))["messages"]

def psql(sql):
    return subprocess.run(["psql", "-qAt", url, "-c", sql], capture_output=True, text=True, check=True).stdout.split("\n")

control("/_sandbox/config", {"pacing": False})
run("ml-connector", "connection", "add", "bench", "--dynamics-url", sandbox + "/fo", "--tenant-id", "t", "--client-id",
    "sandbox-client", "--entra-authority", sandbox + "/entra", "--slack-api-url", sandbox + "/slack/api",
    extra={"MLC_DYNAMICS_CLIENT_SECRET": "sandbox-secret", "MLC_SLACK_BOT_TOKEN": "xoxb-sandbox",
           "MLC_SLACK_SIGNING_SECRET": secret, "MLC_EVENT_KEY": "bench-event-key-0123456789"}, stdout=subprocess.DEVNULL)
run("ml-connector", "route", "add", "bench", "--event", "Workflow_*_WorkItem", "--approver", stdout=subprocess.DEVNULL)

# N + 10 approval cards, one per work item.
events = [dict(work_item, EventId=str(uuid.uuid4()), ControlNumber=7_000_000_000 + i,
               WorkflowWorkItemInstanceId=str(uuid.uuid4())) for i in range(n + 30)]
for e in events:  # each work item pending in the sandbox's F&O
    urllib.request.urlopen(urllib.request.Request(
        sandbox + "/_sandbox/odata/WorkflowWorkItems", method="PUT", headers={"Content-Type": "application/json"},
        data=json.dumps({"Id": e["WorkflowWorkItemInstanceId"].lower(), "Status": "Pending", "UserId": "alicia",
                         "Subject": e["WorkflowWorkItemSubject"], "CompanyId": "usmf", "Type": "WorkItem"}).encode())).read()
for i in range(0, len(events), 200):
    body = json.dumps(events[i:i + 200]).encode()
    out = run("handle-business-event", input=body, capture_output=True,
              extra={"GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "POST", "PATH_INFO": "/bench",
                     "QUERY_STRING": "code=bench-event-key-0123456789", "CONTENT_TYPE": "application/json",
                     "CONTENT_LENGTH": str(len(body))})
run("process-job")
approvals = [line.split("|") for line in psql("SELECT reference, message_ts FROM approval ORDER BY id") if line]

def click(reference, ts):
    payload = {"type": "block_actions", "user": {"id": "U04ALICIA"}, "trigger_id": str(uuid.uuid4()),
               "container": {"type": "message", "message_ts": ts, "channel_id": "D04ALICIADM"},
               "actions": [{"type": "button", "action_id": "mlc.approve", "block_id": "mlc.decision", "value": reference}]}
    body = ("payload=" + urllib.parse.quote(json.dumps(payload), safe="")).encode()
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    e = dict(env, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="POST", PATH_INFO="/bench",
             CONTENT_TYPE="application/x-www-form-urlencoded", CONTENT_LENGTH=str(len(body)),
             HTTP_X_SLACK_REQUEST_TIMESTAMP=stamp, HTTP_X_SLACK_SIGNATURE=signature,
             MLC_MASTER_KEY=os.environ["MLC_MASTER_KEY"])
    start = time.perf_counter()
    child = subprocess.Popen([os.path.join(bin_dir, "handle-slack-interaction")], env=e, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdin.write(body)
    child.stdin.close()
    stdout, stderr = child.stdout.read(), child.stderr.read()
    _, _, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = 0  # reaped by wait4 above
    if not stdout.startswith(b"Status: 200"):
        sys.exit("unexpected answer: %r %r" % (stdout[:200], stderr[:300]))
    rss.append(usage.ru_maxrss / 1024)
    return elapsed * 1000

rss = []
times = [click(ref, ts) for ref, ts in approvals[:n]]
times.sort()
print("handle-slack-interaction, %d signed Approve clicks by the approver (CGI, Unix-socket PostgreSQL)" % n)
print("  median %.2f ms   p90 %.2f ms   min %.2f ms   (budget: median <= 15 ms)" % (
    statistics.median(times), times[int(len(times) * 0.9)], times[0]))
print("  peak RSS %.1f MiB (largest of the %d clicks)" % (max(rss), n))

# Click to updated card with one process-job --listen draining.
worker = subprocess.Popen([os.path.join(bin_dir, "process-job"), "--listen"], env=env)
time.sleep(1)
latencies = []
for ref, ts in approvals[n:n + 10]:
    start = time.perf_counter()
    click(ref, ts)
    while True:
        done = [m for m in messages() if m["method"] == "chat.update" and m.get("ts") == ts and "Approved by" in json.dumps(m)]
        if done:
            break
        if time.perf_counter() - start > 30:
            sys.exit("card %s not updated" % ts)
        time.sleep(0.005)
    latencies.append((time.perf_counter() - start) * 1000)
worker.terminate()
worker.wait(timeout=10)
print("click to updated card (validate + complete in F&O, chat.update), one process-job --listen: median %.0f ms, max %.0f ms over %d" % (
    statistics.median(latencies), max(latencies), len(latencies)))
