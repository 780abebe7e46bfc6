#!/usr/bin/env bash
# A throwaway MariaDB server on a loopback port, for the WukongCRM migration tests.
#
#   source scripts/throwaway-mariadb.sh && maria_start   # exports WKCRM_TEST_MYSQL_URL
#   maria_stop                                            # stops it and deletes its files
#
# As root the server runs as the `mysql` user. The datadir is a fresh temporary directory;
# root connects without a password over TCP (the tests create one database per test).

MARIA_PORT="${MARIA_PORT:-56471}"

# shellcheck source=free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

maria_install() {
  if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then return 0; fi
  echo "MariaDB server not found; installing it from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq mariadb-server >/dev/null
}

maria_start() {
  maria_install
  local port user=()
  port="$(free_port "$MARIA_PORT")"
  MARIA_DIR="$(mktemp -d /tmp/wkcrm-maria.XXXXXX)"
  export MARIA_DIR
  if [ "$(id -u)" = 0 ]; then chown mysql "$MARIA_DIR"; user=(--user=mysql); fi
  mariadb-install-db --no-defaults "${user[@]}" --datadir="$MARIA_DIR/data" --auth-root-authentication-method=normal \
    --skip-test-db >"$MARIA_DIR/install.log" 2>&1 || { cat "$MARIA_DIR/install.log" >&2; return 1; }
  /usr/sbin/mariadbd --no-defaults "${user[@]}" --datadir="$MARIA_DIR/data" --bind-address=127.0.0.1 \
    --port="$port" --socket="$MARIA_DIR/mysqld.sock" --pid-file="$MARIA_DIR/mysqld.pid" \
    --skip-name-resolve --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=128M \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --log-error="$MARIA_DIR/server.log" >/dev/null 2>&1 &
  local waited=0
  until mariadb --protocol=tcp -h 127.0.0.1 -P "$port" -u root -e 'SELECT 1' >/dev/null 2>&1; do
    waited=$((waited + 1))
    if [ "$waited" -gt 60 ]; then cat "$MARIA_DIR/server.log" >&2; return 1; fi
    sleep 0.5
  done
  # Root without a password from 127.0.0.1 (install-db made it a socket-only account).
  mariadb --protocol=tcp -h 127.0.0.1 -P "$port" -u root \
    -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION" \
    >/dev/null 2>&1 || true
  export WKCRM_TEST_MYSQL_URL="mysql://root@127.0.0.1:$port/mysql"
  echo "MariaDB $(/usr/sbin/mariadbd --version | awk '{print $3}') running on 127.0.0.1:$port" >&2
}

maria_stop() {
  if [ -n "${MARIA_DIR:-}" ] && [ -f "$MARIA_DIR/mysqld.pid" ]; then
    local pid
    pid="$(cat "$MARIA_DIR/mysqld.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  [ -n "${MARIA_DIR:-}" ] && rm -rf "$MARIA_DIR"
  unset MARIA_DIR
}
