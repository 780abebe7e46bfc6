#!/usr/bin/env bash
# Recycling benchmark: one pass of the customer protection rules over N customers of which
# about 10% are due, run by `wkcrm recycle` while clients keep listing customers. Reports
# the pass's wall time and the list's requests/s and p99 before and during the pass (the
# ratio is what counts: machines here are noisy).
#
#   bench/recycling.sh [--backend sqlite|postgres] [--customers N] [--connections C]
#
# The demo customers are created over the last two years (30% dealt), so a follow-up
# limit of 626 days makes about 10% of them due; the deal limit is set out of reach.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite customers=1000000 connections=4
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
cargo build --release --quiet
bin=target/release/wkcrm
work="$(mktemp -d /tmp/wkcrm-recycling.XXXXXX)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ "$backend" = postgres ]; then pg_stop; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$backend" = postgres ]; then
  # shellcheck source=../scripts/throwaway-postgres.sh
  source scripts/throwaway-postgres.sh
  PG_PORT=55497 pg_start
  export WKCRM_DATABASE_URL="$WKCRM_TEST_DATABASE_URL"
else
  export WKCRM_DATABASE_URL="sqlite:$work/bench.db"
fi

echo "generating $customers customers…" >&2
"$bin" demo-data --leads 0 --customers "$customers" --users 10 >/dev/null 2>&1
port=$((20000 + RANDOM % 20000))
WKCRM_ADMIN_PASSWORD=bench-pass-1 WKCRM_LOG=warn "$bin" serve --listen "127.0.0.1:$port" \
  --recycle-interval-secs 0 >"$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do curl -fs "$base/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -fs -d "username=admin&password=bench-pass-1" "$base/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/')
curl -fs -H "Admin-Token: $token" -d "followupDay=626&dealDay=3650&type=1" "$base/api/CrmCustomer/updateRulesSetting" | grep -q '"code":0'
list="$base/api/CrmCustomer/queryPageList?page=1&limit=15"

measure() { # seconds → "requests/s p99"
  local out
  out=$(wrk -t1 -c"$connections" -d"$1s" --latency -H "Admin-Token: $token" "$list")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}

read -r before_rps before_p99 < <(measure 10)
start=$(date +%s.%N)
"$bin" recycle >"$work/recycle.out" 2>&1 &
recycle_pid=$!
# Lists go on while the pass runs (at least 5 s; the pass is waited for after).
during=$(measure 5)
while kill -0 "$recycle_pid" 2>/dev/null; do
  during=$(measure 5)
done
wait "$recycle_pid"
end=$(date +%s.%N)
read -r during_rps during_p99 <<<"$during"

printf '\nwkcrm %s, %s customers, %s listing connections\n' "$backend" "$customers" "$connections"
printf 'recycle: %s (wall time with the listing load: %.1fs)\n' "$(cat "$work/recycle.out")" \
  "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')"
printf '%-40s %12s %10s\n' scenario 'requests/s' p99
printf '%-40s %12s %10s\n' 'customer list, before the pass' "$before_rps" "$before_p99"
printf '%-40s %12s %10s\n' 'customer list, during the pass (last 5 s)' "$during_rps" "$during_p99"
