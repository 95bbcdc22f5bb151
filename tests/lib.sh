# lib.sh -- what every shell test library shares (sourced by
# tests/{daemon,pull,mail}/lib.sh, which define T, DB, CONF, LOG, RELEVED
# and may define fail_logs).
#
# wait_for SECONDS COMMAND: polls every 0.05 s; returns 1 on timeout.
# TIME_FACTOR (default 1) stretches the bound for a slowed-down daemon
# (tests/valgrind/run); no wait is ever removed.
wait_for() {
  local deadline=$(( $(date +%s%N) + $1 * ${TIME_FACTOR:-1} * 1000000000 ))
  while ! eval "$2"; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# sql QUERY: one query on the test's database, waiting out the daemon's
# write locks; on PostgreSQL (a URI in $DB) by psql, its rows printed as
# sqlite3 prints them.
sql() {
  case $DB in
    postgresql://*) psql -X -q -At -F'|' -v ON_ERROR_STOP=1 "$DB" -c "$1" ;;
    *) sqlite3 -cmd '.timeout 5000' "$DB" "$1" ;;
  esac
}

# test_engine: with RELEVE_TEST_ENGINE=postgresql, the test's database is
# that of a private PostgreSQL server (tests/pg.sh), $DB its URI, stopped
# by cleanup; engine_config CONF then writes it as "database". A library
# calls both after setting DB to its SQLite file.
test_engine() {
  [ "${RELEVE_TEST_ENGINE:-sqlite}" = postgresql ] || return 0
  . "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
  pg_start || fail "cannot start PostgreSQL"
  DB=$PG_URI
}
engine_config() {
  case $DB in
    postgresql://*)
      python3 - "$1" "$DB" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["database"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
      ;;
  esac
}

# utc_in SECONDS: now plus SECONDS (may be negative) as the database keeps
# times, so that a query needs no date function of its engine.
utc_in() { date -u -d "@$(( $(date +%s) + $1 ))" +%Y-%m-%dT%H:%M:%SZ; }

# utc_within TIME LO HI: TIME lies between now + LO and now + HI seconds.
utc_within() { [[ ! "$1" < "$(utc_in "$2")" && ! "$1" > "$(utc_in "$3")" ]]; }

# start_bg VAR WHAT CMD...: CMD in the background, its output appended to
# $LOG, its pid in VAR. The log outlives restarts: it waits for one more
# "ready:" than the log held before.
start_bg() {
  local var=$1 what=$2 before
  shift 2
  before=$(grep -c 'ready:' "$LOG" 2>/dev/null || true)
  "$@" >>"$LOG" 2>&1 &
  printf -v "$var" %s $!
  wait_for 10 "[ \$(grep -c 'ready:' '$LOG') -gt ${before:-0} ]" || fail "$what did not start"
}

# stop_bg VAR WHAT: SIGTERM to the pid in VAR, expect exit 0 within 15 s
# (stretched by TIME_FACTOR); VAR is emptied.
stop_bg() {
  local var=$1 what=$2 pid=${!1} rc=0
  kill -TERM "$pid"
  wait_for 15 "! kill -0 $pid 2>/dev/null" || fail "$what did not stop on SIGTERM"
  wait "$pid" || rc=$?
  printf -v "$var" %s ""
  [ "$rc" = 0 ] || fail "$what exited with $rc on SIGTERM"
}

# start_daemon [ARG...] / stop_daemon: releved on $CONF, its pid in DPID.
start_daemon() { start_bg DPID releved "$RELEVED" -c "$CONF" "$@"; }
stop_daemon() { stop_bg DPID releved; }

# cleanup (the EXIT trap): the daemon (DPID) and a test server (SPID) killed
# if still there, a PostgreSQL server (test_engine) stopped, the test
# folder $T removed unless KEEP=1.
cleanup() {
  local p
  for p in "${DPID:-}" "${SPID:-}"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      { kill -9 "$p" && wait "$p"; } 2>/dev/null || true
    fi
  done
  if declare -F pg_stop >/dev/null; then pg_stop; fi
  [ -n "${T:-}" ] || return 0
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT

# fail MESSAGE: says why, shows what the library's fail_logs adds (a test
# server's log) and the end of the daemon's log, and stops the test.
fail() {
  echo "FAIL: $*" >&2
  if declare -F fail_logs >/dev/null; then fail_logs >&2; fi
  echo "--- releved log (last 40 lines)" >&2
  tail -n 40 "$LOG" >&2 2>/dev/null || true
  exit 1
}
