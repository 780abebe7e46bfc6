#!/usr/bin/env bash
# The WukongCRM 9 client's start page and to-do page: the 待办 counts and lists and the
# 仪表盘 numbers for a 销售经理 (sales01, 本人及下属) over N demo customers, each beside
# /api/health measured in the same run.
#
#   bench/webclient.sh [--backend sqlite|postgres] [--customers N] [--duration S] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite customers=100000 duration=5 connections=4
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

pg_port=55497
# shellcheck source=lib.sh
source bench/lib.sh

"$bin" demo-data --leads 0 --customers "$customers" --users 10 >/dev/null 2>&1
start_server
# The scenarios run as sales01, whose lists and numbers cover five users.
token=$(curl -fs -d "username=sales01&password=demo123456" "$base/api/login" | sed -E 's/.*"Admin-Token":"([0-9a-f]+)".*/\1/')

scenarios=(
  "CrmBackLog/num"
  "CrmBackLog/todayCustomer?type=2&isSub=1"
  "CrmBackLog/followCustomer?type=1&isSub=2"
  "Crm/Instrument/queryBulletin?type=year"
  "Crm/Instrument/queryBulletin?type=year&userIds=2,3,4,5,6"
  "Crm/Instrument/queryBusiness?type=year"
  "Crm/Instrument/queryRecordConunt?type=month"
  "field/queryListHead?label=2"
)
read -r health_rps health_p99 _ < <(measure "$base/api/health")
printf '\nwkcrm %s, %s customers, as sales01, %s connections, %ss per scenario\n' "$backend" "$customers" "$connections" "$duration"
printf '%-58s %12s %10s %10s\n' scenario 'requests/s' p99 'vs health'
printf '%-58s %12s %10s %10s\n' '/api/health (baseline)' "$health_rps" "$health_p99" 1.000
for s in "${scenarios[@]}"; do
  read -r rps p99 _ < <(measure "$base/api/$s")
  printf '%-58s %12s %10s %10s\n' "$s" "$rps" "$p99" "$(ratio "$rps" "$health_rps")"
done
