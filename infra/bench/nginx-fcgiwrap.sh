#!/usr/bin/env bash
# Sustained business events through nginx + fcgiwrap on loopback (DESIGN.md §8: >= 150 events/s with no error).
# Each request is a new event (infra/bench/events.lua varies EventId and ControlNumber), run as CGI by fcgiwrap.
#   infra/bench/nginx-fcgiwrap.sh [seconds, default 20] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
for p in nginx fcgiwrap wrk; do
  dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx fcgiwrap wrk >/dev/null; break; }
done
seconds=${1:-20} connections=${2:-8}
. infra/lib.sh
prepare_release
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  stop_fcgiwrap
  cleanup_release
}
trap cleanup EXIT
add_bench_connection
start_fcgiwrap "${FCGIWRAP_CHILDREN:-$(nproc)}"
start_nginx "$(fcgiwrap_location events)"
wrk_events fcgiwrap /events/bench 1 "$nginx_port"
cat "$work/fcgiwrap.txt"
echo "events stored: $(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')"
