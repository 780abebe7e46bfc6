#!/usr/bin/env bash
# Sourced by the throwaway-server scripts: `free_port FROM` prints the first loopback port
# from FROM on that nothing listens on.

free_port() {
  local port="$1"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
