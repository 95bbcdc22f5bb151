#!/bin/bash
# No write lock while a plugin decodes: a plugin that takes 15 s over a
# file ("nap", crashtest.c) holds no transaction, so `releve ingest` of
# another actor and `releve remind` (which both write) run meanwhile and
# succeed at once, and the slow file is still accepted afterwards.
. "$(dirname "$0")/lib.sh"
make_config '
c["daemon"].update(decode_timeout_seconds=60)
for a in c["actors"]:
    if a["id"] == "dasco":
        a["plugin"] = "crashtest"
'
start_daemon
drop nap.csv "$(figure 2019 41)"
# The child is decoding (sleeping) once the file is in processing/.
wait_for 5 "test -f '$SPOOL/processing/nap.csv'" || fail "nap.csv not claimed"
sleep 1
printf '%s\nG08.1;x;2019;QPV;3;;;\n' "$HEADER" > "$T/dasco.csv"
t0=$(date +%s%N)
"$RELEVE" -c "$CONF" ingest --actor dasco "$T/dasco.csv" >"$T/ingest.out" 2>&1 ||
  fail "releve ingest failed while a plugin decodes: $(cat "$T/ingest.out")"
t1=$(date +%s%N)
"$RELEVE" -c "$CONF" remind --date 2024-01-15 >"$T/remind.out" 2>&1 ||
  fail "releve remind failed while a plugin decodes: $(cat "$T/remind.out")"
t2=$(date +%s%N)
grep -q 'ACCEPTÉ' "$T/ingest.out" || fail "dasco file not accepted: $(cat "$T/ingest.out")"
test -f "$SPOOL/processing/nap.csv" || fail "the slow file was done before the commands ran"
ingest_ms=$(( (t1 - t0) / 1000000 )); remind_ms=$(( (t2 - t1) / 1000000 ))
[ "$ingest_ms" -lt 5000 ] && [ "$remind_ms" -lt 5000 ] ||
  fail "commands waited for the lock: ingest $ingest_ms ms, remind $remind_ms ms"
wait_for 40 "test -f '$SPOOL/archive/nap.csv.rapport.txt'" || fail "the slow file was not accepted"
[ "$(sql "select value from observations where indicator='G04.1' and period='2019'")" = 41 ] ||
  fail "the slow file's figure is not stored"
[ "$(sql "select value from observations where indicator='G08.1' and period='2019'")" = 3 ] ||
  fail "the CLI's figure is not stored"
stop_daemon
echo "a 15 s decode holds no lock: releve ingest $ingest_ms ms, releve remind $remind_ms ms: ok"
