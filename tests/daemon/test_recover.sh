#!/bin/bash
# The daemon died after recording a file and before moving it out of
# processing/ (the state is made here with `releve ingest`, which records
# without moving): at start-up the file is recognised as the actor's last
# submission, archived or rejected with the report recorded then, and
# nothing is recorded, counted or mailed a second time. A file left in
# processing/ that was never recorded is ingested as usual.
. "$(dirname "$0")/lib.sh"
make_config
mkdir -p "$SPOOL/processing"
R() { "$RELEVE" -c "$CONF" "$@"; }

# 1. kept.csv recorded, then the "crash"; new.csv was never recorded.
figure 2019 31 > "$T/kept.csv"
R ingest --actor caf "$T/kept.csv" > "$T/kept.out" || fail "ingest: $(cat "$T/kept.out")"
cp "$T/kept.csv" "$SPOOL/processing/kept.csv"
figure 2020 32 > "$SPOOL/processing/new.csv"
start_daemon
wait_for 10 "test -f '$SPOOL/archive/kept.csv.rapport.txt' && test -f '$SPOOL/archive/new.csv.rapport.txt'" ||
  fail "processing/ not drained"
stop_daemon

# 2. The same with a refused file.
printf '%s\nZ99.9;x;2019;QPV;1;;;\n' "$HEADER" > "$T/bad.csv"
if R ingest --actor caf "$T/bad.csv" > "$T/bad.out"; then fail "bad.csv accepted"; fi
cp "$T/bad.csv" "$SPOOL/processing/bad.csv"
start_daemon
wait_for 10 "test -f '$SPOOL/rejected/bad.csv.rapport.txt'" || fail "bad.csv not settled"
stop_daemon

# The reports are the ones recorded before the "crash", word for word.
[ "$(sql "select report from submissions where name = 'kept.csv'")" = "$(cat "$SPOOL/archive/kept.csv.rapport.txt")" ] ||
  fail "kept.csv: the report differs from the recorded one"
[ "$(sql "select report from submissions where name = 'bad.csv'")" = "$(cat "$SPOOL/rejected/bad.csv.rapport.txt")" ] ||
  fail "bad.csv: the report differs from the recorded one"
grep -q "Résultat : ACCEPTÉ" "$SPOOL/archive/kept.csv.rapport.txt" || fail "kept.csv not reported accepted"
# Recorded once each; only new.csv got a receipt (the others' went with
# their recording, here none: the CLI mails nothing).
[ "$(sql "select count(*) from submissions where name = 'kept.csv'")" = 1 ] || fail "kept.csv recorded twice"
[ "$(sql "select count(*) from submissions where name = 'bad.csv'")" = 1 ] || fail "bad.csv recorded twice"
[ "$(sql "select count(*) from submissions where name = 'new.csv' and outcome = 'accepted'")" = 1 ] ||
  fail "new.csv not ingested"
[ "$(sql "select count(*) from mail_queue")" = 1 ] || fail "expected one receipt (new.csv): $(sql "select subject from mail_queue")"
[ "$(sql "select value from observations where period = '2019'")" = 31 ] || fail "kept figure"
[ "$(sql "select value from observations where period = '2020'")" = 32 ] || fail "new figure"
grep -q "caf/kept.csv: accepted (submission 1: 1 added" "$LOG" || fail "log: $(grep kept.csv "$LOG")"
echo "daemon: a file recorded before a crash is settled once, with its report: ok"
