#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 only.
#
#   scripts/test-postgres.sh        ensure it runs; print its database URL on stdout
#   scripts/test-postgres.sh stop   stop it (the data stays; delete var/pg-test/ to start over)
#
# Progress goes to stderr, so `CHARTERDESK_DATABASE_URL=$(scripts/test-postgres.sh)` works.
# Installs Debian's `postgresql` package if no server binaries are found (needs root).
# The cluster lives in var/pg-test/ (git-ignored; /tmp/charterdesk-pg-test-<port> if the
# checkout is closed to the postgres user) and is tuned for speed, not durability: fsync,
# synchronous_commit and full_page_writes are off. Never put data you want in it.
# As root the server runs as the `postgres` system user; otherwise as the caller.
#
# Environment:
#   CHARTERDESK_PG_PORT  TCP port on 127.0.0.1 (default 55432)
#   CHARTERDESK_PG_DIR   where the cluster lives (default <repo>/var/pg-test)
set -euo pipefail

PORT="${CHARTERDESK_PG_PORT:-55432}"
readonly ROLE=charterdesk PASSWORD=charterdesk DATABASE=charterdesk
readonly WAIT_SECONDS=30
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO

say() { echo "test-postgres: $*" >&2; }
die() {
  echo "test-postgres: error: $*" >&2
  exit 1
}

case "${1:-start}" in
  start | stop) ACTION="${1:-start}" ;;
  *)
    echo "usage: $0 [start|stop]" >&2
    exit 2
    ;;
esac
if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || ((10#$PORT < 1 || 10#$PORT > 65535)); then
  die "CHARTERDESK_PG_PORT must be a TCP port number, got '$PORT'"
fi
PORT=$((10#$PORT))
readonly PORT

# PostgreSQL refuses to run as root: as root, run the server as the `postgres` system user.
if ((EUID == 0)); then
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

# --- server binaries ----------------------------------------------------------------------
newest_bindir() {
  local pg_ctl
  pg_ctl="$(compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' | sort -V | tail -n 1 || true)"
  [[ -n "$pg_ctl" ]] && dirname "$pg_ctl"
  return 0
}

install_server() {
  ((EUID == 0)) ||
    die "no PostgreSQL server found in /usr/lib/postgresql/*/bin; install it with: sudo apt-get install postgresql"
  command -v apt-get >/dev/null || die "no PostgreSQL server found and no apt-get to install one"
  local apt_log
  apt_log="$(mktemp -t charterdesk-apt.XXXXXX.log)"
  say "no PostgreSQL server found; installing Debian's postgresql package (log: $apt_log)"
  if ! {
    DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends \
        postgresql
  } </dev/null >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "installing postgresql failed; full log in $apt_log"
  fi
  rm -f "$apt_log"
  # The package creates (and, where services may start, starts) a default cluster on port
  # 5432. We installed it only for the tests, which use their own cluster: stop that one.
  local version
  for version in $(compgen -G '/etc/postgresql/*/main' | cut -d/ -f4); do
    if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
      say "stopping the package's default cluster $version/main (the tests do not use it)"
      pg_ctlcluster "$version" main stop >&2 || say "could not stop $version/main; ignoring"
    fi
  done
}

if [[ "$ACTION" == start && -z "$(newest_bindir)" ]]; then
  install_server
  [[ -n "$(newest_bindir)" ]] ||
    die "postgresql was installed but no /usr/lib/postgresql/*/bin/pg_ctl appeared"
fi

# --- where the cluster lives --------------------------------------------------------------
if [[ -n "${CHARTERDESK_PG_DIR:-}" ]]; then
  ROOT="$CHARTERDESK_PG_DIR"
elif ((EUID == 0)) && id -u postgres >/dev/null 2>&1 && ! as_owner test -x "$REPO"; then
  # A checkout in a closed directory (say /root): the server cannot get at var/ in it.
  ROOT="/tmp/charterdesk-pg-test-$PORT"
  say "the postgres user cannot get into $REPO; keeping the test cluster in $ROOT"
else
  ROOT="$REPO/var/pg-test"
fi
[[ "$ROOT" == /* ]] || ROOT="$PWD/$ROOT"
PGDATA="$ROOT/data"
LOG="$ROOT/server.log"
# The unix socket goes in $ROOT too; its full path must fit in 107 bytes (sun_path).
SOCKET_DIR="$ROOT"
((${#SOCKET_DIR} + 15 <= 107)) ||
  die "the socket path under $ROOT is too long for a unix socket; set CHARTERDESK_PG_DIR to a shorter directory"
cd / # the postgres user may not be allowed into the caller's working directory

if [[ -f "$PGDATA/PG_VERSION" && -x "/usr/lib/postgresql/$(<"$PGDATA/PG_VERSION")/bin/pg_ctl" ]]; then
  BINDIR="/usr/lib/postgresql/$(<"$PGDATA/PG_VERSION")/bin"
else
  BINDIR="$(newest_bindir)"
fi

if [[ "$ACTION" == stop ]]; then
  if [[ -z "$BINDIR" || ! -f "$PGDATA/PG_VERSION" ]]; then
    say "no test cluster in $PGDATA; nothing to stop"
  elif as_owner "$BINDIR/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1; then
    say "stopping the test server in $PGDATA"
    as_owner "$BINDIR/pg_ctl" stop -D "$PGDATA" -m fast -w -t "$WAIT_SECONDS" -s >&2 ||
      die "could not stop the test server; see $LOG"
  else
    say "the test server in $PGDATA is not running"
  fi
  exit 0
fi

id -u "$OWNER" >/dev/null 2>&1 || die "user '$OWNER' does not exist (it comes with the postgresql package)"

# --- the data directory -------------------------------------------------------------------
[[ ! -L "$ROOT" ]] || die "$ROOT is a symbolic link; refusing to use it"
if [[ -e "$ROOT" && ! -O "$ROOT" ]] && ! { ((EUID == 0)) && [[ "$(stat -c %U "$ROOT")" == "$OWNER" ]]; }; then
  die "$ROOT belongs to $(stat -c %U "$ROOT"); run as root, or set CHARTERDESK_PG_DIR to a directory of yours"
fi
mkdir -p "$ROOT" || die "cannot create $ROOT"
if ((EUID == 0)); then
  chown "$OWNER:" "$ROOT"
fi
chmod 700 "$ROOT"
as_owner test -w "$ROOT" -a -x "$ROOT" ||
  die "user '$OWNER' cannot use $ROOT (is a parent directory closed to other users? try CHARTERDESK_PG_DIR=/tmp/charterdesk-pg)"

# Only one copy of this script works on the cluster at a time.
exec 9>>"$ROOT/.lock"
flock -w 120 9 || die "another test-postgres.sh has held $ROOT/.lock for 2 minutes"

if [[ -f "$PGDATA/PG_VERSION" && "$BINDIR" != "/usr/lib/postgresql/$(<"$PGDATA/PG_VERSION")/bin" ]]; then
  say "the test cluster was made by PostgreSQL $(<"$PGDATA/PG_VERSION"), which is gone; recreating it"
  as_owner "$BINDIR/pg_ctl" stop -D "$PGDATA" -m immediate >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
fi
if [[ -d "$PGDATA" && ! -f "$PGDATA/PG_VERSION" ]]; then
  say "removing the half-made cluster in $PGDATA"
  rm -rf "$PGDATA"
fi

if [[ ! -d "$PGDATA" ]]; then
  say "creating a test cluster in $PGDATA ($("$BINDIR/postgres" --version))"
  as_owner "$BINDIR/initdb" -D "$PGDATA" --username=postgres --auth-local=peer \
    --auth-host=reject --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$ROOT/initdb.log" 2>&1 || {
    tail -n 20 "$ROOT/initdb.log" >&2
    rm -rf "$PGDATA"
    die "initdb failed; full log in $ROOT/initdb.log"
  }
  # Speed over durability, and nothing but loopback.
  as_owner tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF

# --- charterdesk test cluster (scripts/test-postgres.sh) ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKET_DIR'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # Local socket: the cluster's owner only (peer). TCP: the test role, with its password.
  as_owner tee "$PGDATA/pg_hba.conf" >/dev/null <<EOF
# TYPE  DATABASE  USER         ADDRESS       METHOD
local   all       postgres                   peer map=owner
host    all       $ROLE        127.0.0.1/32  scram-sha-256
EOF
  as_owner tee "$PGDATA/pg_ident.conf" >/dev/null <<EOF
# MAPNAME  SYSTEM-USERNAME  PG-USERNAME
owner      $OWNER           postgres
EOF
fi

# The port is fixed in postgresql.conf when the cluster is made; follow CHARTERDESK_PG_PORT.
PGCONF_PORT="$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$PGDATA/postgresql.conf" | tail -n 1)"
if [[ "$PGCONF_PORT" != "$PORT" ]]; then
  say "moving the test cluster from port $PGCONF_PORT to $PORT"
  as_owner "$BINDIR/pg_ctl" stop -D "$PGDATA" -m fast -w >/dev/null 2>&1 || true
  as_owner sed -i "s/^port = [0-9]*$/port = $PORT/" "$PGDATA/postgresql.conf"
fi

# --- running ------------------------------------------------------------------------------
# Asked on the cluster's own socket, so that another server on the same port cannot answer
# for ours; ours exits at start-up if it cannot bind 127.0.0.1:$PORT.
ready() { "$BINDIR/pg_isready" -q -h "$SOCKET_DIR" -p "$PORT" -d postgres -t 1; }

if as_owner "$BINDIR/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1; then
  ready || die "the test server in $PGDATA runs but does not answer; see $LOG"
else
  say "starting the test server on 127.0.0.1:$PORT"
  # 9>&-: the server must not inherit (and so hold) the lock.
  as_owner "$BINDIR/pg_ctl" start -D "$PGDATA" -l "$LOG" -W >/dev/null 9>&- ||
    die "pg_ctl could not start the test server; see $LOG"
  started=$SECONDS
  while true; do
    ready && break
    # After a moment, a server that has already died (port taken, bad config) fails at once.
    if ((SECONDS - started >= 2)) && ! as_owner "$BINDIR/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1; then
      tail -n 20 "$LOG" >&2
      die "the test server exited at start-up (port $PORT taken? CHARTERDESK_PG_PORT picks another); full log in $LOG"
    fi
    if ((SECONDS - started >= WAIT_SECONDS)); then
      tail -n 20 "$LOG" >&2
      die "the test server did not accept connections within ${WAIT_SECONDS}s; full log in $LOG"
    fi
    sleep 0.5
  done
fi

# The role and database, made again if missing (cheap; keeps a half-set-up cluster usable).
as_owner "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres \
  >/dev/null <<EOF || die "could not create the role '$ROLE' and database '$DATABASE'; see $LOG"
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '$ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
-- DROP DATABASE ... WITH (FORCE) of a test's own database must be able to end an
-- autovacuum worker that happens to be in it (it has no role of its own)
GRANT pg_signal_backend TO $ROLE;
SELECT format('CREATE DATABASE %I OWNER %I', '$DATABASE', '$ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE') \gexec
EOF

echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
