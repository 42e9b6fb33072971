#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and the demo: Unix socket only, trust auth, in a folder of its own.
#   infra/pg-cluster.sh start DIR     initdb (if needed) and start; prints the libpq URL
#   infra/pg-cluster.sh stop DIR      stop (fast)
#   infra/pg-cluster.sh url DIR       print the libpq URL
# Run as root, the server runs as the unprivileged user 'postgres' (PostgreSQL refuses to run as root).
# PG_CLUSTER_OPTIONS adds server options at start (the process-job benchmark loads pg_stat_statements with it).
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop|url DIR}
dir=${2:?usage: pg-cluster.sh start|stop|url DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg-cluster.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$dir"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() { echo "postgresql:///postgres?host=$dir/socket&user=postgres"; }

case "$cmd" in
  start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir/data" "$dir/socket"
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir/socket' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_CLUSTER_OPTIONS:-}" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    url
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  url) url ;;
  *) echo "usage: pg-cluster.sh start|stop|url DIR" >&2; exit 64 ;;
esac
