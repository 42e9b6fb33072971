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
  stop_fcgiwrap
  cleanup_release
}
trap cleanup EXIT
add_bench_connection
cc -O2 -o "$work/reference-fcgi" infra/bench/reference/business-event-fcgi.c $(pkg-config --cflags --libs libpq) -lfcgi

# The handlers recycle after MLC_MAX_REQUESTS and spawn-fcgi does not restart them: raise it for the runs.
export MLC_LOG_LEVEL=warning MLC_MAX_REQUESTS=100000000
spawn-fcgi -s "$work/handler.sock" -F "$processes" -P "$work/handler.pid" -- "$bin/handle-business-event" >/dev/null
spawn-fcgi -s "$work/reference.sock" -F "$processes" -P "$work/reference.pid" -- "$work/reference-fcgi" >/dev/null
start_fcgiwrap "$processes"
start_nginx "    location /fastcgi/ { include /etc/nginx/fastcgi_params; fastcgi_param PATH_INFO \$uri; fastcgi_pass unix:$work/handler.sock; }
    location /reference/ { include /etc/nginx/fastcgi_params; fastcgi_pass unix:$work/reference.sock; }
$(fcgiwrap_location cgi)"
run() {  # prefix run label
  echo "== $3 ($processes processes, $connections connections, ${seconds}s; PostgreSQL synchronous_commit=off)"
  wrk_events "$1" "/$1/bench" "$2" "$nginx_port"
  cat "$work/$1.txt"
}
run fastcgi 1 "handle-business-event, FastCGI (nginx fastcgi_pass)"
run reference 2 "C reference, libfcgi + libpq (nginx fastcgi_pass)"
run cgi 3 "handle-business-event, CGI (nginx + fcgiwrap)"
python3 -c "f, c, w = ($(sed -n 's/events\/s: //p' "$work/fastcgi.txt"), $(sed -n 's/events\/s: //p' "$work/reference.txt"), $(sed -n 's/events\/s: //p' "$work/cgi.txt")); print(f'FastCGI / C reference: {f / c:.2f}x (target >= 0.8x); FastCGI / fcgiwrap: {f / w:.1f}x (target >= 10x)')"
echo "events stored: $(psql -qAt "$MLC_DATABASE_URL" -c 'SELECT count(*) FROM business_event')"

echo "== at the socket: one handler process, one kept connection, $requests events"
spawn-fcgi -s "$work/single.sock" -F 1 -P "$work/single.pid" -- "$bin/handle-business-event" >/dev/null
python3 infra/bench/fastcgi-socket.py "$work/single.sock" "$(cat "$work/single.pid")" "$requests"
