#!/usr/bin/env bash
# The demo: the product's main flow on one machine, with no account anywhere.
# Starts a throwaway PostgreSQL and the sandbox (Entra ID, F&O OData, Slack stand-ins), adds a connection and
# routes, delivers every sample F&O business event through handle-business-event run as CGI, drains the queue
# with process-job, shows what "Slack" received, has the approver tap Approve (a signed click through
# handle-slack-interaction, written back to the F&O workflow by process-job) and prints the audit trail.
#   infra/demo.sh            run and clean up
#   infra/demo.sh --keep     leave PostgreSQL and the sandbox running to explore (prints how)
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
[ "${1:-}" = "--keep" ] && keep=true

. infra/lib.sh
echo "building (the first build takes a few minutes)…"
prepare_release
$keep || trap cleanup_release EXIT
export MLC_LOG_LEVEL=warning
start_sandbox "$bin" "$work"
base=$sandbox_url
echo "sandbox at $base"

MLC_DYNAMICS_CLIENT_SECRET=sandbox-secret MLC_SLACK_BOT_TOKEN=xoxb-sandbox MLC_SLACK_SIGNING_SECRET=sandbox-signing-secret \
MLC_EVENT_KEY=demo-event-key-0123456789 \
  "$bin/ml-connector" connection add contoso --dynamics-url "$base/fo" --tenant-id contoso-tenant \
  --client-id sandbox-client --entra-authority "$base/entra" --slack-api-url "$base/slack/api"
"$bin/ml-connector" route add contoso --event PurchaseOrderConfirmedBusinessEvent --channel C0PURCHASING
"$bin/ml-connector" route add contoso --event VendorInvoicePostedBusinessEvent --channel C0AP
"$bin/ml-connector" route add contoso --event VendorPaymentPostedBusinessEvent --channel C0PAYMENTS
"$bin/ml-connector" route add contoso --event 'Workflow_*_WorkItem' --approver --fallback-channel C0APPROVALS
"$bin/ml-connector" route list contoso

echo; echo "== F&O sends business events (handle-business-event as CGI)"
for f in endpoint-test purchase-order-confirmed vendor-invoice-posted vendor-payment-posted workflow-work-item-vendor-invoice; do
  body="Sources/MLConnectorSandbox/Fixtures/business-events/$f.json"
  printf '%-36s ' "$f"
  env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/contoso QUERY_STRING=code=demo-event-key-0123456789 \
    CONTENT_TYPE=application/json CONTENT_LENGTH=$(wc -c <"$body") "$bin/handle-business-event" <"$body" \
    | tr -d '\r' | sed -n '1p;$p' | paste -sd ' '
done

echo; echo "== process-job drains the queue"
time "$bin/process-job"
"$bin/ml-connector" jobs

echo; echo "== what Slack received"
python3 - "$base" <<'PY'
import json, sys, urllib.request
messages = json.load(urllib.request.urlopen(sys.argv[1] + "/_sandbox/messages"))["messages"]
for m in messages:
    print("%-18s %-12s %s" % (m["method"], m.get("channel"), m.get("text")))
    for b in m.get("blocks") or []:
        t = b.get("text")
        if isinstance(t, dict): print("    [%s] %s" % (b["type"], t["text"].replace("\n", "\n    ")))
        for f in b.get("fields") or []: print("    • " + f["text"].replace("\n", " "))
        for e in b.get("elements") or []:
            if e.get("type") == "button": print("    (button) " + e["text"]["text"])
            elif "text" in e: print("    " + str(e["text"]))
PY

echo; echo "== Alicia taps Approve (the sandbox signs the click as Slack would; handle-slack-interaction runs as CGI)"
python3 - "$base" "$bin" <<'PY'
import json, os, subprocess, sys, urllib.request
base, bin_dir = sys.argv[1], sys.argv[2]
card = [m for m in json.load(urllib.request.urlopen(base + "/_sandbox/messages"))["messages"] if m["channel"] == "D04ALICIADM"][0]
request = urllib.request.Request(base + "/_sandbox/interactions", method="POST", headers={"Content-Type": "application/json"},
    data=json.dumps({"channel": "D04ALICIADM", "ts": card["ts"], "action_id": "mlc.approve"}).encode())
signed = json.load(urllib.request.urlopen(request))
body = signed["body"].encode()
env = dict(os.environ, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="POST", PATH_INFO="/contoso", CONTENT_LENGTH=str(len(body)),
           CONTENT_TYPE=signed["headers"]["Content-Type"], HTTP_X_SLACK_REQUEST_TIMESTAMP=signed["headers"]["X-Slack-Request-Timestamp"],
           HTTP_X_SLACK_SIGNATURE=signed["headers"]["X-Slack-Signature"])
answer = subprocess.run([bin_dir + "/handle-slack-interaction"], input=body, env=env, capture_output=True).stdout
print(answer.decode().splitlines()[0])
PY
"$bin/process-job"
python3 - "$base" <<'PY'
import json, sys, urllib.request
updates = [m for m in json.load(urllib.request.urlopen(sys.argv[1] + "/_sandbox/messages"))["messages"] if m["method"] == "chat.update"]
print("card now says: " + updates[-1]["text"].split("\n")[0])
item = json.load(urllib.request.urlopen(sys.argv[1] + "/_sandbox/workitems/3d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c"))
print("F&O work item: %s, completions %s" % (item["Status"], item["completions"]))
PY

echo; echo "== the story of the pending invoice (ml-connector audit --event …)"
"$bin/ml-connector" audit --event 7F3E2D1C-0B9A-4876-A5B4-C3D2E1F0A9B8

if $keep; then
  cat <<MSG

Left running for you:
  export MLC_DATABASE_URL='$MLC_DATABASE_URL' MLC_MASTER_KEY='$MLC_MASTER_KEY'
  sandbox: $base   (open $base/ for its endpoints; its log: $work/sandbox.log)
  binaries: $bin
Stop with: kill $sandbox_pid; infra/pg-cluster.sh stop $work/pg
MSG
fi
