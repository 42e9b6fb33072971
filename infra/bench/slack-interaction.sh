#!/usr/bin/env bash
# Builds release binaries, starts a throwaway PostgreSQL and the sandbox, and measures handle-slack-interaction.
#   infra/bench/slack-interaction.sh [N clicks, default 200]
set -euo pipefail
cd "$(dirname "$0")/../.."
. infra/lib.sh
prepare_release
trap cleanup_release EXIT
start_sandbox "$bin" "$work"
python3 infra/bench/slack-interaction.py "$bin" "$MLC_DATABASE_URL" "$sandbox_url" Sources/MLConnectorSandbox/Fixtures "${1:-200}"
