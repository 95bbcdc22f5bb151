#!/bin/bash
# Stopping releved in the middle of a transfer: it exits at once and
# cleanly, the partial download is removed, and the interrupted pull is
# not counted as a failure of the source. Then `releve pull` and releved
# on the same source exclude each other.
. "$(dirname "$0")/lib.sh"
start_server
make_config "[{\"id\": \"stall\", \"actor\": \"caf\", \"url\": \"$BASE/stall/stall.csv\",
               \"schedule\": \"1h\", \"ca_file\": \"$CA\", \"timeout_seconds\": 30}]"
start_daemon
wait_for 10 "[ \"\$(requests /stall/)\" = 1 ]" || fail "the pull did not start"
wait_for 5 "test -f '$SPOOL/pulls/stall/stall.csv'" || fail "no staging file"

# 1. While releved holds the source, `releve pull` stays off it.
if "$RELEVE" -c "$CONF" pull stall >"$T/out" 2>&1; then fail "a second pull ran"; fi
grep -q "stall is being pulled by another process" "$T/out" || fail "busy: $(cat "$T/out")"

# 2. SIGTERM: prompt clean exit, nothing left, nothing counted.
stop_daemon
grep -q "pull stall: abandoned at shutdown" "$LOG" || fail "abandon not logged"
[ "$(count_files "$SPOOL/pulls/stall")" = 0 ] || fail "partial download left behind"
[ "$(count_files "$SPOOL/incoming")" = 0 ] || fail "partial download reached incoming/"
[ "$(sql "select count(*) from pulls where failures > 0")" = 0 ] || fail "the interruption was counted"
echo "releved stop during a transfer, mutual exclusion: ok"
