#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for tests and local checks.
#   tools/postgres.sh up      install (Debian packages) if missing, start, print DATABASE_URL last
#   tools/postgres.sh down    stop it
#   tools/postgres.sh status  say whether it runs
# Data lives in var/postgres (git-ignored) and is tuned for speed, not durability.
# PG_PORT (default 55432) is the first port tried; when another server holds it, the next free
# one is used. The chosen port is kept in var/postgres/port for `url` and later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA="$ROOT/var/postgres/data"
PORT_FILE="$ROOT/var/postgres/port"
PORT=${PG_PORT:-55432}
if [ -z "${PG_PORT:-}" ] && [ -f "$PORT_FILE" ]; then PORT=$(cat "$PORT_FILE"); fi
LOG="$ROOT/var/postgres/server.log"
DB=pcc
log() { echo "postgres: $*" >&2; }

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ] && command -v pg_ctl >/dev/null 2>&1; then
    found=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
  fi
  echo "$found"
}

ensure_installed() {
  if [ -n "$(pg_bin)" ]; then return; fi
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed; run: sudo apt-get install postgresql"; exit 1
  fi
  log "installing PostgreSQL from Debian packages"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

# Run a command as the cluster's owner: the unprivileged 'postgres' user when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

owner_name() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

port_is_free() {
  python3 -c 'import socket,sys
s=socket.socket()
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError: sys.exit(1)' "$1"
}

pick_port() {
  local candidate=$PORT
  for _ in $(seq 0 20); do
    if port_is_free "$candidate"; then PORT=$candidate; echo "$PORT" >"$PORT_FILE"; return; fi
    candidate=$((candidate + 1))
  done
  log "no free port from $PORT to $candidate"; exit 1
}

url() { echo "postgres://$(owner_name)@127.0.0.1:$PORT/$DB"; }

is_running() { [ -d "$DATA" ] && as_owner "$(pg_bin)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

up() {
  ensure_installed
  local bin; bin=$(pg_bin)
  mkdir -p "$ROOT/var/postgres"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    chown postgres "$ROOT/var/postgres"
  fi
  if ! is_running; then
    if [ ! -f "$DATA/PG_VERSION" ]; then
      log "initialising a throw-away cluster in $DATA"
      as_owner "$bin/initdb" -D "$DATA" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    pick_port
    log "starting on 127.0.0.1:$PORT"
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DATA \
       -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" >/dev/null
  fi
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$PORT" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$PORT" "$DB"
  fi
  url
}

down() {
  if is_running; then
    as_owner "$(pg_bin)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    log "stopped"
  else
    log "not running"
  fi
}

status() {
  if is_running; then log "running: $(url)"; else log "not running"; return 3; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  url) url ;;
  *) echo "usage: $0 {up|down|status|url}" >&2; exit 2 ;;
esac
