#!/usr/bin/env bash
# Sustained business events through nginx + fcgiwrap on loopback (DESIGN.md §8: >= 150 events/s with no error).
# Each request is a new event (wrk's Lua script varies EventId and ControlNumber), run as CGI by fcgiwrap.
#   infra/bench/nginx-fcgiwrap.sh [seconds, default 20] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
for p in nginx fcgiwrap wrk; do
  dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx fcgiwrap wrk >/dev/null; break; }
done
. infra/lib.sh
prepare_release
cleanup() {
  [ -n "${fcgi_pid:-}" ] && pkill -f "fcgiwrap -s unix:$work/" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  cleanup_release
}
trap cleanup EXIT
MLC_EVENT_KEY=bench-event-key-0123456789 MLC_DYNAMICS_CLIENT_SECRET=x MLC_SLACK_BOT_TOKEN=x MLC_SLACK_SIGNING_SECRET=x \
  "$bin/ml-connector" connection add bench --dynamics-url https://contoso.operations.dynamics.com --tenant-id t --client-id c >/dev/null
"$bin/ml-connector" route add bench --event '*' --channel C0BENCH >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fcgiwrap -s "unix:$work/fcgiwrap.sock" -c "${FCGIWRAP_CHILDREN:-$(nproc)}" >"$work/fcgiwrap.log" 2>&1 &
fcgi_pid=$!
cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/body;
  server {
    listen 127.0.0.1:$port;
    location /events/ {
      fastcgi_pass unix:$work/fcgiwrap.sock;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $bin/handle-business-event;
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param MLC_DATABASE_URL "$MLC_DATABASE_URL";
      fastcgi_param MLC_LOG_LEVEL warning;
    }
  }
}
CONF
for _ in $(seq 50); do [ -S "$work/fcgiwrap.sock" ] && break; sleep 0.1; done
nginx -c "$work/nginx.conf"
cat >"$work/events.lua" <<'LUA'
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
local base = os.time() * 1000
request = function()
  n = n + 1
  local unique = id * 100000000 + n
  local body = string.format('{"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","BusinessEventLegalEntity":"usmf",'
    .. '"ControlNumber":%d,"EventId":"wrk-%d-%d","EventTime":"/Date(1764403200000)/","PurchaseOrderNumber":"USMF-000142",'
    .. '"TransactionCurrencyAmount":48250.75,"TransactionCurrencyCode":"USD","VendorAccount":"US-104"}', base + unique, base, unique)
  return wrk.format("POST", "/events/bench?code=bench-event-key-0123456789", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or failed: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
LUA
wrk -t 2 -c "${2:-8}" -d "${1:-20}s" -s "$work/events.lua" --latency "http://127.0.0.1:$port" | grep -E "Requests/sec|Latency|50%|99%|non-2xx|requests in"
echo "events stored: $(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')"
