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

# add_bench_connection: the connection `bench` (event key bench-event-key-0123456789) with one route for every event.
add_bench_connection() {
  MLC_EVENT_KEY=bench-event-key-0123456789 MLC_DYNAMICS_CLIENT_SECRET=x MLC_SLACK_BOT_TOKEN=x MLC_SLACK_SIGNING_SECRET=x \
    "$bin/ml-connector" connection add bench --dynamics-url https://contoso.operations.dynamics.com --tenant-id t --client-id c >/dev/null
  "$bin/ml-connector" route add bench --event '*' --channel C0BENCH >/dev/null
}

# free_port: a free loopback TCP port.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_fcgiwrap CHILDREN: fcgiwrap on $work/fcgiwrap.sock (sets fcgiwrap_pid), ready when this returns.
start_fcgiwrap() {
  fcgiwrap -s "unix:$work/fcgiwrap.sock" -c "$1" >"$work/fcgiwrap.log" 2>&1 &
  fcgiwrap_pid=$!
  for _ in $(seq 50); do [ -S "$work/fcgiwrap.sock" ] && break; sleep 0.1; done
}

# stop_fcgiwrap: fcgiwrap -c N forks workers that outlive their parent: ends every fcgiwrap serving this run's
# socket (the path names this run's own temporary folder), then the parent.
stop_fcgiwrap() {
  [ -n "${fcgiwrap_pid:-}" ] || return 0
  pkill -f "fcgiwrap -s unix:$work/fcgiwrap.sock" 2>/dev/null
  kill "$fcgiwrap_pid" 2>/dev/null
  return 0
}

# fcgiwrap_location PREFIX: the nginx location that runs handle-business-event as CGI through fcgiwrap.
fcgiwrap_location() {
  cat <<CONF
    location /$1/ {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:$work/fcgiwrap.sock;
      fastcgi_param SCRIPT_FILENAME $bin/handle-business-event;
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param MLC_DATABASE_URL "$MLC_DATABASE_URL";
      fastcgi_param MLC_LOG_LEVEL warning;
    }
CONF
}

# start_nginx LOCATIONS: nginx on a free loopback port (sets nginx_port) with the given location blocks.
start_nginx() {
  nginx_port=$(free_port)
  cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body;
  server {
    listen 127.0.0.1:$nginx_port;
$1
  }
}
CONF
  nginx -c "$work/nginx.conf"
}

# wrk_events NAME PATH RUN PORT: wrk (2 threads, $connections connections, $seconds s) with infra/bench/events.lua;
# its summary (events/s, median, failures) in $work/NAME.txt.
wrk_events() {
  MLC_BENCH_PATH=$2 MLC_BENCH_RUN=$3 wrk -t 2 -c "$connections" -d "${seconds}s" -s infra/bench/events.lua "http://127.0.0.1:$4" \
    >"$work/$1.txt"
}
