# Shared by the demo and the benchmarks: source it, then call these.

# start_sandbox BIN_DIR WORK_DIR [ARGS…]: starts ml-connector-sandbox on a free loopback port; sets sandbox_pid and
# sandbox_url (its log goes to WORK_DIR/sandbox.log).
start_sandbox() {
  local bin=$1 work=$2; shift 2
  "$bin/ml-connector-sandbox" --port 0 "$@" >"$work/sandbox.out" 2>"$work/sandbox.log" &
  sandbox_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
  sandbox_url=$(sed -n 's/^listening on //p' "$work/sandbox.out")
  [ -n "$sandbox_url" ] || { echo "the sandbox did not start:" >&2; cat "$work/sandbox.log" >&2; return 1; }
}

# prepare_release WORK_VAR: installs packages, builds release binaries (sets bin; MLC_SWIFT_BUILD_ARGS, e.g.
# "--scratch-path .build-x", is passed to swift build), makes a work folder (sets work),
# starts a throwaway PostgreSQL there and exports MLC_DATABASE_URL and a fresh MLC_MASTER_KEY.
prepare_release() {
  infra/install-deps.sh
  swift build -c release ${MLC_SWIFT_BUILD_ARGS:-} >/dev/null
  bin=$(swift build -c release ${MLC_SWIFT_BUILD_ARGS:-} --show-bin-path)
  work=$(mktemp -d /tmp/mlc.XXXXXX); chmod 755 "$work"
  export MLC_DATABASE_URL=$(infra/pg-cluster.sh start "$work/pg")
  export MLC_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
  "$bin/ml-connector" migrate >/dev/null
}

# cleanup_release: stops what prepare_release and start_sandbox started.
cleanup_release() {
  [ -n "${sandbox_pid:-}" ] && kill "$sandbox_pid" 2>/dev/null
  infra/pg-cluster.sh stop "$work/pg"
  rm -rf "$work"
}
