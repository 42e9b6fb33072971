#!/usr/bin/env bash
# Builds release binaries, starts a throwaway PostgreSQL and the sandbox, and measures process-job (DESIGN.md §8).
#   infra/bench/process-job.sh [N events for throughput, default 1000] [M cards for pacing, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/lib.sh
prepare_release
trap cleanup_release EXIT
start_sandbox "$bin" "$work"
python3 infra/bench/process-job.py "$bin" "$MLC_DATABASE_URL" "$sandbox_url" "${1:-1000}" "${2:-20}"
