#!/bin/bash
# releved pulls a source on its schedule (a short interval here): the file
# lands in incoming/ and its figures end in SQLite, recorded as received
# by a pull (channel "poll", "collecte" in `releve submissions`; a file
# dropped by hand says "spool"); the next pulls get a 304 and ingest nothing; a changed
# file is pulled and ingested as a revision; a reload keeps pulling; the
# daemon stops cleanly with a pull scheduled.
. "$(dirname "$0")/lib.sh"
start_server
make_config "[{\"id\": \"caf-data\", \"actor\": \"caf\", \"url\": \"$BASE/files/caf.csv\",
               \"schedule\": \"2s\", \"ca_file\": \"$CA\", \"file_name\": \"caf-open-data.csv\"}]"
OBS="select value from observations where indicator='G04.1' and period='2019' and geography='QPV'"

# 1. The first scheduled pull (at start) is ingested.
publish caf.csv "$(figure 2019 12)"
start_daemon
wait_for 15 "[ \"\$(sql \"$OBS\" 2>/dev/null)\" = 12 ]" || fail "pulled figure not stored"
# The daemon may take the file before the poller has logged its drop.
wait_for 5 "grep -q 'pull caf-data: dropped $SPOOL/incoming/caf-open-data.csv' '$LOG'" ||
  fail "no drop logged"
[ "$(sql "select outcome||' '||name||' '||channel from submissions")" = "accepted caf-open-data.csv poll" ] ||
  fail "submission not recorded: $(sql 'select * from submissions')"
wait_for 10 "test -f '$SPOOL/archive/caf-open-data.csv.rapport.txt'" || fail "pulled file not archived"

# 2. The next runs get a 304: nothing written, nothing ingested.
wait_for 15 "[ \"\$(requests /files/caf.csv 304)\" -ge 2 ]" || fail "no 304 on the next runs"
wait_for 5 "grep -q 'pull caf-data: not modified (304)' '$LOG'" || fail "304 not logged"
[ "$(sql 'select count(*) from submissions')" = 1 ] || fail "a 304 was ingested"
[ "$(count_files "$SPOOL/incoming")" = 0 ] || fail "a 304 left a file in incoming/"
[ "$(requests /files/caf.csv 200)" = 1 ] || fail "the body was fetched again"

# 3. A changed file is pulled and stored as a revision of the same cell.
publish caf.csv "$(figure 2019 15)" 5
wait_for 15 "[ \"\$(sql \"$OBS\" 2>/dev/null)\" = 15 ]" || fail "changed figure not stored"
[ "$(sql "select count(*) from revisions where indicator='G04.1' and period='2019' and geography='QPV'")" = 2 ] ||
  fail "expected 2 revisions"
[ "$(sql "select count(*) from submissions where outcome='accepted'")" = 2 ] || fail "expected 2 submissions"
[ "$(sql "select failures from pulls where source='caf-data'")" = 0 ] || fail "failures counted"
[ "$(sql "select count(*) from submissions where channel='poll'")" = 2 ] || fail "a pulled file not on channel poll"
grep -q "canal : collecte programmée" "$SPOOL/archive/caf-open-data.csv.rapport.txt" ||
  fail "report does not say the file was pulled"
# A file dropped by hand, even by the same actor, came by the spool.
printf '%s\nG04.1;2018;QPV;11;;;\n' "$HEADER" > "$SPOOL/incoming/.hand.part"
mv "$SPOOL/incoming/.hand.part" "$SPOOL/incoming/hand.csv"
wait_for 10 "test -f '$SPOOL/archive/hand.csv.rapport.txt'" || fail "hand.csv not taken"
[ "$(sql "select channel from submissions where name='hand.csv'")" = spool ] || fail "hand.csv not on channel spool"
# What the coordinator reads: the channel of each, in French.
"$RELEVE" -c "$CONF" submissions --actor caf > "$T/subs.txt" || fail "releve submissions"
[ "$(grep -c " caf-open-data.csv  *collecte  *accepté  *1 valeur$" "$T/subs.txt")" = 2 ] ||
  fail "pulled files in releve submissions: $(cat "$T/subs.txt")"
grep -q " hand.csv  *dépôt  *accepté  *1 valeur$" "$T/subs.txt" || fail "hand.csv in releve submissions"
"$RELEVE" -c "$CONF" status > "$T/status.txt" || fail "releve status"
grep -q "^  dernier fichier : hand.csv — .*, dépôt, accepté (n° 3)$" "$T/status.txt" ||
  fail "status: caf's last file: $(grep -A2 '^CAF' "$T/status.txt")"

# 4. A reload keeps pulling (the new poller takes over from the old one).
n=$(requests /files/caf.csv)
kill -HUP "$DPID"
wait_for 10 "grep -q 'reloaded:' '$LOG'" || fail "no reload"
wait_for 15 "[ \"\$(requests /files/caf.csv)\" -gt $n ]" || fail "no pull after the reload"

stop_daemon
[ "$(count_files "$SPOOL/pulls/caf-data")" = 0 ] || fail "staging file left behind"
echo "releved scheduled pull: ingest, 304, revision, reload, stop: ok"
