#!/bin/bash
# Failing pulls in the running daemon, all started together at start-up: a
# server that stalls is abandoned at the timeout while the other pulls
# complete; a 500 is retried with backoff (1 s, then 2 s) and then
# succeeds; oversized bodies (announced or not) are refused with nothing
# half-written in incoming/; a source that keeps failing is counted,
# reported by `releve status` and, at its notify_after_failures, told to
# the coordinator by a mail in the outbox.
. "$(dirname "$0")/lib.sh"
start_server
src() { # ID PATH [extra JSON members]
  printf '{"id": "%s", "actor": "caf", "url": "%s%s", "schedule": "1h", "ca_file": "%s"%s}' \
    "$1" "$BASE" "$2" "$CA" "${3:+, $3}"
}
make_config "[
  $(src stall /stall/stall.csv '"timeout_seconds": 4'),
  $(src good /files/caf.csv),
  $(src flaky /fail/2/flaky.csv '"retry_seconds": 1'),
  $(src big /big/300000 '"max_bytes": 100000'),
  $(src bigstream /bigstream/300000 '"max_bytes": 100000'),
  $(src down /fail/1000/down.csv '"retry_seconds": 1, "notify_after_failures": 2')
]"
publish caf.csv "$(figure 2019 12)"
publish flaky.csv "$(figure 2018 8)"
start_daemon

# 1. The stalled transfer is abandoned at its timeout; the good pull was
#    done meanwhile, on the same loop.
wait_for 20 "grep -q 'pull stall: failed' '$LOG'" || fail "the stalled pull was not abandoned"
grep -q "pull stall: failed (1 in a row): timed out (timeout_seconds 4" "$LOG" ||
  fail "stall: $(grep 'pull stall' "$LOG")"
good=$(grep -n "pull good: dropped" "$LOG" | cut -d: -f1)
stall=$(grep -n "pull stall: failed" "$LOG" | cut -d: -f1)
[ -n "$good" ] && [ "$good" -lt "$stall" ] || fail "the good pull waited for the stalled one"
[ "$(count_files "$SPOOL/pulls/stall")" = 0 ] || fail "stalled download left behind"

# 2. 500, 500, then 200: retried after 1 s, then 2 s, then dropped.
wait_for 20 "grep -q 'pull flaky: dropped' '$LOG'" || fail "flaky never succeeded"
grep -q "pull flaky: failed (1 in a row): HTTP 500; next attempt in 1 s" "$LOG" || fail "first retry"
grep -q "pull flaky: failed (2 in a row): HTTP 500; next attempt in 2 s" "$LOG" || fail "second retry"
[ "$(requests /fail/2/flaky.csv)" = 3 ] || fail "expected 3 requests for flaky"
[ "$(sql "select failures||' '||(case when last_error is null then 1 else 0 end) from pulls where source='flaky'")" = "0 1" ] ||
  fail "flaky's failures not reset"
wait_for 10 "[ \"\$(sql \"select count(*) from observations where period='2018'\")\" = 1 ]" ||
  fail "flaky's figure not stored"

# 3. Oversized bodies are refused; nothing half-written anywhere.
wait_for 10 "grep -q 'pull bigstream: failed' '$LOG' && grep -q 'pull big: failed' '$LOG'" ||
  fail "big or bigstream not refused"
grep -q "pull big: failed (1 in a row): refused: larger than max_bytes (100000 bytes)" "$LOG" ||
  fail "big: $(grep 'pull big:' "$LOG")"
grep -q "pull bigstream: failed (1 in a row): refused: larger than max_bytes (100000 bytes)" "$LOG" ||
  fail "bigstream: $(grep 'pull bigstream' "$LOG")"
[ "$(count_files "$SPOOL/pulls/big")" = 0 ] && [ "$(count_files "$SPOOL/pulls/bigstream")" = 0 ] ||
  fail "a refused body was left in staging"
! ls "$SPOOL"/incoming/big* "$SPOOL"/archive/big* "$SPOOL"/rejected/big* 2>/dev/null ||
  fail "an oversized body reached the spool"

# 4. A source that keeps failing: counted, shown, and the coordinator told
#    once (at the second failure).
wait_for 15 "[ \"\$(sql \"select failures from pulls where source='down'\")\" -ge 3 ]" ||
  fail "down's failures not counted"
grep -q "pull down: 2 failures in a row; mail to the coordinator queued" "$LOG" || fail "no notice"
[ "$(sql "select count(*) from mail_queue where subject like '%« down »%'")" = 1 ] ||
  fail "expected one mail about down: $(sql 'select subject from mail_queue')"
"$RELEVE" -c "$CONF" status --json >"$T/status.json" || fail "status --json"
python3 - "$T/status.json" <<'PY' || fail "status --json sources: $(cat "$T/status.json")"
import json, sys
s = {x["id"]: x for x in json.load(open(sys.argv[1]))["sources"]}
assert s["down"]["failing"] and s["down"]["failures"] >= 3 and s["down"]["last_error"] == "HTTP 500", s["down"]
assert s["stall"]["failing"] and s["big"]["failing"] and s["bigstream"]["failing"], s
assert not s["good"]["failing"] and not s["flaky"]["failing"], s
PY
"$RELEVE" -c "$CONF" status >"$T/status.txt" || fail "status"
grep -q "^Collectes programmées : 6 sources, 4 en échec$" "$T/status.txt" || fail "status: $(tail -6 "$T/status.txt")"
grep -q "^  EN ÉCHEC down (.*) : [0-9]* échecs d'affilée, dernier : HTTP 500" "$T/status.txt" || fail "status down"

stop_daemon
echo "releved failing pulls: timeout, backoff, oversize, notify, status: ok"
