#!/usr/bin/env bash
# `make demo`: the desk with the five seed organizations, their staff and six months of
# history, served on http://$HOST:$PORT/ with the worker running beside it.
#
# Safe to run again: the database is migrated, the charters reloaded, and the history is
# made only if it is not there yet. `scripts/demo.sh --reset` (make demo-reset) forgets
# the demo database first. Settings: DEMO_HOST (127.0.0.1), PORT (8000), DEMO_CASES_PER_ORG
# (how many cases each organization gets; 2,000 unless set), CHARTERDESK_VAR_DIR (var/:
# database, mail, worker log). Ctrl-C stops the server and the worker.
set -euo pipefail
cd "$(dirname "$0")/.."

began=$(date +%s)
PY=.venv/bin/python
HOST=${DEMO_HOST:-127.0.0.1}
PORT=${PORT:-8000}
VAR=${CHARTERDESK_VAR_DIR:-var}
mkdir -p "$VAR"
if ! $PY -c 'import socket, sys; socket.socket().bind((sys.argv[1], int(sys.argv[2])))' \
  "$HOST" "$PORT" 2>/dev/null; then
  echo "$HOST:$PORT is in use; choose another, e.g. PORT=8001 make demo" >&2
  exit 1
fi

if [[ ${1:-} == --reset ]]; then
  if [[ -n ${CHARTERDESK_DATABASE_URL:-} ]]; then
    $PY manage.py flush --noinput
  else
    rm -f "$VAR"/charterdesk.sqlite3 "$VAR"/charterdesk.sqlite3-wal "$VAR"/charterdesk.sqlite3-shm
  fi
  echo "The demo database is reset."
fi

$PY manage.py migrate --noinput -v 0
# Static files are collected on the other core while the history is made on this one.
$PY manage.py collectstatic --noinput -v 0 >"$VAR/collectstatic.log" 2>&1 &
static=$!
$PY manage.py load_charters
$PY manage.py seed_demo ${DEMO_CASES_PER_ORG:+--cases-per-org "$DEMO_CASES_PER_ORG"}
$PY manage.py rebuild_reports >"$VAR/reports.log" 2>&1 || { echo "rebuild_reports failed, see $VAR/reports.log" >&2; exit 1; }
wait "$static" || { echo "collectstatic failed, see $VAR/collectstatic.log" >&2; exit 1; }

# Links in the staff's notification mails point here.
export CHARTERDESK_SITE_URL=${CHARTERDESK_SITE_URL:-http://$HOST:$PORT}
$PY manage.py run_worker --interval 5 >>"$VAR/worker.log" 2>&1 &
worker=$!
# Mail in: an SMTP listener on loopback that hands every message to the desk's intake.
MAIL_PORT=${MAIL_PORT:-2525}
$PY manage.py run_lmtp --smtp --host "$HOST" --port "$MAIL_PORT" >>"$VAR/mail-in.log" 2>&1 &
listener=$!
stop_worker() {
  kill -TERM "$worker" "$listener" 2>/dev/null || true
  wait "$worker" "$listener" 2>/dev/null || true
}
trap stop_worker EXIT

cat <<EOF

  Charterdesk demo, ready in $(($(date +%s) - began)) s:  http://$HOST:$PORT/desk/

  Sign in with any login above, password "demo", for example:
    agent@leviatan       an agent's queue (Leviatan Design, Bucharest)
    supervisor@ask4      a supervisor (ASK4, in Polish)
    consultant@demo      one person in all five organizations
  The worker sweeps the clocks every 5 s and sends mail (log: $VAR/worker.log).
  Mail to a seed organization's address, sent by SMTP to $HOST:$MAIL_PORT, becomes a
  case (README, "Try mail by hand"); outgoing mail is written to $VAR/mail/.
  Ctrl-C stops the server and the worker.

EOF
$PY manage.py runserver "$HOST:$PORT" --noreload
