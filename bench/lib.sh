# Shared by the benchmarks: tools, the release build, a throwaway database, servers,
# a token, and wrk measurements. Source it after setting `backend` (sqlite|postgres)
# and `pg_port`; everything it starts is stopped on exit. WKCRM_BENCH_BIN names a binary
# to use instead of building the release one; WKCRM_BENCH_DATABASE_URL a database to use
# instead of a throwaway one (the test suite's small run gives both).

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
bin="${WKCRM_BENCH_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=target/release/wkcrm
fi
work="$(mktemp -d /tmp/wkcrm-bench.XXXXXX)"
server_pid="" servers=()
cleanup() {
  for pid in "${servers[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  if [ "$backend" = postgres ] && [ -z "${WKCRM_BENCH_DATABASE_URL:-}" ]; then pg_stop; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${WKCRM_BENCH_DATABASE_URL:-}" ]; then
  export WKCRM_DATABASE_URL="$WKCRM_BENCH_DATABASE_URL"
elif [ "$backend" = postgres ]; then
  # shellcheck source=../scripts/throwaway-postgres.sh
  source scripts/throwaway-postgres.sh
  PG_PORT="$pg_port" pg_start
  export WKCRM_DATABASE_URL="$WKCRM_TEST_DATABASE_URL"
else
  export WKCRM_DATABASE_URL="sqlite:$work/bench.db"
fi

start_server() { # extra serve flags… → sets base and token
  local port=$((20000 + RANDOM % 20000))
  started=$(date +%s.%N)
  WKCRM_ADMIN_PASSWORD=bench-pass-1 WKCRM_LOG=warn "$bin" serve --listen "127.0.0.1:$port" \
    --recycle-interval-secs 0 "$@" >"$work/serve-$port.log" 2>&1 &
  server_pid=$!
  servers+=("$server_pid")
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -fs "$base/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
  ready_secs=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
  token=$(curl -fs -d "username=admin&password=bench-pass-1" "$base/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/')
}

measure() { # wrk arguments… → "requests/s p99 requests" (uses $connections, $duration)
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Admin-Token: $token" "$@")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/requests in/ {print $1}' <<<"$out")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
