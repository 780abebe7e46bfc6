#!/usr/bin/env bash
# Our own real-client journeys: the WukongCRM 9 web client, served by wkcrm itself
# (`wkcrm serve --web-root DIST`), driven in headless Chromium.
#
# usage: realclient/run.sh WKCRM_BINARY GITDIR [OUTDIR]
#   WKCRM_BINARY  the wkcrm executable to test
#   GITDIR        git dir of WuKongOpenSource/WukongCRM-9.0-JAVA (the client is built from ux/
#                 by /work/shared/realclient/build-client.sh, cached in $WKCRM_CLIENT_CACHE)
#   OUTDIR        screenshots, logs, first_paint.json (default ./realclient-own-out)
# env:
#   WKCRM_DATABASE_URL    run on this database instead of a fresh SQLite file (use a scratch
#                         database; an existing admin must have WKCRM_ADMIN_PASSWORD)
#   WKCRM_ADMIN_PASSWORD  admin password (default: a random one for the fresh database)
#   WKCRM_JOURNEYS        comma-separated journey names (default: all)
#   WKCRM_CLIENT_CACHE    built client and Python venv (default $HOME/.cache/wkcrm-realclient)
#   WKCRM_SHARED_REALCLIENT  the shared harness (default /work/shared/realclient)
#   CHROMIUM              Chromium binary (default: chromium on PATH)
#
# Exit status 0 only when every journey passes; the last line is "N passed, M failed".
set -uo pipefail

die() { echo "run: $*" >&2; exit 2; }
log() { echo "run: $*" >&2; }

[ $# -ge 2 ] || die "usage: $0 WKCRM_BINARY GITDIR [OUTDIR]"
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${WKCRM_SHARED_REALCLIENT:-/work/shared/realclient}
export WKCRM_SHARED_REALCLIENT=$SHARED
BIN=$1
GITDIR=$2
OUT=${3:-./realclient-own-out}
[ -x "$BIN" ] || die "not an executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
[ -x "$SHARED/build-client.sh" ] && [ -f "$SHARED/seed.py" ] && [ -f "$SHARED/journeys.py" ] \
  || die "the shared harness is missing in $SHARED"
export WKCRM_CLIENT_CACHE=${WKCRM_CLIENT_CACHE:-$HOME/.cache/wkcrm-realclient}
CACHE=$WKCRM_CLIENT_CACHE
mkdir -p "$CACHE" "$OUT" || die "cannot create $CACHE or $OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$OUT/shots"
rm -f "$OUT"/{browser_net.jsonl,browser_console.log,results.json,journeys.out,seed.json,seed.log,baseline.json,wkcrm.log,first_paint.json,import_*}

SUDO_OK=0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then SUDO_OK=1; fi
apt_install() {
  [ $SUDO_OK = 1 ] || return 1
  log "apt-get install -y $*"
  apt-get install -y "$@" >&2 || { apt-get update >&2 && apt-get install -y "$@" >&2; }
}

# --- prerequisites: Chromium with CJK fonts, the venv with Playwright (as the shared run.sh) ---
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ] && apt_install chromium fonts-noto-cjk; then
  CHROMIUM=$(command -v chromium || true)
fi
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then
  apt_install fonts-noto-cjk || log "no CJK font found: screenshots will show boxes (install fonts-noto-cjk)"
fi
VENV=$CACHE/venv
if ! "$VENV/bin/python" -c 'import playwright' 2>/dev/null; then
  log "creating $VENV with playwright"
  python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install -y python3-venv)"
  "$VENV/bin/pip" install --quiet playwright >&2 || die "pip install playwright failed"
fi
# openpyxl lets the import journey fill the downloaded .xlsx template; without it the
# journey uploads a CSV instead.
if ! "$VENV/bin/python" -c 'import openpyxl' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet openpyxl >&2 || log "pip install openpyxl failed; the import journey uploads a CSV"
fi
if [ -z "$CHROMIUM" ]; then
  log "no system Chromium; using Playwright's own (python -m playwright install chromium)"
  "$VENV/bin/python" -m playwright install chromium >&2 || die "no Chromium available (set CHROMIUM=...)"
fi

# --- the client (built once, cached) ------------------------------------------------------
DIST=$("$SHARED/build-client.sh" "$GITDIR") || die "building the client failed"
[ -f "$DIST/index.html" ] || die "no index.html in $DIST"

# --- wkcrm, serving the client and the API ------------------------------------------------
TMP=$(mktemp -d)
PIDS=()
cleaned=0
cleanup() {
  [ $cleaned = 1 ] && return
  cleaned=1
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=../scripts/free-port.sh
. "$REPO/scripts/free-port.sh"
PORT=$(free_port $((20000 + RANDOM % 20000)))

wait_http() {  # URL PID SECONDS: wait until URL answers any HTTP status while PID lives
  python3 - "$1" "$2" "$3" <<'EOF'
import os, sys, time, urllib.request, urllib.error
url, pid, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
end = time.time() + secs
while time.time() < end:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        urllib.request.urlopen(url, timeout=2); sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except Exception:
        time.sleep(0.3)
sys.exit(1)
EOF
}

export WKCRM_ADMIN_PASSWORD=${WKCRM_ADMIN_PASSWORD:-rc-$(python3 -c 'import secrets; print(secrets.token_hex(8))')}
FRESH=()
if [ -n "${WKCRM_DATABASE_URL:-}" ]; then
  DB=$WKCRM_DATABASE_URL
  DB_SHOWN=${DB%%://*}://...
  case "$DB" in sqlite*) DB_SHOWN=$DB ;; esac
else
  DB=sqlite:$TMP/crm.db
  DB_SHOWN=$DB
  FRESH=(--fresh)
fi
log "wkcrm $BIN on http://127.0.0.1:$PORT/ (client $DIST), database $DB_SHOWN"
"$BIN" serve --listen "127.0.0.1:$PORT" --database "$DB" --web-root "$DIST" >"$OUT/wkcrm.log" 2>&1 &
WK_PID=$!
PIDS+=("$WK_PID")
if ! wait_http "http://127.0.0.1:$PORT/api/health" "$WK_PID" 60; then
  tail -n 20 "$OUT/wkcrm.log" >&2
  die "wkcrm did not start"
fi
if ! curl -fsS "http://127.0.0.1:$PORT/" 2>/dev/null | grep -qi '<div id="\?app'; then
  log "warning: GET / does not answer the client's index.html"
fi

# --- seed data through the API ------------------------------------------------------------
API=http://127.0.0.1:$PORT/api/
TAG=$(date +%m%d%H%M%S)
log "seeding data through the API (tag $TAG)"
python3 "$HERE/seed_more.py" --api "$API" --phase before "${FRESH[@]}" \
  --baseline "$OUT/baseline.json" --log "$OUT/seed.log" || log "recording the baseline failed"
python3 "$SHARED/seed.py" --api "$API" --out "$OUT/seed.json" --log "$OUT/seed.log" --tag "$TAG" \
  || log "seeding (shared seed.py) failed; the journeys that need the data will say so"
python3 "$HERE/seed_more.py" --api "$API" --phase after --baseline "$OUT/baseline.json" \
  --seed "$OUT/seed.json" --log "$OUT/seed.log" || log "seeding (seed_more.py) failed"

# --- journeys -----------------------------------------------------------------------------
args=(--base "http://127.0.0.1:$PORT/" --out "$OUT" --seed "$OUT/seed.json")
[ -n "$CHROMIUM" ] && args+=(--chromium "$CHROMIUM")
[ -n "${WKCRM_JOURNEYS:-}" ] && args+=(--only "$WKCRM_JOURNEYS")
"$VENV/bin/python" "$HERE/journeys.py" "${args[@]}" | tee "$OUT/journeys.out"
rc=${PIPESTATUS[0]}

cleanup
last=$(tail -n 1 "$OUT/journeys.out" 2>/dev/null)
if ! [[ "$last" =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]]; then
  echo "journeys.py stopped before its report (exit $rc); see $OUT/browser_console.log"
  echo "0 passed, 1 failed"
  exit 1
fi
[ "$rc" = 0 ] && exit 0 || exit 1
