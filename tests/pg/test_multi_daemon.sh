#!/bin/bash
# Two releved on one PostgreSQL database, each with its own configuration
# folder and spool (one per machine, as docs/postgresql.md asks):
#   - started at the same instant on an empty database, which is migrated
#     once;
#   - the same day, the same campaign: one reminder row and one mail per
#     actor and step, in the SMTP sink, every queued message delivered once
#     although both deliver from the one queue;
#   - N files in each spool, all holding the same cell: every file accepted
#     once (submissions, archive/, receipts), and no update lost (one file
#     added the cell, every other one changed it, the cell holds the last
#     file's value);
#   - a third daemon on the first one's spool tree is refused at start;
#   - an ingest that cannot get its lock in time (lock_timeout) is rolled
#     back, left in processing/ and accepted at a later rescan.
# PostgreSQL only (RELEVE_TEST_ENGINE=postgresql).
. "$(dirname "$0")/../mail/lib.sh"
: "${RELEVED:?}"
case $DB in postgresql://*) ;; *) fail "needs RELEVE_TEST_ENGINE=postgresql" ;; esac
N=${N:-8}
CONF2=$T/conf2/releve.json
LOG2=$T/releved2.log
D2=
trap '[ -z "$D2" ] || kill -9 "$D2" 2>/dev/null || true; cleanup' EXIT
HEADER='indicateur;periode;geographie;valeur;part;statut;commentaire'
count_files() { find "$1" -maxdepth 1 -type f ! -name '.*' ! -name '*.rapport.txt' | wc -l; }

start_smtp accept
today=$(date +%F)
opens=$(date -d "$today - 5 days" +%F)
due=$(date -d "$today + 30 days" +%F)
make_config 1 "c['campaigns'] = [{'period': 2022, 'opens': '$opens', 'due': '$due'}]"
cp -r "$T/conf" "$T/conf2"
cp -r "$T/conf" "$T/conf3"
[ "$(psql -X -At "$DB" -c "select count(*) from pg_tables where schemaname = 'public'")" = 0 ] ||
  fail "the database is not empty before the start"

# Both at once on the empty database.
"$RELEVED" -c "$CONF" >>"$LOG" 2>&1 &
DPID=$!
"$RELEVED" -c "$CONF2" >>"$LOG2" 2>&1 &
D2=$!
wait_for 20 "grep -q 'ready:' '$LOG' && grep -q 'ready:' '$LOG2'" ||
  { cat "$LOG2" >&2; fail "the two daemons did not both start"; }
migrated=$(cat "$LOG" "$LOG2" | grep -c 'migrated to schema version' || true)
[ "$migrated" = 1 ] || fail "the database was migrated $migrated times (logs: $(cat "$LOG2"))"
[ "$(sql 'select count(*) from schema_version')" = 1 ] || fail "schema_version has not one row"

# The reminders: three actors owe cells, each gets the opening mail once.
wait_for 20 "[ \$(received) -ge 3 ] && [ \$(sql \"select count(*) from mail_queue where state <> 'sent'\") = 0 ]" ||
  fail "the reminders were not all sent ($(received) mails)"
sleep 3 # a second daemon's reminders, if any, would have gone out by now
[ "$(received)" = 3 ] || fail "$(received) mails for 3 actors' reminders"
[ "$(sql 'select count(*) from reminders')" = 3 ] || fail "reminders rows: $(sql 'select * from reminders')"
[ "$(sql 'select count(*) from (select actor, campaign, step from reminders group by 1, 2, 3) k')" = 3 ] ||
  fail "a reminder step recorded twice"
[ "$(sql 'select count(*) from mail_queue')" = 3 ] || fail "mails queued: $(sql 'select id, recipients from mail_queue')"
for a in sante@ars.example.org pref@prefecture.example.org gip@gip.example.org; do
  n=$(grep -l "$a" "$SINK"/msg-*.eml | wc -l)
  [ "$n" = 1 ] || fail "$a got $n reminders"
done
queued=$(cat "$LOG" "$LOG2" | sed -n "s/.*reminders for $today: .*, \([0-9]*\) queued.*/\1/p" |
  awk '{ n += $1 } END { print n + 0 }')
[ "$queued" = 3 ] || fail "the two daemons' logs say $queued reminders queued"

# N files in each spool, every one with the same cell, dropped together.
drop_in() { # CONFDIR NAME VALUE
  local d=$1/spool/gip/incoming
  printf '%s\nG01.1;2022;QPV;%s;;;\n' "$HEADER" "$3" > "$d/.$2.part"
  mv "$d/.$2.part" "$d/$2"
}
for i in $(seq 1 "$N"); do
  drop_in "$T/conf" "un_$i.csv" "$i"
  drop_in "$T/conf2" "deux_$i.csv" "$((100 + i))"
done
wait_for 60 "[ \$(sql \"select count(*) from submissions where outcome = 'accepted'\") = $((2 * N)) ]" ||
  fail "not every file accepted: $(sql 'select name, outcome from submissions')"
wait_for 30 "[ \$(received) = $((3 + 2 * N)) ]" || fail "$(received) mails for 3 reminders and $((2 * N)) receipts"
[ "$(sql 'select count(*) from submissions')" = $((2 * N)) ] ||
  fail "submissions: $(sql 'select name, outcome from submissions')"
[ "$(sql 'select count(distinct name) from submissions')" = $((2 * N)) ] || fail "a file recorded twice"
for c in conf conf2; do
  s=$T/$c/spool/gip
  [ "$(count_files "$s/archive")" = "$N" ] || fail "$c: $(count_files "$s/archive") files in archive/"
  [ "$(find "$s/archive" -name '*.rapport.txt' | wc -l)" = "$N" ] || fail "$c: reports missing"
  [ "$(count_files "$s/incoming")" = 0 ] && [ "$(count_files "$s/processing")" = 0 ] &&
    [ "$(count_files "$s/rejected")" = 0 ] || fail "$c: files left outside archive/"
done
[ "$(sql "select count(*) from mail_queue where subject like 'relevé : fichier %accepté'")" = $((2 * N)) ] ||
  fail "receipts queued: $(sql 'select subject from mail_queue')"
dup=$(grep -h '^Message-ID:' "$SINK"/msg-*.eml | sort | uniq -d)
[ -z "$dup" ] || fail "delivered twice: $dup"
# No lost update: the files wrote the cell one after the other.
[ "$(sql 'select sum(added), sum(changed) from submissions')" = "1|$((2 * N - 1))" ] ||
  fail "added|changed: $(sql 'select name, added, changed, unchanged from submissions order by id')"
[ "$(sql "select count(*) from revisions where indicator = 'G01.1' and period = '2022'")" = $((2 * N)) ] ||
  fail "revisions of the cell: $(sql "select submission, value from revisions where indicator = 'G01.1'")"
[ "$(sql "select o.submission = (select max(id) from submissions) and o.value = r.value
          from observations o join revisions r using (indicator, period, geography, submission)
          where o.indicator = 'G01.1' and o.period = '2022' and o.geography = 'QPV'")" = t ] ||
  fail "the cell does not hold the last file's value: $(sql 'select * from observations')"

# A third daemon on the first one's spool tree.
python3 - "$T/conf3/releve.json" "$T/conf/spool" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["spool"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
rc=0
timeout 20 "$RELEVED" -c "$T/conf3/releve.json" >"$T/third.log" 2>&1 || rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "a third daemon on the same spool ran (rc $rc): $(cat "$T/third.log")"
grep -q "spool $T/conf/spool is served by another releved (pid $DPID)" "$T/third.log" ||
  fail "the refusal does not name the spool and its daemon: $(cat "$T/third.log")"

# An ingest that waits too long for its actor's lock: rolled back, retried.
kill -TERM "$D2"
wait_for 15 "! kill -0 $D2 2>/dev/null" || fail "the second daemon did not stop"
wait "$D2" || fail "the second daemon exited with $?"
before=$(grep -c 'ready:' "$LOG2")
PGOPTIONS='-c lock_timeout=300' "$RELEVED" -c "$CONF2" >>"$LOG2" 2>&1 &
D2=$!
wait_for 20 "[ \$(grep -c 'ready:' '$LOG2') -gt $before ]" || fail "the second daemon did not restart"
psql -X -q "$DB" -c "BEGIN; SELECT pg_advisory_xact_lock(hashtext('releve.ingest'), hashtext('gip'));
  SELECT pg_sleep(5); COMMIT" >/dev/null &
HOLDER=$!
sleep 1
drop_in "$T/conf2" "tard.csv" 500
wait_for 15 "grep -q 'gip/tard.csv: not stored (.*); left in processing/, retried' '$LOG2'" ||
  fail "the ingest did not fail on the held lock"
wait "$HOLDER" || fail "the lock holder failed"
wait_for 30 "[ \$(sql \"select count(*) from submissions where name = 'tard.csv'\") = 1 ]" ||
  fail "tard.csv not accepted after the lock was released"
wait_for 15 "test -f '$T/conf2/spool/gip/archive/tard.csv.rapport.txt'" || fail "tard.csv not archived"
[ "$(sql "select outcome, changed from submissions where name = 'tard.csv'")" = "accepted|1" ] ||
  fail "tard.csv: $(sql "select outcome, added, changed from submissions where name = 'tard.csv'")"
wait_for 15 "[ \$(received) = $((4 + 2 * N)) ]" || fail "$(received) mails after tard.csv"
[ "$(sql "select count(*) from mail_queue where subject = 'relevé : fichier tard.csv accepté'")" = 1 ] ||
  fail "tard.csv's receipt is not queued once"

stop_bg D2 "the second daemon"
stop_daemon
echo "two daemons on one PostgreSQL: one migration, 3 reminders once, $((2 * N)) files once, no lost update, shared spool refused, lock timeout retried: ok"
