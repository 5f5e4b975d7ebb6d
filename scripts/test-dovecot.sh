#!/usr/bin/env bash
# A throwaway IMAP server (Debian's dovecot) for the test suite, on 127.0.0.1 only.
#
#   scripts/test-dovecot.sh        ensure it runs; print its host:port on stdout
#   scripts/test-dovecot.sh stop   stop it (the mail stays; delete var/dovecot-test/ to start over)
#
# Progress goes to stderr, so `CHARTERDESK_TEST_IMAP=$(scripts/test-dovecot.sh)` works.
# Installs Debian's `dovecot-imapd` package if no dovecot binary is found (needs root).
# Everything lives in var/dovecot-test/ (git-ignored; /tmp/charterdesk-dovecot-test-<port>
# if the checkout is closed to the mail user): its own dovecot.conf, a passwd-file of
# test users, one maildir per user, the log and the sockets. Plain-text logins without
# TLS are allowed, which is safe only because it listens on loopback alone.
# As root, dovecot runs its login and mail processes as Debian's `dovecot`/`dovenull`
# system users; otherwise everything runs as the caller.
#
# Test users (password: charterdesk): desk, bench, peer, anlp, ask4, eurolux, leviatan, lt-pro.
#
# Environment:
#   CHARTERDESK_DOVECOT_PORT     IMAP port on 127.0.0.1 (default 51143)
#   CHARTERDESK_DOVECOT_DIR   where it all lives (default <repo>/var/dovecot-test)
set -euo pipefail

PORT="${CHARTERDESK_DOVECOT_PORT:-51143}"
readonly PASSWORD=charterdesk
readonly USERS="desk bench peer anlp ask4 eurolux leviatan lt-pro"
readonly WAIT_SECONDS=20
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO

say() { echo "test-dovecot: $*" >&2; }
die() {
  echo "test-dovecot: error: $*" >&2
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
  die "CHARTERDESK_DOVECOT_PORT must be a TCP port number, got '$PORT'"
fi
PORT=$((10#$PORT))
readonly PORT

# --- the server binary --------------------------------------------------------------------
dovecot_binary() {
  command -v dovecot 2>/dev/null || { [[ -x /usr/sbin/dovecot ]] && echo /usr/sbin/dovecot; } || true
}

install_server() {
  ((EUID == 0)) || die "dovecot is not installed; install it with: sudo apt-get install dovecot-imapd"
  command -v apt-get >/dev/null || die "dovecot is not installed and there is no apt-get to install it"
  local apt_log
  apt_log="$(mktemp -t charterdesk-apt.XXXXXX.log)"
  say "no dovecot found; installing Debian's dovecot-imapd package (log: $apt_log)"
  if ! {
    DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends \
        dovecot-imapd
  } </dev/null >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "installing dovecot-imapd failed; full log in $apt_log"
  fi
  rm -f "$apt_log"
  # Where services may start, the package starts the system's dovecot on ports 143/993.
  # The tests use their own instance: stop that one.
  if [[ -f /run/dovecot/master.pid ]] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
    say "stopping the package's own dovecot (the tests do not use it)"
    /usr/sbin/dovecot stop >&2 2>&1 || say "could not stop the system dovecot; ignoring"
  fi
}

if [[ "$ACTION" == start && -z "$(dovecot_binary)" ]]; then
  install_server
  [[ -n "$(dovecot_binary)" ]] || die "dovecot-imapd was installed but no dovecot binary appeared"
fi
DOVECOT="$(dovecot_binary)"

# --- who runs it, and where it lives --------------------------------------------------------
if ((EUID == 0)); then
  MAIL_USER=dovecot
  LOGIN_USER=dovenull
  as_mail_user() { runuser -u "$MAIL_USER" -- "$@"; }
else
  MAIL_USER="$(id -un)"
  LOGIN_USER="$MAIL_USER"
  as_mail_user() { "$@"; }
fi

if [[ -n "${CHARTERDESK_DOVECOT_DIR:-}" ]]; then
  ROOT="$CHARTERDESK_DOVECOT_DIR"
elif ((EUID == 0)) && id -u "$MAIL_USER" >/dev/null 2>&1 && ! as_mail_user test -x "$REPO"; then
  ROOT="/tmp/charterdesk-dovecot-test-$PORT"
  say "the $MAIL_USER user cannot get into $REPO; keeping the test server in $ROOT"
else
  ROOT="$REPO/var/dovecot-test"
fi
[[ "$ROOT" == /* ]] || ROOT="$PWD/$ROOT"
CONF="$ROOT/dovecot.conf"
LOG="$ROOT/dovecot.log"
RUN="$ROOT/run" # base_dir: the master's pid file and the sockets (paths must stay short)
((${#RUN} + 40 <= 107)) ||
  die "the socket paths under $ROOT are too long; set CHARTERDESK_DOVECOT_DIR to a shorter directory"

running() { [[ -f "$RUN/master.pid" ]] && kill -0 "$(cat "$RUN/master.pid")" 2>/dev/null; }

if [[ "$ACTION" == stop ]]; then
  if [[ -n "$DOVECOT" && -f "$CONF" ]] && running; then
    say "stopping the test IMAP server in $ROOT"
    "$DOVECOT" -c "$CONF" stop >&2 || die "could not stop the test IMAP server; see $LOG"
  else
    say "the test IMAP server in $ROOT is not running"
  fi
  exit 0
fi

id -u "$MAIL_USER" >/dev/null 2>&1 || die "user '$MAIL_USER' does not exist (it comes with the dovecot-core package)"
id -u "$LOGIN_USER" >/dev/null 2>&1 || die "user '$LOGIN_USER' does not exist (it comes with the dovecot-core package)"

[[ ! -L "$ROOT" ]] || die "$ROOT is a symbolic link; refusing to use it"
if [[ -e "$ROOT" && ! -O "$ROOT" ]]; then
  die "$ROOT belongs to $(stat -c %U "$ROOT"); run as that user, or set CHARTERDESK_DOVECOT_DIR"
fi
mkdir -p "$ROOT/mail" "$RUN" "$ROOT/state"
chmod 755 "$ROOT" # dovecot checks that its base_dir's parents are reachable
MAIL_UID="$(id -u "$MAIL_USER")"
MAIL_GID="$(id -g "$MAIL_USER")"
chown "$MAIL_UID:$MAIL_GID" "$ROOT/mail"
chmod 700 "$ROOT/mail"
as_mail_user test -w "$ROOT/mail" ||
  die "user '$MAIL_USER' cannot write $ROOT/mail (is a parent directory closed? try CHARTERDESK_DOVECOT_DIR=/tmp/charterdesk-dovecot)"

# Only one copy of this script works on the server at a time.
exec 9>>"$ROOT/.lock"
flock -w 60 9 || die "another test-dovecot.sh has held $ROOT/.lock for a minute"

# --- configuration (rewritten each start, so a changed port or user is picked up) ---------
: >"$ROOT/users.new"
for user in $USERS; do
  echo "$user:{PLAIN}$PASSWORD:$MAIL_UID:$MAIL_GID::$ROOT/mail/$user::" >>"$ROOT/users.new"
done
mv "$ROOT/users.new" "$ROOT/users"
chmod 644 "$ROOT/users" # read by dovecot's auth process (test passwords only)

cat >"$CONF.new" <<EOF
# A throwaway dovecot for Charterdesk's tests (written by scripts/test-dovecot.sh).
# Loopback only, no TLS, plain-text passwords from a file: never for real mail.
base_dir = $RUN
state_dir = $ROOT/state
instance_name = charterdesk-test-$PORT
log_path = $LOG
info_log_path = $LOG
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $MAIL_USER
default_internal_group = $(id -gn "$MAIL_USER")
default_login_user = $LOGIN_USER
first_valid_uid = $MAIL_UID
last_valid_uid = $MAIL_UID
first_valid_gid = 0
mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
  mailbox Processed {
    auto = create
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $ROOT/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $ROOT/users
}
# No chroot: an unprivileged caller cannot chroot, and a loopback test server needs none.
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service imap {
  process_limit = 64
}
protocol imap {
  mail_max_userip_connections = 64
}
EOF
CHANGED=0
if ! cmp -s "$CONF.new" "$CONF" 2>/dev/null; then
  mv "$CONF.new" "$CONF"
  CHANGED=1
else
  rm -f "$CONF.new"
fi

# --- running ------------------------------------------------------------------------------
# Ready when something on the port greets like an IMAP server.
ready() {
  local greeting=""
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
  read -r -t 2 greeting <&3 || true
  exec 3<&- 3>&-
  [[ "$greeting" == "* OK"* ]]
}

if running; then
  if ((CHANGED)); then
    # Pick up a changed configuration without dropping the tests' connections.
    say "reloading the test IMAP server's changed configuration"
    "$DOVECOT" -c "$CONF" reload >&2 || say "could not reload; carrying on with the running server"
  fi
else
  "$DOVECOT" -c "$CONF" -n >/dev/null 2>"$ROOT/config-check.log" || {
    cat "$ROOT/config-check.log" >&2
    die "dovecot refused the test configuration in $CONF"
  }
  # A test server of ours from another checkout (an earlier CI clone, say) may still hold
  # the port: its processes carry our instance name, and it is throwaway, so stop it.
  for master in $(for child in $(pgrep -f "^dovecot-charterdesk-test-$PORT/" || true); do
    ps -o ppid= -p "$child" || true
  done | sort -u); do
    if [[ "$master" != "$(cat "$RUN/master.pid" 2>/dev/null)" ]] && ((master > 1)); then
      say "stopping a stale test IMAP server (pid $master) that holds port $PORT"
      kill "$master" 2>/dev/null || true
    fi
  done
  for _ in $(seq 50); do
    { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || break
    exec 3<&- 3>&-
    sleep 0.1
  done
  say "starting the test IMAP server on 127.0.0.1:$PORT"
  # 9>&-: the server must not inherit (and so hold) the lock.
  "$DOVECOT" -c "$CONF" 9>&- || die "dovecot could not start; see $LOG"
fi
started=$SECONDS
until ready; do
  if ((SECONDS - started >= 2)) && ! running; then
    tail -n 20 "$LOG" >&2 || true
    die "the test IMAP server exited at start-up (port $PORT taken? CHARTERDESK_DOVECOT_PORT picks another); full log in $LOG"
  fi
  if ((SECONDS - started >= WAIT_SECONDS)); then
    tail -n 20 "$LOG" >&2 || true
    die "the test IMAP server did not answer within ${WAIT_SECONDS}s; full log in $LOG"
  fi
  sleep 0.2
done

echo "127.0.0.1:$PORT"
