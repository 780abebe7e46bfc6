#!/usr/bin/env bash
# Rows/s and peak RSS of `wkcrm migrate-from-wukong`: LEADS leads with FIELDS custom fields
# each (LEADS × FIELDS admin_fieldv rows), generated in a throwaway MariaDB, migrated into a
# fresh SQLite file and into a throwaway PostgreSQL.
#
#   bench/wukong.sh [LEADS] [FIELDS]      # default 1000000 leads, 3 fields each
#   BIN=path/to/wkcrm bench/wukong.sh …   # skips the release build
#
# Needs about 1 GB of disk per million leads and backend.
set -euo pipefail
cd "$(dirname "$0")/.."
leads="${1:-1000000}"
fields="${2:-3}"
[ "$fields" -ge 1 ] && [ "$fields" -le 3 ] || { echo "FIELDS is 1 to 3" >&2; exit 2; }

# shellcheck source=../scripts/throwaway-mariadb.sh
source scripts/throwaway-mariadb.sh
# shellcheck source=../scripts/throwaway-postgres.sh
source scripts/throwaway-postgres.sh
work="$(mktemp -d /tmp/wkcrm-bench-wukong.XXXXXX)"
trap 'maria_stop; pg_stop; rm -rf "$work"' EXIT
bin="${BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/wkcrm"
fi

maria_start
port="$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$WKCRM_TEST_MYSQL_URL")"
sql() { mariadb --protocol=tcp -h 127.0.0.1 -P "$port" -u root "$@"; }
sql -e "CREATE DATABASE wk9 CHARACTER SET utf8mb4"
# The fixture's tables (its CREATE TABLE statements), empty.
sed '/^INSERT/,$d' tests/api/wukong9_fixture.sql | sql wk9
generated="$(date +%s)"
sql wk9 <<SQL
INSERT INTO 72crm_admin_user (user_id, username, password, salt, mobile, status, create_time)
  VALUES (1, 'admin', MD5('admin123456aerpsalt'), 'salt', '', 1, NOW());
INSERT INTO 72crm_admin_field (field_id, field_name, name, type, label, field_type, options) VALUES
  (100, '行业', '行业', 3, 1, 0, 'IT,金融,制造'), (101, '预算', '预算', 5, 1, 0, NULL),
  (102, '签约日期', '签约日期', 4, 1, 0, NULL);
INSERT INTO 72crm_crm_leads (leads_id, leads_name, mobile, create_user_id, owner_user_id, create_time, update_time, batch_id)
  SELECT seq, CONCAT('线索', seq), CONCAT('136', LPAD(seq, 8, '0')), 1, 1, NOW(), NOW(), CONCAT('b', seq)
  FROM seq_1_to_${leads};
INSERT INTO 72crm_admin_fieldv (field_id, name, value, batch_id)
  SELECT 100, '行业', ELT(1 + seq % 3, 'IT', '金融', '制造'), CONCAT('b', seq) FROM seq_1_to_${leads};
SQL
[ "$fields" -ge 2 ] && sql wk9 -e "INSERT INTO 72crm_admin_fieldv (field_id, name, value, batch_id)
  SELECT 101, '预算', seq % 100000, CONCAT('b', seq) FROM seq_1_to_${leads}"
[ "$fields" -ge 3 ] && sql wk9 -e "INSERT INTO 72crm_admin_fieldv (field_id, name, value, batch_id)
  SELECT 102, '签约日期', DATE_FORMAT(DATE('2020-01-01') + INTERVAL (seq % 1000) DAY, '%Y-%m-%d'), CONCAT('b', seq)
  FROM seq_1_to_${leads}"
echo "generated $leads leads and $((leads * fields)) field values in $(($(date +%s) - generated))s" >&2
source_url="mysql://root@127.0.0.1:$port/wk9"

run() { # backend database-url
  local out elapsed rss
  out="$(/usr/bin/time -v "$bin" --database "$2" migrate-from-wukong --source "$source_url" \
    --skipped-file "$work/skipped-$1.jsonl" 2>&1 >"$work/report-$1.txt")" || { echo "$out" >&2; cat "$work/report-$1.txt" >&2; exit 1; }
  elapsed="$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' <<<"$out")"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' <<<"$out")"
  tail -n 25 "$work/report-$1.txt" >&2
  awk -v b="$1" -v l="$leads" -v v="$((leads * fields))" -v t="$elapsed" -v r="$rss" 'BEGIN {
    printf "%-8s %9d leads %10d values %8.1fs %10.0f leads/s %10.0f source rows/s  peak RSS %.0f MiB\n",
      b, l, v, t, l / t, (l + v) / t, r / 1024 }'
}

run sqlite "sqlite:$work/wkcrm.db"
pg_start
run postgres "$WKCRM_TEST_DATABASE_URL"
