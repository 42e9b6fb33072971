#!/usr/bin/env bash
# Builds release binaries, starts a throwaway PostgreSQL and the sandbox, and measures process-job (DESIGN.md §8).
#   infra/bench/process-job.sh [N events for throughput, default 1000] [M cards for pacing, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/lib.sh
# pg_stat_statements (top-level statements only = the clients' round trips) for the per-card figures.
export PG_CLUSTER_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top -c pg_stat_statements.track_utility=on"
prepare_release
trap cleanup_release EXIT
start_sandbox "$bin" "$work"
MLC_BENCH_SANDBOX_PID=$sandbox_pid MLC_BENCH_POSTMASTER_PID=$(head -n 1 "$work/pg/data/postmaster.pid") \
  python3 infra/bench/process-job.py "$bin" "$MLC_DATABASE_URL" "$sandbox_url" "${1:-1000}" "${2:-20}"
