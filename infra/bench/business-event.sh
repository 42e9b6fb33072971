#!/usr/bin/env bash
# Builds release binaries, starts a throwaway PostgreSQL, and measures handle-business-event beside a C reference
# doing the same statements with libpq and the same handler written in Python with psycopg (DESIGN.md §8).
#   infra/bench/business-event.sh [N invocations, default 500]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/lib.sh
prepare_release
trap cleanup_release EXIT
MLC_EVENT_KEY=bench-event-key-0123456789 MLC_DYNAMICS_CLIENT_SECRET=x MLC_SLACK_BOT_TOKEN=x MLC_SLACK_SIGNING_SECRET=x \
  "$bin/ml-connector" connection add bench --dynamics-url https://contoso.operations.dynamics.com \
  --tenant-id t --client-id c >/dev/null
"$bin/ml-connector" route add bench --event '*' --channel C0BENCH >/dev/null
cc -O2 -o "$work/reference-business-event" infra/bench/reference/business-event.c $(pkg-config --cflags --libs libpq)
# The Python reference's driver (psycopg 3, pure Python over the system's libpq).
python3 -c 'import psycopg' 2>/dev/null || python3 -m pip install -q 'psycopg>=3.1,<4'
python3 infra/bench/business-event.py "$bin" "$MLC_DATABASE_URL" "$work/reference-business-event" "${1:-500}"
