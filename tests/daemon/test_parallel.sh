#!/bin/bash
# Files of different actors are decoded side by side (daemon.max_jobs,
# default 2): while caf's plugin sleeps 15 s over nap.csv ("nap",
# crashtest.c), a file dropped by dasco is accepted and archived. A second
# caf file waits for the first: an actor's files keep their order. With
# max_jobs 1 (PARALLEL_JOBS=1) the dasco file waits the whole 15 s, and the
# test fails.
. "$(dirname "$0")/lib.sh"
make_config "
c['daemon'].update(decode_timeout_seconds=60${PARALLEL_JOBS:+, max_jobs=$PARALLEL_JOBS})
for a in c['actors']:
    if a['id'] == 'dasco':
        a['plugin'] = 'crashtest'
"
start_daemon
DASCO=$T/conf/spool/dasco
wait_for 10 "test -d '$DASCO/incoming'" || fail "no spool folder for dasco"
drop nap.csv "$(figure 2019 41)"
wait_for 5 "test -f '$SPOOL/processing/nap.csv'" || fail "nap.csv not claimed"
drop after.csv "$(figure 2019 42)"
printf '%s\nG08.1;x;2019;QPV;3;;;\n' "$HEADER" > "$DASCO/incoming/.d.part"
mv "$DASCO/incoming/.d.part" "$DASCO/incoming/dasco.csv"
wait_for 10 "test -f '$DASCO/archive/dasco.csv.rapport.txt' || test -f '$SPOOL/archive/nap.csv'" ||
  fail "dasco.csv was not taken"
test -f "$DASCO/archive/dasco.csv.rapport.txt" ||
  fail "dasco.csv waited for caf's slow file (max_jobs: $(python3 -c "import json; print(json.load(open('$CONF'))['daemon'].get('max_jobs', 2))"))"
grep -q 'ACCEPTÉ' "$DASCO/archive/dasco.csv.rapport.txt" || fail "dasco.csv not accepted"
test -f "$SPOOL/processing/nap.csv" || fail "nap.csv was done before dasco.csv was taken"
test -f "$SPOOL/incoming/after.csv" || fail "caf's second file did not wait for its first"
[ "$(sql "select value from observations where indicator='G08.1' and period='2019'")" = 3 ] ||
  fail "dasco's figure is not stored"
wait_for 40 "test -f '$SPOOL/archive/after.csv.rapport.txt'" || fail "caf's files were not accepted"
# The later file of caf was stored last: its figure is the one kept.
[ "$(sql "select value from observations where indicator='G04.1' and period='2019'")" = 42 ] ||
  fail "caf's files were not stored in their order"
first=$(sql "select id from submissions where name='nap.csv'")
second=$(sql "select id from submissions where name='after.csv'")
[ -n "$first" ] && [ -n "$second" ] && [ "$first" -lt "$second" ] ||
  fail "submissions out of order: nap.csv $first, after.csv $second"
stop_daemon
echo "dasco.csv accepted while caf's plugin decoded for 15 s; caf's two files in order: ok"
