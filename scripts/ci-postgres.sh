#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the PostgreSQL test leg and prints shell
# lines that point the tests at it. Installs nothing: it uses Debian's server binaries
# (apt-get install -y postgresql) from /usr/lib/postgresql/*/bin.
#
#   eval "$(bash scripts/ci-postgres.sh)"        # start; exports BULWARK_TEST_POSTGRES_URL
#   npm test
#   bash scripts/ci-postgres.sh stop             # stop it and delete its files
#
# The cluster lives in a temporary directory, listens on 127.0.0.1 only (and a Unix
# socket in that directory), on a free port, with trust authentication: it is for
# tests, never for data. PostgreSQL refuses to run as root, so under root the server
# runs as the `postgres` user that Debian's package creates.
set -euo pipefail

log() { echo "ci-postgres: $*" >&2; }

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
    log "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: apt-get install -y postgresql"
    exit 1
  fi
  echo "$dir"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-pg.XXXXXX")
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=200" start >&2 || {
    cat "$dir/server.log" >&2
    exit 1
  }
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, files in $dir"
  echo "export BULWARK_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "export BULWARK_TEST_POSTGRES_DIR=$dir"
}

stop() {
  local dir=${BULWARK_TEST_POSTGRES_DIR:-}
  if [[ -z "$dir" || ! -d "$dir/data" ]]; then
    log "BULWARK_TEST_POSTGRES_DIR names no cluster: nothing to stop"
    return 0
  fi
  as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *)
    log "usage: ci-postgres.sh [start|stop]"
    exit 2
    ;;
esac
