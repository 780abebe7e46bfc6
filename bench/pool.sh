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

pg_port=55496
# shellcheck source=lib.sh
source bench/lib.sh

"$bin" demo-data --leads 0 --customers "$customers" --users 10 >/dev/null 2>&1
start_server
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

read -r health_rps health_p99 _ < <(measure "$base/api/health")
read -r rps p99 sent < <(measure -s "$work/receive.lua" "$base/api/CrmCustomer/receiveByIds")
owned=$(total /api/CrmCustomer/queryPageList)
left=$(total /api/CrmCustomer/queryPoolPageList)

printf '\nwkcrm %s, %s customers in the pool, %s connections, %ss per scenario\n' "$backend" "$pooled" "$connections" "$duration"
printf '%-40s %12s %10s %10s\n' scenario 'requests/s' p99 'vs health'
printf '%-40s %12s %10s %10s\n' '/api/health (baseline)' "$health_rps" "$health_p99" 1.000
printf '%-40s %12s %10s %10s\n' 'receiveByIds (one customer each)' "$rps" "$p99" "$(ratio "$rps" "$health_rps")"
printf '\n%s receives sent; %s customers now owned, %s left in the pool (%s in all)\n' "$sent" "$owned" "$left" "$((owned + left))"
