#!/usr/bin/env bash
# Builds release binaries, starts a throwaway PostgreSQL and the sandbox (its Lambda Runtime API stand-in), and
# measures a warm Lambda invocation of handle-business-event beside the function-event process per request
# (DESIGN.md §8).
#   infra/bench/lambda.sh [N invocations, default 1000]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/lib.sh
prepare_release
trap cleanup_release EXIT
MLC_EVENT_KEY=bench-event-key-0123456789 MLC_DYNAMICS_CLIENT_SECRET=x MLC_SLACK_BOT_TOKEN=x MLC_SLACK_SIGNING_SECRET=x \
  "$bin/ml-connector" connection add bench --dynamics-url https://contoso.operations.dynamics.com \
  --tenant-id t --client-id c >/dev/null
"$bin/ml-connector" route add bench --event '*' --channel C0BENCH >/dev/null
start_sandbox "$bin" "$work"
python3 infra/bench/lambda.py "$bin" "$MLC_DATABASE_URL" "$sandbox_url" "${1:-1000}"
