#!/usr/bin/env bash
# Starts a handler as FastCGI responders with spawn-fcgi: a Unix socket for nginx (nginx-fastcgi.conf), N processes
# sharing it (they accept in turn), the configuration from this environment. spawn-fcgi forks and returns; the pids
# are written to the pid file, one per line. When a process recycles itself (MLC_MAX_REQUESTS) nothing restarts it:
# in production prefer the systemd socket units (systemd/), or run this under a supervisor with -n and one process.
#   MLC_DATABASE_URL=… [MLC_MASTER_KEY=…] infra/fastcgi/spawn-fcgi.sh BINARY SOCKET PROCESSES PIDFILE [USER]
set -euo pipefail
binary=${1:?binary} socket=${2:?socket} processes=${3:?processes} pidfile=${4:?pid file}
user_args=()
[ -n "${5:-}" ] && user_args=(-u "$5" -U "$5")
exec spawn-fcgi -s "$socket" -M 0660 -F "$processes" -P "$pidfile" "${user_args[@]}" -- "$binary"
