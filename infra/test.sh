#!/usr/bin/env bash
# The test command: installs what is missing, starts a throwaway PostgreSQL, builds, runs `swift test` (only the
# tests matching MLC_TEST_FILTER when it is set; other arguments go to both swift build and swift test),
# and stops the cluster whatever the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

infra/install-deps.sh

work=$(mktemp -d /tmp/mlc-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  infra/pg-cluster.sh stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT

url=$(infra/pg-cluster.sh start "$work/pg")
export MLC_TEST_DATABASE_URL="$url"
export MLC_TEST_CLUSTER_SCRIPT="$root/infra/pg-cluster.sh"
export MLC_TEST_FIXTURES="$root/Sources/MLConnectorSandbox/Fixtures"

swift build --build-tests "$@"
export MLC_BIN_DIR="$(swift build --show-bin-path "$@")"
swift test --skip-build ${MLC_TEST_FILTER:+--filter "$MLC_TEST_FILTER"} "$@"
