#!/usr/bin/env bash
# The benchmark suite: every workload of a sales team over generated data, each beside
# /api/health measured in the same run (machines here are noisy: the ratio is what counts).
#
#   bench/suite.sh [--backend sqlite|postgres] [--instances 1|2] [--records N]
#                  [--customers N] [--duration S] [--connections C] [--out FILE]
#                  [--existing URL] [--only REGEX]
#
# Builds the release binary, generates N leads (default 1,000,000) and N/10 customers over
# 50 users in 5 departments (`wkcrm demo-data`), starts one `wkcrm serve` (or two on one
# PostgreSQL with --instances 2, each taking half the connections), drives each workload
# with wrk over loopback and prints a Markdown table: requests/s, p50, p99, the servers'
# peak RSS while it ran, the answers that were not code 0, and the ratio to /api/health. --out also writes the table there.
# Every workload is first sent once and must answer code 0 (a file for the export).
# --existing runs on a database generated before (by `wkcrm demo-data`, with the same
# --records and --customers) instead of generating one: a 1M-row SQLite file takes minutes
# to make and can serve several runs (its writes add a few thousand rows each time).
# --only runs just the workloads whose names match the (grep -E) pattern, still beside
# /api/health: a quick rerun of what a change touched.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite instances=1 records=1000000 customers="" duration=10 connections=16 out="" existing="" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --instances) instances="$2"; shift 2 ;;
    --records) records="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --existing) existing="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
customers="${customers:-$((records / 10))}"
if [ "$instances" = 2 ] && [ "$backend" != postgres ]; then
  echo "--instances 2 needs --backend postgres (several instances share one PostgreSQL)" >&2
  exit 2
fi

pg_port=55496
[ -n "$existing" ] && export WKCRM_BENCH_DATABASE_URL="$existing"
# shellcheck source=lib.sh
source bench/lib.sh

if [ -n "$existing" ]; then
  generated="demo-data: an existing database"
else
  echo "generating $records leads and $customers customers on $backend…" >&2
  gen_start=$(date +%s.%N)
  WKCRM_LOG=error "$bin" demo-data --leads "$records" --customers "$customers" --users 50 >"$work/demo.log" 2>&1
  gen_secs=$(awk -v a="$gen_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  generated="demo-data: ${gen_secs}s for $(tail -1 "$work/demo.log")"
fi

bases=()
for _ in $(seq 1 "$instances"); do
  start_server
  bases+=("$base")
done
admin_token=$token
sleep 1
rss_of_servers() { # → the servers' summed VmRSS in KiB
  local total=0 pid
  for pid in "${servers[@]}"; do
    total=$((total + $(awk '/VmRSS/ {print $2}' "/proc/$pid/status")))
  done
  echo "$total"
}
idle_rss_kb=$(rss_of_servers)

api() { # token path [form] → body
  curl -fs -H "Admin-Token: $1" ${3:+-d "$3"} "${bases[0]}$2"
}
json() { # python-expression body → the expression over the parsed body `d`
  python3 -c 'import json, sys; d = json.load(sys.stdin)["data"]; print('"$1"')' <<<"$2"
}
sales_token=$(curl -fs -d "username=sales01&password=demo123456" "${bases[0]}/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/')
middle_lead() { # token → a lead id halfway down the caller's list
  local total
  total=$(json 'd["totalRow"]' "$(api "$1" '/api/CrmLeads/queryPageList?limit=1')")
  json 'd["list"][0]["leadsId"]' "$(api "$1" "/api/CrmLeads/queryPageList?page=$((total / 2 + 1))&limit=1")"
}
lead_at() { # order (1 descending, 2 ascending) → the largest or smallest lead id
  json 'd["list"][0]["leadsId"]' "$(api "$admin_token" "/api/CrmLeads/queryPageList?limit=1&sortField=leads_id&order=$1")"
}
admin_middle=$(middle_lead "$admin_token")
sales_middle=$(middle_lead "$sales_token")
first_id=$(lead_at 2)
last_id=$(lead_at 1)
user_ids=$(json '",".join(str(u["userId"]) for u in d["list"])' "$(api "$admin_token" '/api/system/user/queryUserList?limit=60')")
scene=$(json '[s["sceneId"] for s in d if s["name"] == "下属负责的线索"][0]' "$(api "$sales_token" '/api/scene/queryScene?type=1')")
export_ids=$(seq "$first_id" $((first_id + 999)) | paste -sd,)

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
list=/api/CrmLeads/queryPageList?page=1\&limit=15
# name|who|method|path|body — `who` is admin or sales01 (a 销售经理 whose scope is
# 本人及下属). In paths and bodies RANDID becomes a random lead id, RANDUSER a random user
# RANDNUM a random number and RANDSALES 01…50 (the demo users sales01…sales50), per
# request. Logins run last: each is an Argon2id check, and a user with too many checks in
# flight is refused for a while, so they are spread over the 50 users.
scenarios=(
  "queryById|admin|GET|/api/CrmLeads/queryById?leadsId=$admin_middle|"
  "first page with totalRow|admin|GET|$list|"
  "page 500|admin|GET|/api/CrmLeads/queryPageList?page=500&limit=15|"
  "filter: system field (负责人)|admin|GET|$list&data=$(enc '{"owner_user_id":{"condition":"is","value":[3]}}')|"
  "filter: custom select 线索来源=促销|admin|GET|$list&data=$(enc '{"线索来源":{"condition":"is","value":"促销"}}')|"
  "filter: date range (one month)|admin|GET|$list&data=$(enc '{"create_time":{"start":"2026-01-01","end":"2026-01-31"}}')|"
  "filter: count uncached (differs per request)|admin|GET|$list&data=$(enc '{"leads_id":{"condition":"elt","value":')RANDNUM$(enc '}}')|"
  "search: 2 characters 悟空|admin|GET|$list&search=$(enc 悟空)|"
  "search: 4 characters 悟空科技|admin|GET|$list&search=$(enc 悟空科技)|"
  "scene 下属负责的线索|sales01|GET|$list&sceneId=$scene|"
  "scoped user: first page|sales01|GET|$list|"
  "scoped user: queryById|sales01|GET|/api/CrmLeads/queryById?leadsId=$sales_middle|"
  "dashboard: queryBulletin (year)|sales01|GET|/api/Crm/Instrument/queryBulletin?type=year|"
  "to-do: CrmBackLog/num|sales01|GET|/api/CrmBackLog/num|"
  "export 1,000 leads (xlsx)|admin|POST|/api/CrmLeads/batchExportExcel|leadsIds=$export_ids"
  "create|admin|POST|/api/CrmLeads/addOrUpdate|{\"entity\":{\"leads_name\":\"压测线索RANDNUM\",\"mobile\":\"13800000000\"}}"
  "update|admin|POST|/api/CrmLeads/addOrUpdate|{\"entity\":{\"leads_id\":RANDID,\"leads_name\":\"改名线索RANDNUM\"}}"
  "follow-up|admin|POST|/api/CrmLeads/addRecord|typesId=RANDID&content=%E5%8E%8B%E6%B5%8B&category=%E6%89%93%E7%94%B5%E8%AF%9D"
  "transfer (changeOwnerUser)|admin|POST|/api/CrmLeads/changeOwnerUser|leadsIds=RANDID&newOwnerUserId=RANDUSER"
  "login (50 users in turn)|admin|POST|/api/login|username=salesRANDSALES&password=demo123456"
)

lua_for() { # method path body → a wrk script sending it with fresh random values
  local kind=application/x-www-form-urlencoded
  [ "${3:0:1}" = "{" ] && kind=application/json
  cat <<LUA
local users = {$user_ids}
local function fill(s)
  s = s:gsub("RANDID", function() return tostring(math.random($first_id, $last_id)) end)
  s = s:gsub("RANDUSER", function() return tostring(users[math.random(#users)]) end)
  s = s:gsub("RANDSALES", function() return string.format("%02d", math.random(1, 50)) end)
  return (s:gsub("RANDNUM", function() return tostring(math.random(1, 1000000000)) end))
end
request = function()
  local body = [==[$3]==]
  if body == "" then body = nil else body = fill(body) end
  -- A headers table replaces wrk's own (the token given with -H): extend a copy.
  local headers = {["Content-Type"] = "$kind"}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  return wrk.format("$1", fill([==[$2]==]), headers, body)
end
-- Answers that are neither code 0 nor a file are counted and reported, not hidden.
bad = 0
response = function(status, headers, body)
  if not (body:find('"code":0', 1, true) or body:sub(1, 2) == "PK") then
    bad = bad + 1
    if bad == 1 then io.stderr:write(body:sub(1, 300) .. "\n") end
  end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function()
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write("failed answers: " .. total .. "\n")
end
LUA
}

check() { # token method path body → fails unless the request answers code 0 (or a file)
  local path="${3//RANDID/$admin_middle}" body="${4//RANDID/$admin_middle}" answer kind
  path="${path//RANDNUM/$((last_id * 2))}"
  body="${body//RANDNUM/1}"
  body="${body//RANDUSER/${user_ids%%,*}}"
  body="${body//RANDSALES/50}"
  kind=application/x-www-form-urlencoded
  [ "${body:0:1}" = "{" ] && kind=application/json
  if [ "$2" = POST ]; then
    curl -s -o "$work/answer" -H "Admin-Token: $1" -H "Content-Type: $kind" --data-binary "$body" "${bases[0]}$path"
  else
    curl -s -o "$work/answer" -H "Admin-Token: $1" "${bases[0]}$path"
  fi
  answer=$(head -c 300 "$work/answer" | tr -d '\0')
  case "$answer" in
    PK*) ;;
    *) grep -q '"code":0' "$work/answer" || { echo "workload $3 does not answer code 0: $answer" >&2; exit 1; } ;;
  esac
}

run_wrk() { # token script base connections → wrk's output
  wrk -t1 -c"$4" -d"${duration}s" --timeout 60s --latency -s "$2" -H "Admin-Token: $1" "$3"
}

# One workload on every instance at once, the servers' RSS sampled meanwhile →
# "requests/s p50 p99 peak-RSS-KiB".
measure_workload() { # token script
  local peak=0 rss per=$((connections / instances)) outs=() pids=() i
  for i in "${!bases[@]}"; do
    run_wrk "$1" "$2" "${bases[$i]}" "$per" >"$work/wrk-$i.out" &
    pids+=($!)
  done
  while kill -0 "${pids[@]}" 2>/dev/null; do
    rss=$(rss_of_servers)
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.2
  done
  wait "${pids[@]}"
  for i in "${!bases[@]}"; do outs+=("$work/wrk-$i.out"); done
  awk -v peak="$peak" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps += $2 }
    $1 == "50%" { if (ms($2) > p50) p50 = ms($2) }
    $1 == "99%" { if (ms($2) > p99) p99 = ms($2) }
    /^failed answers:/ { failed += $3 }
    END { printf "%.1f %.2f %.2f %d %d\n", rps, p50, p99, peak, failed }' "${outs[@]}"
}

row() { # name rps p50 p99 peak-kib failed health-rps
  printf '| %s | %s | %s ms | %s ms | %d MiB | %s | %s |\n' "$1" "$2" "$3" "$4" "$(($5 / 1024))" "$6" "$(ratio "$2" "$7")"
}

token_of() { [ "$1" = sales01 ] && echo "$sales_token" || echo "$admin_token"; }

lua_for GET /api/health "" >"$work/health.lua"
read -r health_rps health_p50 health_p99 health_rss health_failed < <(measure_workload "$admin_token" "$work/health.lua")
{
  printf '\nwkcrm on %s (%s instance(s)), %s leads, %s customers, %s connections, %ss per workload\n\n' \
    "$backend" "$instances" "$records" "$customers" "$connections" "$duration"
  printf '%s; start-up to serving: %ss; idle RSS: %d MiB\n\n' "$generated" "$ready_secs" "$((idle_rss_kb / 1024))"
  echo '| workload | requests/s | p50 | p99 | peak RSS | failed | vs health |'
  echo '|---|---:|---:|---:|---:|---:|---:|'
  row '/api/health (baseline)' "$health_rps" "$health_p50" "$health_p99" "$health_rss" "$health_failed" "$health_rps"
} | tee "$work/table.md"
for s in "${scenarios[@]}"; do
  IFS='|' read -r name who method path body <<<"$s"
  [ -n "$only" ] && ! grep -qE -- "$only" <<<"$name" && continue
  check "$(token_of "$who")" "$method" "$path" "$body"
  lua_for "$method" "$path" "$body" >"$work/workload.lua"
  read -r rps p50 p99 rss failed < <(measure_workload "$(token_of "$who")" "$work/workload.lua")
  row "$name ($who)" "$rps" "$p50" "$p99" "$rss" "$failed" "$health_rps" | tee -a "$work/table.md"
done
if [ -n "$out" ]; then cp "$work/table.md" "$out"; fi
