#!/usr/bin/env bash
# The demo: the product's main flow on one machine, with no account anywhere, through a real web server.
# Installs what is missing, builds (release), starts a throwaway PostgreSQL, the sandbox (Entra ID, F&O OData and
# Slack stand-ins), both handlers as FastCGI responders (spawn-fcgi) behind nginx (infra/fastcgi/nginx-fastcgi.conf)
# and `process-job --listen`; adds a connection and routes; POSTs the sample business events to nginx as F&O would;
# taps Approve on one pending invoice's card and Reject (with a reason, in the modal) on the other's, signed as Slack
# signs them and POSTed to nginx; prints each card as a person reads it, the F&O write-back and each document's
# audit story, and draws the approval card (demo-out/approval-card.png, headless Chromium).
#   infra/demo.sh            run and clean up (also when it fails)
#   infra/demo.sh --keep     leave everything running to explore (prints the URLs and commands)
set -Eeuo pipefail
cd "$(dirname "$0")/.."
keep=false
case "${1:-}" in
  "") ;;
  --keep) keep=true ;;
  *) echo "usage: infra/demo.sh [--keep]" >&2; exit 64 ;;
esac
. infra/lib.sh
fixtures=Sources/MLConnectorSandbox/Fixtures
story() { python3 infra/demo/story.py "$@"; }
# field FIXTURE NAME: a field of a sample business event.
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$fixtures/business-events/$1.json" "$2"; }
# fail REASON [LOG]: stops the demo with the reason and the end of the log that tells why.
fail() {
  echo "demo FAILED: $1" >&2
  [ -n "${2:-}" ] && [ -f "$2" ] && { echo "--- last lines of $2:" >&2; tail -n 25 "$2" >&2; }
  exit 1
}
trap 'echo "demo FAILED at ${BASH_SOURCE[0]} line $LINENO: $BASH_COMMAND" >&2' ERR
started=$EPOCHREALTIME

# Stops exactly what this run started, by pid, and removes its folder — unless --keep and all went well.
stop_all() {
  local status=$?
  $keep && [ $status = 0 ] && return 0
  [ -n "${worker_pid:-}" ] && { kill "$worker_pid" 2>/dev/null; wait "$worker_pid" 2>/dev/null || true; }
  [ -n "${work:-}" ] || return 0
  [ -f "$work/nginx.pid" ] && kill -QUIT "$(cat "$work/nginx.pid")" 2>/dev/null
  for f in "$work"/handle-*.pid; do [ -f "$f" ] && kill $(cat "$f") 2>/dev/null; done
  cleanup_release >/dev/null 2>&1 || true
  [ $status = 0 ] || echo "demo: cleaned up after the failure" >&2
}
trap stop_all EXIT

echo "building (release; the first build takes several minutes)…"
prepare_release
built=$EPOCHREALTIME
export MLC_LOG_LEVEL=warning
start_sandbox "$bin" "$work"
base=$sandbox_url
key=demo-event-key-0123456789

MLC_DYNAMICS_CLIENT_SECRET=sandbox-secret MLC_SLACK_BOT_TOKEN=xoxb-sandbox MLC_SLACK_SIGNING_SECRET=sandbox-signing-secret \
MLC_EVENT_KEY=$key \
  "$bin/ml-connector" connection add contoso --dynamics-url "$base/fo" --tenant-id contoso-tenant \
  --client-id sandbox-client --entra-authority "$base/entra" --slack-api-url "$base/slack/api" >/dev/null
"$bin/ml-connector" route add contoso --event PurchaseOrderConfirmedBusinessEvent --channel C0PURCHASING >/dev/null
"$bin/ml-connector" route add contoso --event VendorInvoicePostedBusinessEvent --channel C0AP >/dev/null
"$bin/ml-connector" route add contoso --event VendorPaymentPostedBusinessEvent --channel C0PAYMENTS >/dev/null
"$bin/ml-connector" route add contoso --event 'Workflow_*_WorkItem' --approver --fallback-channel C0APPROVALS >/dev/null

# The handlers as FastCGI responders on Unix sockets (spawn-fcgi), nginx in front with the repository's config.
# As root, nginx and the handlers run as nobody, as in production; otherwise as this user.
server_user=$(id -un) server_group=$(id -gn) spawn_user=""
[ "$(id -u)" = 0 ] && server_user=nobody server_group=nogroup spawn_user=nobody
for handler in handle-business-event handle-slack-interaction; do
  infra/fastcgi/spawn-fcgi.sh "$bin/$handler" "$work/$handler.sock" 1 "$work/$handler.pid" $spawn_user \
    >>"$work/spawn-fcgi.log" 2>&1 || fail "spawn-fcgi could not start $handler" "$work/spawn-fcgi.log"
done
port=$(free_port)
MLC_RUN=$work MLC_PORT=$port MLC_SERVER_USER=$server_user MLC_SERVER_GROUP=$server_group \
  envsubst '${MLC_RUN} ${MLC_PORT} ${MLC_SERVER_USER} ${MLC_SERVER_GROUP}' <infra/fastcgi/nginx-fastcgi.conf >"$work/nginx.conf"
nginx -c "$work/nginx.conf" 2>"$work/nginx-start.log" || fail "nginx did not start" "$work/nginx-start.log"
nginx_url=http://127.0.0.1:$port
events_url="$nginx_url/events/contoso?code=$key"
slack_url=$nginx_url/slack/contoso

MLC_LOG_LEVEL=info "$bin/process-job" --listen >"$work/process-job.log" 2>&1 &
worker_pid=$!
sleep 0.5
kill -0 "$worker_pid" 2>/dev/null || fail "process-job --listen exited at start" "$work/process-job.log"
echo "PostgreSQL, the sandbox ($base), nginx ($nginx_url) with both handlers as FastCGI, process-job --listen: running"

# Reminders follow F&O's due date (a catalog setting, off in the standard catalog): the second invoice's work item is
# made due in 24 h 25 s, so its "24h" reminder comes due 25 s after the events are sent, in the card's own thread.
echo '{"reminders": {"points": ["24h", "2h", "due"], "quietHours": null}}' >"$work/catalog-overrides.json"
"$bin/ml-connector" connection catalog contoso --file "$work/catalog-overrides.json" >/dev/null
python3 - "$base" "$fixtures/odata/WorkflowWorkItems.USMF-VI-000419.json" <<'PY' || fail "the sandbox did not take the due date"
import datetime, json, sys, urllib.request
base, path = sys.argv[1], sys.argv[2]
item = json.load(open(path))
due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=24, seconds=25)
item["DueDateTime"] = due.strftime("%Y-%m-%dT%H:%M:%SZ")
urllib.request.urlopen(urllib.request.Request(base + "/_sandbox/odata/WorkflowWorkItems", data=json.dumps(item).encode(),
                                              method="PUT", headers={"Content-Type": "application/json"}), timeout=10).read()
PY

echo; echo "== F&O sends its business events to nginx (POST /events/contoso?code=…, application/json)"
approvals=(workflow-work-item-vendor-invoice workflow-work-item-vendor-invoice-000419)
for f in endpoint-test purchase-order-confirmed vendor-invoice-posted vendor-payment-posted "${approvals[@]}"; do
  answer=$("$bin/ml-connector-sandbox" send-event --url "$events_url" --fixture "$f" 2>&1) \
    || fail "nginx refused the business event $f: $answer" "$work/nginx-error.log"
  printf '%-42s %s\n' "$f" "$(echo "$answer" | paste -sd ' ')"
done
story wait-posts "$base" 5 30 || fail "process-job did not post every card" "$work/process-job.log"

# Display names for @mentions, as Slack shows them: the approver's Slack user, looked up by the event's email.
export MLC_DEMO_USERS=$(MLC_SLACK_BOT_TOKEN=xoxb-sandbox story user "$base" "$(field "${approvals[0]}" WorkflowUserEmail)")

echo; echo "== what Slack shows (each card as a person reads it)"
story cards "$base"

approve_doc=$(field "${approvals[0]}" ContextRecordSubject) approve_item=$(field "${approvals[0]}" WorkflowWorkItemInstanceId)
reject_doc=$(field "${approvals[1]}" ContextRecordSubject) reject_item=$(field "${approvals[1]}" WorkflowWorkItemInstanceId)
approve_ts=$(story ts "$base" "$approve_doc") reject_ts=$(story ts "$base" "$reject_doc")
approve_item=${approve_item,,} reject_item=${reject_item,,}

approver=${MLC_DEMO_USERS#*=} approver_id=${MLC_DEMO_USERS%%=*}

echo "== $approver opens the app's Home tab (Slack's signed app_home_opened event, POSTed to nginx /slack/contoso)"
curl -fsS -X POST -H 'Content-Type: application/json' --data "{\"user\":\"$approver_id\",\"tab\":\"home\",\"url\":\"$slack_url\"}" \
  "$base/_sandbox/events/app_home_opened" >/dev/null || fail "the sandbox could not send app_home_opened" "$work/nginx-error.log"
story wait-home "$base" "$approver_id" 30 "open approvals" || fail "her App Home was not published" "$work/process-job.log"
story home "$base" "$approver_id"
story home "$base" "$approver_id" json >"$work/app-home.json"

echo "== $approver taps Approve on $approve_doc (Slack's signed block_actions, POSTed to nginx /slack/contoso)"
"$bin/ml-connector-sandbox" click --sandbox "$base" --channel D04ALICIADM --ts "$approve_ts" --action approve --url "$slack_url" \
  | paste -sd ' ' || fail "the Approve click was refused" "$work/nginx-error.log"
story wait-decided "$base" "$approve_item" "$approve_ts" 30 || fail "the approval was not written back" "$work/process-job.log"

echo; echo "== F&O's due date comes near: the reminder for $reject_doc (a remind_approval job queued for its time)"
story wait-reply "$base" "$reject_ts" 90 || fail "no reminder was posted in the card's thread" "$work/process-job.log"

reason="Only 20 of the 50 amplifier boards were received (GRN-2291); please re-invoice for 20."
echo; echo "== $approver taps Reject on $reject_doc: the handler opens a modal for the reason"
"$bin/ml-connector-sandbox" click --sandbox "$base" --channel D04ALICIADM --ts "$reject_ts" --action reject --url "$slack_url" \
  | paste -sd ' ' || fail "the Reject click was refused" "$work/nginx-error.log"
story wait-view "$base" 5 >/dev/null || fail "no reason modal was opened" "$work/nginx-error.log"
story modal "$base"
echo "$approver types the reason and submits (view_submission, POSTed to nginx /slack/contoso)"
"$bin/ml-connector-sandbox" submit --sandbox "$base" --text "$reason" --url "$slack_url" \
  | paste -sd ' ' || fail "the reason was refused" "$work/nginx-error.log"
story wait-decided "$base" "$reject_item" "$reject_ts" 30 || fail "the rejection was not written back" "$work/process-job.log"

echo; echo "== the F&O write-back (the sandbox's WorkflowWorkItems)"
story workitem "$base" "$approve_item"
story workitem "$base" "$reject_item"

echo; echo "== the cards now (chat.update: who decided, when; buttons gone)"
story card "$base" "$approve_ts" latest
story card "$base" "$reject_ts" latest

echo; echo "== $approver's Home now (published again whenever one of her approvals changed)"
story wait-home "$base" "$approver_id" 30 "Nothing is waiting" || fail "her App Home was not refreshed" "$work/process-job.log"
story home "$base" "$approver_id"

echo; echo "== each document's story (ml-connector audit --event …)"
for f in purchase-order-confirmed vendor-invoice-posted vendor-payment-posted "${approvals[@]}"; do
  event=$(field "$f" EventId)
  echo "-- $f ($event)"
  "$bin/ml-connector" audit --event "$event"
done

echo; echo "== the health view (ml-connector status: exit 1 would mean a dead worker, a late job or a failed call)"
"$bin/ml-connector" status || fail "ml-connector status says the demo is unhealthy" "$work/process-job.log"

echo; echo "== the approval card and the App Home, drawn (headless Chromium)"
mkdir -p demo-out
story message "$base" "$approve_ts" first >"$work/approval-card.json"
story message "$base" "$approve_ts" latest >"$work/approval-card-decided.json"
python3 infra/demo/render-card.py "$work/approval-card.json" demo-out/approval-card.png \
  || fail "the approval card could not be drawn"
python3 infra/demo/render-card.py "$work/approval-card-decided.json" demo-out/approval-card-decided.png \
  || fail "the decided approval card could not be drawn"
python3 infra/demo/render-card.py --home "$work/app-home.json" demo-out/app-home.png \
  || fail "the App Home could not be drawn"
ls -l demo-out/approval-card.png demo-out/approval-card-decided.png demo-out/app-home.png | awk '{print $NF ": " $5 " bytes"}'


finished=$EPOCHREALTIME
awk -v s="$started" -v b="$built" -v f="$finished" 'BEGIN { printf "\ndemo finished: %.1f s in all, %.1f s after the build\n", f - s, f - b }'

if $keep; then
  # The connection's configuration, for the CLI, in a file readable by this user only (the master key is a secret).
  (umask 077; printf "export MLC_DATABASE_URL='%s' MLC_MASTER_KEY='%s' PATH='%s':\"\$PATH\"\n" \
    "$MLC_DATABASE_URL" "$MLC_MASTER_KEY" "$bin" >"$work/env")
  cat <<MSG

Left running for you (folder $work):
  nginx     $nginx_url   (POST /events/contoso?code=$key, POST /slack/contoso)
  sandbox   $base/   (its home page lists every endpoint; GET $base/_sandbox/messages shows what Slack received)
Explore with the CLI:
  . $work/env
  ml-connector status; ml-connector jobs; ml-connector audit --limit 20; ml-connector ping contoso
Send a business event as F&O would, then read the cards:
  curl -s -H 'Content-Type: application/json' --data-binary @$fixtures/business-events/workflow-element-completed.json '$events_url'
  python3 infra/demo/story.py cards $base
Logs: $work/process-job.log, $work/nginx-error.log, $work/sandbox.log
Stop everything:
  kill $worker_pid $sandbox_pid \$(cat $work/handle-business-event.pid) \$(cat $work/handle-slack-interaction.pid)
  kill -QUIT \$(cat $work/nginx.pid); infra/pg-cluster.sh stop $work/pg; rm -rf $work
MSG
fi
