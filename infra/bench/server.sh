#!/usr/bin/env bash
# Business events per second through ml-connector-server beside the same handler as CGI through nginx + fcgiwrap, in
# one run on one PostgreSQL (DESIGN.md §8: server >= 10x fcgiwrap). Each request is a new event (wrk's Lua script
# varies EventId and ControlNumber). PostgreSQL runs with synchronous_commit=off (infra/pg-cluster.sh): the handlers
# are what is compared, not the shared disk.
#   infra/bench/server.sh [seconds per run, default 20] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
for p in nginx fcgiwrap wrk; do
  dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx fcgiwrap wrk >/dev/null; break; }
done
. infra/lib.sh
prepare_release
seconds=${1:-20}
connections=${2:-8}
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null
  [ -n "${fcgi_pid:-}" ] && kill "$fcgi_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  cleanup_release
}
trap cleanup EXIT
MLC_EVENT_KEY=bench-event-key-0123456789 MLC_DYNAMICS_CLIENT_SECRET=x MLC_SLACK_BOT_TOKEN=x MLC_SLACK_SIGNING_SECRET=x \
  "$bin/ml-connector" connection add bench --dynamics-url https://contoso.operations.dynamics.com --tenant-id t --client-id c >/dev/null
"$bin/ml-connector" route add bench --event '*' --channel C0BENCH >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The reference: nginx + fcgiwrap, a CGI process per request (as infra/bench/nginx-fcgiwrap.sh).
nginx_port=$(free_port)
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
    listen 127.0.0.1:$nginx_port;
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

# ml-connector-server with its defaults (4 pooled connections, 4 handler threads).
server_port=$(free_port)
MLC_LOG_LEVEL=warning "$bin/ml-connector-server" --port "$server_port" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done

cat >"$work/events.lua" <<'LUA'
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
local run = tonumber(os.getenv("MLC_BENCH_RUN"))
request = function()
  n = n + 1
  local unique = run * 1000000000 + id * 100000000 + n
  local body = string.format('{"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","BusinessEventLegalEntity":"usmf",'
    .. '"ControlNumber":%d,"EventId":"wrk-%d","EventTime":"/Date(1764403200000)/","PurchaseOrderNumber":"USMF-000142",'
    .. '"TransactionCurrencyAmount":48250.75,"TransactionCurrencyCode":"USD","VendorAccount":"US-104"}', unique, unique)
  return wrk.format("POST", "/events/bench?code=bench-event-key-0123456789", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("failed or non-2xx: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
  io.write(string.format("events/s: %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("median: %.2f ms\n", latency:percentile(50) / 1000))
end
LUA
measure() {  # key label run port
  local stored_before stored_after
  stored_before=$(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')
  MLC_BENCH_RUN=$3 wrk -t 2 -c "$connections" -d "${seconds}s" -s "$work/events.lua" "http://127.0.0.1:$4" >"$work/$1.txt"
  stored_after=$(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')
  echo "$2: $(grep 'events/s' "$work/$1.txt"), $(grep 'median' "$work/$1.txt"), $(grep 'failed' "$work/$1.txt"), stored $((stored_after - stored_before))"
}
echo "PostgreSQL: synchronous_commit=off, fsync=off (throwaway cluster); wrk -t 2 -c $connections, ${seconds} s per run, $(nproc) cores"
measure fcgiwrap "nginx + fcgiwrap (CGI)" 1 "$nginx_port"
measure server "ml-connector-server   " 2 "$server_port"
reference=$(sed -n 's/events\/s: //p' "$work/fcgiwrap.txt")
server=$(sed -n 's/events\/s: //p' "$work/server.txt")
python3 -c "print(f'ml-connector-server / fcgiwrap: {$server / $reference:.1f}x (target >= 10x)')"
