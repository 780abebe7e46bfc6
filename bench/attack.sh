#!/usr/bin/env bash
# The attack benchmark: what a flood of logins, maximal searches and parallel creates do to
# a wkcrm on this machine. Every figure is printed beside /api/health measured in the same
# run (machines here are noisy: the ratios are what count).
#
#   bench/attack.sh [--backend sqlite|postgres] [--leads N] [--duration S] [--before BIN]
#
# For each binary (with --before, an older build first, e.g. one built from an earlier
# commit; then this checkout's release build), on a fresh database with N demo leads:
#   - /api/health alone, 4 connections: requests/s and p99;
#   - /api/health while 4 other clients send the longest search the binary accepts
#     (100 characters now; 1,000,000 characters for a binary without the limit): its p99;
#   - customer creates (unique 客户名称), 16 connections: creates/s, p99, failed answers;
#   - 400 concurrent unauthenticated logins with random usernames from 400 loopback
#     addresses (bench/login_flood.py): answers, and the server's peak RSS.
# All traffic goes to 127.0.0.0/8 and every load stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite leads=100000 duration=10 before=""
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --leads) leads="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --before) before="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
cargo build --release --quiet
work="$(mktemp -d /tmp/wkcrm-attack.XXXXXX)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
cleanup() {
  stop_server
  if [ "$backend" = postgres ]; then pg_stop; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$backend" = postgres ]; then
  # shellcheck source=../scripts/throwaway-postgres.sh
  source scripts/throwaway-postgres.sh
  PG_PORT=55599 pg_start
fi

database_for() { # label → a fresh database URL
  if [ "$backend" = postgres ]; then
    psql -q "$WKCRM_TEST_DATABASE_URL" -c "CREATE DATABASE attack_$1" >/dev/null
    echo "${WKCRM_TEST_DATABASE_URL%/*}/attack_$1"
  else
    echo "sqlite:$work/$1.db"
  fi
}

wrk_script() { # file method path content-type body-lua-expression
  cat >"$1" <<LUA
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args) failed = 0; n = 0; math.randomseed(tid * 7919 + os.time()) end
request = function()
  n = n + 1
  return wrk.format("$2", "$3", {["Admin-Token"] = "$token", ["Content-Type"] = "$4"}, $5)
end
function response(status, headers, body)
  if not string.find(body, '"code":0', 1, true) then failed = failed + 1 end
end
function done(summary, latency, requests)
  local f = 0
  for _, t in ipairs(threads) do f = f + t:get("failed") end
  io.write(string.format("FAILED %d\n", f))
end
LUA
}

measure() { # connections url [script] → "requests/s p99 failed"
  local out script=()
  [ -n "${3:-}" ] && script=(-s "$3")
  out=$(wrk -t2 -c"$1" -d"${duration}s" --latency "${script[@]}" "$2")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/^FAILED/ {print $2}' <<<"$out")"
}

results=()
run() { # label binary search-length
  local label="$1" bin="$2" search_len="$3" db port base
  db=$(database_for "$label")
  echo "[$label] generating $leads leads on $backend…" >&2
  "$bin" --database "$db" demo-data --leads "$leads" --users 10 >/dev/null 2>&1
  port=$((20000 + RANDOM % 20000))
  WKCRM_ADMIN_PASSWORD=bench-pass-1 WKCRM_LOG=error "$bin" --database "$db" serve --listen "127.0.0.1:$port" \
    >"$work/$label.log" 2>&1 &
  server_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "$base/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
  token=$(curl -fs -d "username=admin&password=bench-pass-1" "$base/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/')

  local health health_p99 loaded_p99 search creates flood
  read -r health health_p99 _ < <(measure 4 "$base/api/health")
  wrk_script "$work/search.lua" POST /api/CrmLeads/queryPageList application/x-www-form-urlencoded \
    "\"search=\" .. string.rep(\"%E6%82%9F\", $search_len)"
  wrk -t1 -c4 -d"$((duration + 2))s" -s "$work/search.lua" "$base" >"$work/search.out" 2>&1 &
  local search_pid=$!
  sleep 1
  read -r _ loaded_p99 _ < <(measure 4 "$base/api/health")
  wait "$search_pid" || true
  search=$(awk '/Requests\/sec/ {print $2}' "$work/search.out")
  wrk_script "$work/create.lua" POST /api/CrmCustomer/addOrUpdate application/json \
    "'{\"entity\":{\"customer_name\":\"压测客户' .. tid .. '-' .. n .. '\"}}'"
  read -r creates creates_p99 creates_failed < <(measure 16 "$base" "$work/create.lua")
  flood=$(python3 bench/login_flood.py --url "$base" --pid "$server_pid" --clients 400 --duration "$duration")
  stop_server
  results+=("$label|$health|$health_p99|$search_len|$search|$loaded_p99|$creates|$creates_p99|$creates_failed|$flood")
}

if [ -n "$before" ]; then run before "$before" 1000000; fi
run now target/release/wkcrm 100

printf '\nwkcrm attack benchmark: %s, %s leads, %ss per load\n' "$backend" "$leads" "$duration"
for r in "${results[@]}"; do
  IFS='|' read -r label health health_p99 search_len search loaded_p99 creates creates_p99 creates_failed flood <<<"$r"
  printf '\n[%s]\n' "$label"
  printf '  /api/health alone (4 conn):                 %10s req/s   p99 %s\n' "$health" "$health_p99"
  printf '  /api/health beside 4 searches of %7s chars: p99 %s   (searches answered: %s req/s)\n' \
    "$search_len" "$loaded_p99" "${search:-0}"
  printf '  customer creates (16 conn):                 %10s req/s   p99 %s   failed answers %s   (%.3f of health)\n' \
    "$creates" "$creates_p99" "${creates_failed:-?}" "$(awk -v a="$creates" -v b="$health" 'BEGIN {print a / b}')"
  printf '  400 concurrent logins:                      %s\n' "$flood"
done
