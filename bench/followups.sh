#!/usr/bin/env bash
# Follow-up benchmark: how fast follow-ups are added by parallel clients, and what the first
# timeline page of a customer with 10,000 follow-ups costs. Every figure is printed beside
# /api/health measured in the same run (machines here are noisy: the ratios are what count).
#
#   bench/followups.sh [--backend sqlite|postgres] [--duration S] [--connections C] [--records N]
#
# Builds the release binary, starts `wkcrm serve` on a fresh database, then:
#   - /api/health, C connections: requests/s and p99 (the baseline);
#   - CrmCustomer/addRecord, C connections: follow-ups/s and p99, and whether every request
#     of the run left a follow-up (the count is read back);
#   - fills a second customer with N follow-ups (default 10,000; 16 parallel clients);
#   - its first timeline page as the web client asks for it (getRecord, page 1, limit 10):
#     requests/s and p99; then the same page of a customer with one follow-up and the
#     full customer's detail, to show what the page costs apart from the timeline's length.
# Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite duration=10 connections=16 records=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --records) records="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

pg_port=55498
# shellcheck source=lib.sh
source bench/lib.sh

start_server
api() { # path json → body
  curl -fs -H "Admin-Token: $token" -H 'Content-Type: application/json' -d "$2" "$base$1"
}
customer() { # name → id
  api /api/CrmCustomer/addOrUpdate "{\"entity\":{\"customer_name\":\"$1\"}}" | sed -E 's/.*"data":([0-9]+).*/\1/'
}
follow_ups_of() { # id → how many follow-ups its timeline has
  api /api/CrmActivity/getCrmActivityPageList "{\"activityType\":2,\"activityTypeId\":$1,\"limit\":1}" \
    | sed -E 's/.*"totalRow":([0-9]+).*/\1/'
}

busy=$(customer 并发跟进客户)
cat >"$work/add.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "typesId=$busy&content=bench&category=%E6%89%93%E7%94%B5%E8%AF%9D&isEvent=0"
LUA

read -r health_rps health_p99 _ < <(measure "$base/api/health")
read -r add_rps add_p99 add_sent < <(measure -s "$work/add.lua" "$base/api/CrmCustomer/addRecord")
landed=$(follow_ups_of "$busy")

full=$(customer 一万条跟进客户)
echo "adding $records follow-ups to one customer…" >&2
seq 1 "$records" | xargs -P 16 -I{} curl -fs -o /dev/null -H "Admin-Token: $token" \
  --data-urlencode "content=第{}次跟进" --data-urlencode "category=上门拜访" -d "typesId=$full" \
  "$base/api/CrmCustomer/addRecord"
filled=$(follow_ups_of "$full")
page="$base/api/CrmCustomer/getRecord?customerId=$full&page=1&limit=10"
if ! api "/api/CrmCustomer/getRecord?customerId=$full&page=1&limit=10" '{}' | grep -q '"recordId"'; then
  echo "the timeline page answers no follow-ups" >&2; exit 1
fi
read -r page_rps page_p99 _ < <(measure "$page")
# The same page of a customer with one follow-up, and that customer's detail: what the
# page costs apart from the timeline's length.
short=$(customer 一条跟进客户)
api /api/CrmCustomer/addRecord "{\"typesId\":$short,\"content\":\"一条\",\"category\":\"打电话\"}" >/dev/null
read -r short_rps short_p99 _ < <(measure "$base/api/CrmCustomer/getRecord?customerId=$short&page=1&limit=10")
read -r detail_rps detail_p99 _ < <(measure "$base/api/CrmCustomer/queryById?customerId=$full")

printf '\nwkcrm %s, %s connections, %ss per scenario\n' "$backend" "$connections" "$duration"
printf '%-58s %12s %10s %10s\n' scenario 'requests/s' p99 'vs health'
printf '%-58s %12s %10s %10s\n' '/api/health (baseline)' "$health_rps" "$health_p99" 1.000
printf '%-58s %12s %10s %10s\n' 'addRecord (follow-ups/s)' "$add_rps" "$add_p99" "$(ratio "$add_rps" "$health_rps")"
printf '%-58s %12s %10s %10s\n' "getRecord page 1 of a customer with $filled follow-ups" "$page_rps" "$page_p99" "$(ratio "$page_rps" "$health_rps")"
printf '%-58s %12s %10s %10s\n' "getRecord page 1 of a customer with 1 follow-up" "$short_rps" "$short_p99" "$(ratio "$short_rps" "$health_rps")"
printf '%-58s %12s %10s %10s\n' "queryById of the customer with $filled follow-ups" "$detail_rps" "$detail_p99" "$(ratio "$detail_rps" "$health_rps")"
printf '\naddRecord: %s requests sent, %s follow-ups landed\n' "$add_sent" "$landed"
