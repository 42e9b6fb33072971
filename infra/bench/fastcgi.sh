#!/usr/bin/env bash
# FastCGI throughput and cost (DESIGN.md §8), in one run on one PostgreSQL (synchronous_commit=off, as
# infra/pg-cluster.sh starts it): new business events through nginx to
#   1. handle-business-event as a FastCGI responder (nginx fastcgi_pass, P processes started by spawn-fcgi -F P),
#   2. the C FastCGI reference (reference/business-event-fcgi.c: libfcgi + one libpq connection, P processes),
#   3. handle-business-event as CGI through fcgiwrap (-c P);
# events/s and errors from wrk; then at the socket (no nginx) the per-request median over N events and the RSS of
# one handler process before and after them (fastcgi-socket.py).
#   infra/bench/fastcgi.sh [seconds per run, default 20] [wrk connections, default 8] [processes P, default 2] [N, default 100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
for p in nginx fcgiwrap spawn-fcgi libfcgi-dev wrk; do
  dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx fcgiwrap spawn-fcgi libfcgi-dev wrk >/dev/null; break; }
done
seconds=${1:-20} connections=${2:-8} processes=${3:-2} requests=${4:-100000}
. infra/lib.sh
prepare_release
cleanup() {
  for f in "$work"/*.pid; do [ -f "$f" ] && kill $(cat "$f") 2>/dev/null; done
  # fcgiwrap -c P forks P workers that outlive their parent: end them first, by parent pid.
  [ -n "${fcgiwrap_pid:-}" ] && { pkill -P "$fcgiwrap_pid" 2>/dev/null; kill "$fcgiwrap_pid" 2>/dev/null; }
  cleanup_release
}
trap cleanup EXIT
MLC_EVENT_KEY=bench-event-key-0123456789 MLC_DYNAMICS_CLIENT_SECRET=x MLC_SLACK_BOT_TOKEN=x MLC_SLACK_SIGNING_SECRET=x \
  "$bin/ml-connector" connection add bench --dynamics-url https://contoso.operations.dynamics.com --tenant-id t --client-id c >/dev/null
"$bin/ml-connector" route add bench --event '*' --channel C0BENCH >/dev/null
cc -O2 -o "$work/reference-fcgi" infra/bench/reference/business-event-fcgi.c $(pkg-config --cflags --libs libpq) -lfcgi

# The handlers recycle after MLC_MAX_REQUESTS and spawn-fcgi does not restart them: raise it for the runs.
export MLC_LOG_LEVEL=warning MLC_MAX_REQUESTS=100000000
spawn-fcgi -s "$work/handler.sock" -F "$processes" -P "$work/handler.pid" -- "$bin/handle-business-event" >/dev/null
spawn-fcgi -s "$work/reference.sock" -F "$processes" -P "$work/reference.pid" -- "$work/reference-fcgi" >/dev/null
fcgiwrap -s "unix:$work/fcgiwrap.sock" -c "$processes" >"$work/fcgiwrap.log" 2>&1 &
fcgiwrap_pid=$!
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body;
  server {
    listen 127.0.0.1:$port;
    location /fastcgi/ { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO \$uri; fastcgi_pass unix:$work/handler.sock; }
    location /reference/ { include /etc/nginx/fastcgi_params; fastcgi_pass unix:$work/reference.sock; }
    location /cgi/ {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:$work/fcgiwrap.sock;
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
    .. '"ControlNumber":%d,"EventId":"wrk-%s-%d-%d","EventTime":"/Date(1764403200000)/","PurchaseOrderNumber":"USMF-000142",'
    .. '"TransactionCurrencyAmount":48250.75,"TransactionCurrencyCode":"USD","VendorAccount":"US-104"}', base + unique, prefix, base, unique)
  return wrk.format("POST", "/" .. prefix .. "/bench?code=bench-event-key-0123456789", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or failed: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
LUA
run() {
  sed "s/^local n = 0/local n = 0\nlocal prefix = \"$1\"/" "$work/events.lua" >"$work/events-$1.lua"
  echo "== $2 ($processes processes, $connections connections, ${seconds}s; PostgreSQL synchronous_commit=off)"
  wrk -t 2 -c "$connections" -d "${seconds}s" -s "$work/events-$1.lua" --latency "http://127.0.0.1:$port" \
    | grep -E "Requests/sec|non-2xx|requests in|50%"
}
run fastcgi "handle-business-event, FastCGI (nginx fastcgi_pass)"
run reference "C reference, libfcgi + libpq (nginx fastcgi_pass)"
run cgi "handle-business-event, CGI (nginx + fcgiwrap)"
echo "events stored: $(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')"

echo "== at the socket: one handler process, one kept connection, $requests events"
spawn-fcgi -s "$work/single.sock" -F 1 -P "$work/single.pid" -- "$bin/handle-business-event" >/dev/null
python3 infra/bench/fastcgi-socket.py "$work/single.sock" "$(cat "$work/single.pid")" "$requests"
