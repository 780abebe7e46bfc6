#!/usr/bin/env bash
# The filter benchmark: over generated leads (1,000,000 by default) with three custom
# fields, a custom select filter, a one-month date range and 2- and 4-character keyword
# searches, each beside the unfiltered first page and /api/health in the same run.
#
#   bench/filters.sh [--backend sqlite|postgres] [--leads N] [other bench/run.sh options]
set -euo pipefail
cd "$(dirname "$0")/.."
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
list=/api/CrmLeads/queryPageList?page=1\&limit=15
extra="custom select 线索来源=促销|$list&data=$(enc '{"线索来源":{"condition":"is","value":"促销"}}')"
extra+=";date range create_time (one month)|$list&data=$(enc '{"create_time":{"start":"2026-01-01","end":"2026-01-31"}}')"
extra+=";2-character keyword 悟空|$list&search=$(enc 悟空)"
extra+=";4-character keyword 悟空科技|$list&search=$(enc 悟空科技)"
case " $* " in *" --leads "*) ;; *) set -- --leads 1000000 "$@" ;; esac
WKCRM_BENCH_EXTRA="$extra" exec bench/run.sh "$@"
