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
# sqlite3 prints them. A real is printed the same on both engines, in its
# shortest form (SQLite's 3.0 and PostgreSQL's 3 both as 3, 2.50 as 2.5):
# a test compares the number, not one engine's text of it.
sql() {
  case $DB in
    postgresql://*) psql -X -q -At -F'|' -v ON_ERROR_STOP=1 "$DB" -c "$1" ;;
    *) sqlite3 -cmd '.timeout 5000' "$DB" "$1" ;;
  esac | sql_reals
}

# sql_reals: rows of '|'-separated fields, every field that is a real
# written with a point or an exponent rewritten as %.15g writes it
# (SQLite's precision); other fields kept as they are.
sql_reals() {
  awk 'BEGIN { FS = OFS = "|" }
    { for (i = 1; i <= NF; i++)
        if ($i ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && $i ~ /[.eE]/)
          $i = sprintf("%.15g", $i + 0)
      print }'
}

# sql_joined SEP QUERY: the query's rows on one line, joined by SEP (what
# SQLite's group_concat and PostgreSQL's string_agg each do their way).
sql_joined() {
  local sep=$1 rows
  rows=$(sql "$2") || return 1
  [ -z "$rows" ] ||
    printf '%s\n' "$rows" | awk -v sep="$sep" '{ printf "%s%s", (NR > 1 ? sep : ""), $0 }'
}

# sql_blob FILE EXPR REST: the blob EXPR of the row "select EXPR REST"
# picks, written to FILE byte for byte (FILE left absent when no row).
sql_blob() {
  local hex
  case $DB in
    postgresql://*) hex=$(sql "select encode($2, 'hex') $3") ;;
    *) hex=$(sql "select hex($2) $3") ;;
  esac || return 1
  [ -z "$hex" ] ||
    python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes.fromhex(sys.argv[2]))' "$1" "$hex"
}

# db_integrity: "ok" when the engine's own check finds the database whole:
# SQLite's integrity_check; on PostgreSQL, amcheck's verify_heapam on every
# table and bt_index_check (all heap rows indexed) on every index of the
# schema, any corruption it reports printed instead.
db_integrity() {
  case $DB in
    postgresql://*)
      local bad
      bad=$(sql "create extension if not exists amcheck;
        select c.relname || ': ' || v.msg from pg_class c, verify_heapam(c.oid) v
         where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace;
        select count(bt_index_check(c.oid, true)) from pg_class c join pg_am a on a.oid = c.relam
         where c.relkind = 'i' and a.amname = 'btree' and c.relnamespace = 'public'::regnamespace" |
        sed '$d') || return 1
      echo "${bad:-ok}"
      ;;
    *) sql 'pragma integrity_check' ;;
  esac
}

# db_aside / db_back: the database set aside as if lost (an empty one in
# its place on PostgreSQL, none on SQLite), then put back; db_drop: gone
# for good. The daemon must be stopped.
pg_admin() { psql -X -q -v ON_ERROR_STOP=1 "${DB%/releve}/postgres" "$@" >/dev/null; }
db_aside() {
  case $DB in
    postgresql://*) pg_admin -c "alter database releve rename to releve_saved" -c "create database releve" ;;
    *) mkdir "$T/db.saved" && mv "$DB"* "$T/db.saved/" ;;
  esac
}
db_back() {
  case $DB in
    postgresql://*) pg_admin -c "drop database releve" -c "alter database releve_saved rename to releve" ;;
    *) mv "$T/db.saved/"* "$(dirname "$DB")/" && rmdir "$T/db.saved" ;;
  esac
}
db_drop() {
  case $DB in
    postgresql://*) pg_admin -c "drop database releve with (force)" -c "create database releve" ;;
    *) rm -f "$DB" "$DB-wal" "$DB-shm" ;;
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
