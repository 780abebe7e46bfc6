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

pg_port=55497
# shellcheck source=lib.sh
source bench/lib.sh

echo "generating $customers customers…" >&2
"$bin" demo-data --leads 0 --customers "$customers" --users 10 >/dev/null 2>&1
start_server
curl -fs -H "Admin-Token: $token" -d "followupDay=626&dealDay=3650&type=1" "$base/api/CrmCustomer/updateRulesSetting" | grep -q '"code":0'
list="$base/api/CrmCustomer/queryPageList?page=1&limit=15"

measure_list() { # seconds → "requests/s p99"
  local out
  out=$(wrk -t1 -c"$connections" -d"$1s" --latency -H "Admin-Token: $token" "$list")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}

read -r before_rps before_p99 < <(measure_list 10)
start=$(date +%s.%N)
"$bin" recycle >"$work/recycle.out" 2>&1 &
recycle_pid=$!
# Lists go on while the pass runs (at least 5 s; the pass is waited for after).
during=$(measure_list 5)
while kill -0 "$recycle_pid" 2>/dev/null; do
  during=$(measure_list 5)
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
