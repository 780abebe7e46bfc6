#!/usr/bin/env bash
# Pool benchmark: customers received from the public pool by 16 parallel clients, each
# request receiving a different customer, beside /api/health measured in the same run.
#
#   bench/pool.sh [--backend sqlite|postgres] [--customers N] [--duration S] [--connections C]
#
# Generates N demo customers, puts them all into the pool (updateCustomerByIds, 10,000 a
# request), then runs wrk on receiveByIds with a script that hands every request the next
# customer id; afterwards the owned customers are counted, so every answered receive is
# checked to have taken exactly one customer.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite customers=100000 duration=10 connections=16
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
cargo build --release --quiet
bin=target/release/wkcrm
work="$(mktemp -d /tmp/wkcrm-pool.XXXXXX)"
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
  PG_PORT=55496 pg_start
  export WKCRM_DATABASE_URL="$WKCRM_TEST_DATABASE_URL"
else
  export WKCRM_DATABASE_URL="sqlite:$work/bench.db"
fi

"$bin" demo-data --leads 0 --customers "$customers" --users 10 >/dev/null 2>&1
port=$((20000 + RANDOM % 20000))
WKCRM_ADMIN_PASSWORD=bench-pass-1 WKCRM_LOG=warn "$bin" serve --listen "127.0.0.1:$port" \
  --recycle-interval-secs 0 >"$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do curl -fs "$base/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -fs -d "username=admin&password=bench-pass-1" "$base/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/')
total() { # path → totalRow
  curl -fs -H "Admin-Token: $token" "$base$1?limit=1" | sed -E 's/.*"totalRow":([0-9]+).*/\1/'
}

echo "putting $customers customers into the pool…" >&2
for start in $(seq 1 10000 "$customers"); do
  ids=$(seq -s, "$start" $((start + 9999 < customers ? start + 9999 : customers)))
  curl -fs -H "Admin-Token: $token" --data "ids=$ids" "$base/api/CrmCustomer/updateCustomerByIds" | grep -q '"code":0'
done
pooled=$(total /api/CrmCustomer/queryPoolPageList)

# The two wrk threads (-t2) take the odd and the even ids, so no two requests share one.
cat >"$work/receive.lua" <<LUA
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  nth = 0
end
request = function()
  local customer = id + nth * 2
  nth = nth + 1
  return wrk.format("POST", "/api/CrmCustomer/receiveByIds", {["Content-Type"] = "application/x-www-form-urlencoded", ["Admin-Token"] = "$token"}, "ids=" .. customer)
end
LUA

measure() { # wrk arguments… → "requests/s p99 requests"
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Admin-Token: $token" "$@")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/requests in/ {print $1}' <<<"$out")"
}
read -r health_rps health_p99 _ < <(measure "$base/api/health")
read -r rps p99 sent < <(measure -s "$work/receive.lua" "$base/api/CrmCustomer/receiveByIds")
owned=$(total /api/CrmCustomer/queryPageList)
left=$(total /api/CrmCustomer/queryPoolPageList)

printf '\nwkcrm %s, %s customers in the pool, %s connections, %ss per scenario\n' "$backend" "$pooled" "$connections" "$duration"
printf '%-40s %12s %10s %10s\n' scenario 'requests/s' p99 'vs health'
printf '%-40s %12s %10s %10s\n' '/api/health (baseline)' "$health_rps" "$health_p99" 1.000
printf '%-40s %12s %10s %10s\n' 'receiveByIds (one customer each)' "$rps" "$p99" "$(awk -v a="$rps" -v b="$health_rps" 'BEGIN {printf "%.3f", a / b}')"
printf '\n%s receives sent; %s customers now owned, %s left in the pool (%s in all)\n' "$sent" "$owned" "$left" "$((owned + left))"
