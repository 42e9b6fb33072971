#!/usr/bin/env bash
# Builds release binaries, starts a throwaway PostgreSQL, and measures handle-business-event (DESIGN.md §8).
set -euo pipefail
cd "$(dirname "$0")/../.."
infra/install-deps.sh
swift build -c release --product handle-business-event >/dev/null
swift build -c release --product ml-connector >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/mlc-bench.XXXXXX); chmod 755 "$work"
trap 'infra/pg-cluster.sh stop "$work/pg"; rm -rf "$work"' EXIT
export MLC_DATABASE_URL=$(infra/pg-cluster.sh start "$work/pg")
export MLC_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
"$bin/ml-connector" migrate >/dev/null
MLC_EVENT_KEY=bench-event-key-0123456789 MLC_DYNAMICS_CLIENT_SECRET=x MLC_SLACK_BOT_TOKEN=x MLC_SLACK_SIGNING_SECRET=x \
  "$bin/ml-connector" connection add bench --dynamics-url https://contoso.operations.dynamics.com \
  --tenant-id t --client-id c >/dev/null
"$bin/ml-connector" route add bench --event '*' --channel C0BENCH >/dev/null
python3 infra/bench/business-event.py "$bin" "$MLC_DATABASE_URL" "${1:-500}"
