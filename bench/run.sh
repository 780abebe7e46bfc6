#!/usr/bin/env bash
# Load benchmark of wkcrm over loopback with wrk. Every figure is reported beside the
# requests/s of /api/health measured in the same run: machines here are noisy, so the
# ratio is what counts.
#
#   bench/run.sh [--backend sqlite|postgres] [--leads N] [--users N] [--duration S] [--connections C]
#                [--as USER]
#
# With --as (a demo user such as sales01, a 销售经理 whose data scope is 本人及下属), every
# scenario is measured for the administrator and then for that user, in the same run.
#
# More scenarios: WKCRM_BENCH_EXTRA='name|path[|wrk script];…'.
#
# Builds the release binary, generates demo data (`wkcrm demo-data`), starts `wkcrm serve`,
# reads its idle RSS, runs wrk against each scenario and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite leads=100000 users=10 duration=10 connections=16 as_user=""
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --leads) leads="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --as) as_user="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

pg_port=55499
# shellcheck source=lib.sh
source bench/lib.sh

echo "generating $leads leads for $users users on $backend…" >&2
gen_start=$(date +%s.%N)
"$bin" demo-data --leads "$leads" --users "$users" >/dev/null 2>&1
gen_end=$(date +%s.%N)

start_server
sleep 1
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")

login() { # username password → token
  curl -fs -d "username=$1&password=$2" "$base/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/'
}

# A wrk script that sends the first-page list with a condition that matches every lead
# but differs per request (leads_id <= a random number above the largest id), so totalRow
# is really counted each time instead of coming from the count cache.
cat >"$work/uncached.lua" <<LUA
request = function()
  local n = $((leads * 2)) + math.random(1, 1000000)
  local data = '{"leads_id":{"condition":"elt","value":' .. n .. '}}'
  local encoded = data:gsub('[^%w]', function(c) return string.format('%%%02X', string.byte(c)) end)
  return wrk.format(nil, '/api/CrmLeads/queryPageList?page=1&limit=15&data=' .. encoded)
end
LUA

# name|path[|wrk script] — scenarios measured after the /api/health baseline. `MIDDLE` is
# replaced by the id of a lead in the middle of what the caller can see.
scenarios=(
  "queryById|/api/CrmLeads/queryById?leadsId=MIDDLE"
  "queryPageList first page|/api/CrmLeads/queryPageList?page=1&limit=15"
  "queryPageList first page, count uncached|/api/CrmLeads/queryPageList?page=1&limit=15|$work/uncached.lua"
)
if [ -n "${WKCRM_BENCH_EXTRA:-}" ]; then
  IFS=';' read -r -a extra <<<"$WKCRM_BENCH_EXTRA"
  scenarios+=("${extra[@]}")
fi

middle_lead() { # token → a lead id halfway down the caller's list
  local total
  total=$(curl -fs -H "Admin-Token: $1" "$base/api/CrmLeads/queryPageList?limit=1" | sed -E 's/.*"totalRow":([0-9]+).*/\1/')
  curl -fs -H "Admin-Token: $1" "$base/api/CrmLeads/queryPageList?page=$((total / 2 + 1))&limit=1" \
    | sed -E 's/.*"leadsId":([0-9]+).*/\1/'
}

measure() { # path [script] → "requests/s p99"
  local out script=()
  [ -n "${2:-}" ] && script=(-s "$2")
  out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency "${script[@]}" -H "Admin-Token: $token" "$base$1")
  if ! grep -q '"code":0' < <(curl -fs -H "Admin-Token: $token" "$base$1"); then
    echo "scenario $1 does not answer code 0" >&2; exit 1
  fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}

read -r health_rps health_p99 < <(measure /api/health)
printf '\nwkcrm %s, %s leads, %s connections, %ss per scenario\n' "$backend" "$leads" "$connections" "$duration"
printf 'demo-data generation: %.1fs; idle RSS after start: %s MiB\n\n' \
  "$(awk -v a="$gen_start" -v b="$gen_end" 'BEGIN {print b - a}')" "$((rss_kb / 1024))"
printf '%-52s %12s %10s %10s\n' scenario 'requests/s' p99 'vs health'
printf '%-52s %12s %10s %10s\n' '/api/health (baseline)' "$health_rps" "$health_p99" 1.00
run_scenarios() { # label
  local middle name path script rps p99
  middle=$(middle_lead "$token")
  for s in "${scenarios[@]}"; do
    IFS='|' read -r name path script <<<"$s"
    read -r rps p99 < <(measure "${path//MIDDLE/$middle}" "$script")
    printf '%-52s %12s %10s %10.3f\n' "$1$name" "$rps" "$p99" "$(awk -v a="$rps" -v b="$health_rps" 'BEGIN {print a / b}')"
  done
}
run_scenarios "admin: "
if [ -n "$as_user" ]; then
  token=$(login "$as_user" demo123456)
  visible=$(curl -fs -H "Admin-Token: $token" "$base/api/CrmLeads/queryPageList?limit=1" | sed -E 's/.*"totalRow":([0-9]+).*/\1/')
  echo "($as_user sees $visible leads)"
  run_scenarios "$as_user: "
fi
