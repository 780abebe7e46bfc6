#!/usr/bin/env bash
# Import and export of N leads through wkcrm (the CLI, which runs the API's services),
# each beside the spreadsheet crates alone on the same file in the same run
# (examples/excel_baseline.rs): wall time, peak RSS and peak anonymous RSS (without the
# database file's memory-mapped pages), so the ratio shows what wkcrm adds.
#
#   bench/excel.sh [--backend sqlite|postgres] [--leads N]
set -euo pipefail
cd "$(dirname "$0")/.."
backend=sqlite leads=100000 pg_port=56441
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --leads) leads="$2"; shift 2 ;;
    --pg-port) pg_port="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin wkcrm --example excel_baseline
out="${CARGO_TARGET_DIR:-target}/release"
bin="$out/wkcrm" baseline="$out/examples/excel_baseline"
work="$(mktemp -d /tmp/wkcrm-excel-bench.XXXXXX)"
cleanup() { if [ "$backend" = postgres ]; then pg_stop; fi; rm -rf "$work"; }
trap cleanup EXIT
database() { # a fresh database named $1 → WKCRM_DATABASE_URL
  if [ "$backend" = postgres ]; then
    "$PG_BIN_DIR/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE $1" postgres
    export WKCRM_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/$1"
  else
    export WKCRM_DATABASE_URL="sqlite:$work/$1.db"
  fi
}
if [ "$backend" = postgres ]; then
  # shellcheck source=../scripts/throwaway-postgres.sh
  source scripts/throwaway-postgres.sh
  PG_PORT="$pg_port" pg_start
fi
# The peak of RssAnon (the process's own memory, without the pages of files it maps, such
# as SQLite's memory-mapped database) of process $1, sampled every 50 ms until it ends.
anon_peak() {
  local pid="$1" peak=0 kb
  while kb=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$kb" ]; do
    [ "$kb" -gt "$peak" ] && peak="$kb"
    sleep 0.05
  done
  echo "$peak"
}
timed() { # label command… → "label: wall s, peak RSS MB, peak anonymous RSS MB" and the command's own line
  local label="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" &
  local pid=$! child
  sleep 0.05
  child=$(pgrep -P "$pid" | head -1)
  anon=$(anon_peak "${child:-$pid}")
  wait "$pid" || { cat "$work/err" >&2; exit 1; }
  read -r wall rss <"$work/time"
  printf '%-34s %7.2f s %8.1f MB %8.1f MB anon   %s\n' "$label" "$wall" \
    "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$(awk -v k="$anon" 'BEGIN {print k / 1024}')" "$(tail -1 "$work/out")"
}
export WKCRM_LOG=warn WKCRM_ADMIN_PASSWORD=bench-pass-1
admin() { "$bin" user add --username bench --password bench-pass-1 --realname 基准 --admin >/dev/null; }
database source
admin
# A tenth of generated leads are converted, which the list (and so the export) leaves out:
# 12% more are generated, so that at least N go out and come back in.
generated=$((leads * 112 / 100))
"$bin" demo-data --leads "$generated" --users 10 --seed 7 >/dev/null
echo "backend $backend, $generated leads generated for at least $leads in the list"
timed "export (wkcrm export leads)" "$bin" export leads -o "$work/leads.xlsx" --as bench
cols=$("$baseline" columns "$work/leads.xlsx")
rows=$(grep -o 'exported [0-9]*' "$work/out" | awk '{print $2}')
timed "  rust_xlsxwriter alone ($cols cols)" "$baseline" write "$rows" "$cols" "$work/plain.xlsx"
database target
admin
timed "import (wkcrm import leads)" "$bin" import leads "$work/leads.xlsx" --as bench
timed "  calamine alone (same file)" "$baseline" read "$work/leads.xlsx"
