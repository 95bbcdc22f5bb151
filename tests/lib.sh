# lib.sh -- what every shell test library shares (sourced by
# tests/{daemon,pull,mail}/lib.sh, which define DB).
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
# write locks.
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }
