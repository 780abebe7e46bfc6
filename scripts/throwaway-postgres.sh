#!/usr/bin/env bash
# A throwaway PostgreSQL server on a loopback port, for tests and benchmarks.
#
#   source scripts/throwaway-postgres.sh && pg_start   # exports WKCRM_TEST_DATABASE_URL
#   pg_stop                                             # stops it and deletes its files
#
# As root the server runs as the `postgres` user (initdb refuses root). The cluster uses a
# UTF-8 locale so pg_trgm can index Chinese text.

PG_PORT="${PG_PORT:-55432}"

# shellcheck source=free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return 0
  return 1
}

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_install() {
  if pg_bin >/dev/null; then return 0; fi
  echo "PostgreSQL server not found; installing it from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql postgresql-contrib >/dev/null
}

pg_start() {
  pg_install
  local bin port
  bin="$(pg_bin)"
  port="$(free_port "$PG_PORT")"
  PG_DIR="$(mktemp -d /tmp/wkcrm-pg.XXXXXX)"
  export PG_DIR PG_BIN_DIR="$bin"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
  pg_as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  export WKCRM_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port" >&2
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -n "${PG_BIN_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    pg_as_owner "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
  unset PG_DIR
}
