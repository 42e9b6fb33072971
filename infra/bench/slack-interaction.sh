#!/usr/bin/env bash
# Builds release binaries, starts a throwaway PostgreSQL and the sandbox, and measures handle-slack-interaction.
set -euo pipefail
cd "$(dirname "$0")/../.."
infra/install-deps.sh
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/mlc-bench.XXXXXX); chmod 755 "$work"
cleanup() { [ -n "${sandbox_pid:-}" ] && kill "$sandbox_pid" 2>/dev/null; infra/pg-cluster.sh stop "$work/pg"; rm -rf "$work"; }
trap cleanup EXIT
export MLC_DATABASE_URL=$(infra/pg-cluster.sh start "$work/pg")
export MLC_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
"$bin/ml-connector" migrate >/dev/null
"$bin/ml-connector-sandbox" --port 0 >"$work/sandbox.out" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
python3 infra/bench/slack-interaction.py "$bin" "$MLC_DATABASE_URL" "$(sed -n 's/^listening on //p' "$work/sandbox.out")" \
  Sources/MLConnectorSandbox/Fixtures "${1:-200}"
