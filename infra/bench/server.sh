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
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  stop_fcgiwrap
  cleanup_release
}
trap cleanup EXIT
add_bench_connection

# The reference: nginx + fcgiwrap, a CGI process per request (as infra/bench/nginx-fcgiwrap.sh).
start_fcgiwrap "${FCGIWRAP_CHILDREN:-$(nproc)}"
start_nginx "$(fcgiwrap_location events)"

# ml-connector-server with its defaults (4 pooled connections, 4 handler threads).
server_port=$(free_port)
MLC_LOG_LEVEL=warning "$bin/ml-connector-server" --port "$server_port" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done

measure() {  # key label run port
  local stored_before stored_after
  stored_before=$(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')
  wrk_events "$1" /events/bench "$3" "$4"
  stored_after=$(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')
  echo "$2: $(grep 'events/s' "$work/$1.txt"), $(grep 'median' "$work/$1.txt"), $(grep 'failed' "$work/$1.txt"), stored $((stored_after - stored_before))"
}
echo "PostgreSQL: synchronous_commit=off, fsync=off (throwaway cluster); wrk -t 2 -c $connections, ${seconds} s per run, $(nproc) cores"
measure fcgiwrap "nginx + fcgiwrap (CGI)" 1 "$nginx_port"
measure server "ml-connector-server   " 2 "$server_port"
reference=$(sed -n 's/events\/s: //p' "$work/fcgiwrap.txt")
server=$(sed -n 's/events\/s: //p' "$work/server.txt")
python3 -c "print(f'ml-connector-server / fcgiwrap: {$server / $reference:.1f}x (target >= 10x)')"
