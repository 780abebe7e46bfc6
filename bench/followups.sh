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

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
cargo build --release --quiet
bin=target/release/wkcrm
work="$(mktemp -d /tmp/wkcrm-followups.XXXXXX)"
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
  PG_PORT=55498 pg_start
  export WKCRM_DATABASE_URL="$WKCRM_TEST_DATABASE_URL"
else
  export WKCRM_DATABASE_URL="sqlite:$work/bench.db"
fi

port=$((20000 + RANDOM % 20000))
WKCRM_ADMIN_PASSWORD=bench-pass-1 WKCRM_LOG=warn "$bin" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -fs -d "username=admin&password=bench-pass-1" "$base/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/')
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

measure() { # wrk arguments… → "requests/s p99 requests"
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Admin-Token: $token" "$@")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/requests in/ {print $1}' <<<"$out")"
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
printf '\nwkcrm %s, %s connections, %ss per scenario\n' "$backend" "$connections" "$duration"
printf '%-58s %12s %10s %10s\n' scenario 'requests/s' p99 'vs health'
printf '%-58s %12s %10s %10s\n' '/api/health (baseline)' "$health_rps" "$health_p99" 1.000
printf '%-58s %12s %10s %10s\n' 'addRecord (follow-ups/s)' "$add_rps" "$add_p99" "$(ratio "$add_rps" "$health_rps")"
printf '%-58s %12s %10s %10s\n' "getRecord page 1 of a customer with $filled follow-ups" "$page_rps" "$page_p99" "$(ratio "$page_rps" "$health_rps")"
printf '%-58s %12s %10s %10s\n' "getRecord page 1 of a customer with 1 follow-up" "$short_rps" "$short_p99" "$(ratio "$short_rps" "$health_rps")"
printf '%-58s %12s %10s %10s\n' "queryById of the customer with $filled follow-ups" "$detail_rps" "$detail_p99" "$(ratio "$detail_rps" "$health_rps")"
printf '\naddRecord: %s requests sent, %s follow-ups landed\n' "$add_sent" "$landed"
