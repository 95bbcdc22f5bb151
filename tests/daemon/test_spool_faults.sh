#!/bin/bash
# Spool faults found from outside, each made here with real files:
#   1. a committed file that cannot leave processing/ (archive/ unusable) is
#      mailed once, however many rescans pass, and settled once it can;
#   2. a file claimed as name~2 and left in processing/ by a crash gets no
#      second receipt;
#   3. a name too long for its report is archived under a cut name with its
#      report; at start-up a missing report is rewritten and a leftover
#      temporary report removed;
#   4. a name with a newline or invalid UTF-8 is refused under a safe name,
#      its report and the log escape it (no forged log line);
#   5. a file written in place while it is read is not stored in part;
#   6. a database that lost the spool's history stops the start;
#   7. releved gives line:col for a configuration's JSON error.
. "$(dirname "$0")/lib.sh"
make_config
receipts() { sql "select count(*) from mail_queue where replace(subject, ' $1 ', '') <> subject"; }
no_report() {
  find "$SPOOL/archive" "$SPOOL/rejected" -maxdepth 1 -type f ! -name '.*' ! -name '*.rapport.txt' |
    while IFS= read -r f; do [ -e "$f.rapport.txt" ] || echo "$f"; done | wc -l
}
start_daemon

# 1. archive/ unusable (a file stands in its place): stuck.csv is recorded
# and stays in processing/ over several rescans, with one receipt.
mv "$SPOOL/archive" "$T/archive.real"
touch "$SPOOL/archive"
drop stuck.csv "$(figure 2019 41)"
wait_for 5 "[ \"\$(sql \"select count(*) from submissions where name = 'stuck.csv'\")\" = 1 ]" ||
  fail "stuck.csv not recorded"
sleep 7 # three rescans
[ -f "$SPOOL/processing/stuck.csv" ] || fail "stuck.csv left processing/ with archive/ unusable"
[ "$(receipts stuck.csv)" = 1 ] || fail "stuck.csv: $(receipts stuck.csv) receipts after 3 rescans"
rm "$SPOOL/archive"
mv "$T/archive.real" "$SPOOL/archive"
wait_for 5 "test -f '$SPOOL/archive/stuck.csv' -a -f '$SPOOL/archive/stuck.csv.rapport.txt'" ||
  fail "stuck.csv not archived once archive/ is back"
grep -q "ACCEPTÉ" "$SPOOL/archive/stuck.csv.rapport.txt" || fail "stuck.csv: not its recorded report"
[ "$(receipts stuck.csv)" = 1 ] || fail "stuck.csv: $(receipts stuck.csv) receipts"

# 3. A 240-byte name: cut to fit its report.
long=$(printf 'r%.0s' $(seq 236)).csv
drop "$long" "$(figure 2018 42)"
wait_for 5 "[ \"\$(sql \"select count(*) from submissions where name = '$long'\")\" = 1 ]" ||
  fail "the long name was not recorded"
wait_for 5 "[ \$(find '$SPOOL/archive' -name 'rrr*~1.csv.rapport.txt' | wc -l) = 1 ]" ||
  fail "the long name has no report: $(ls "$SPOOL/archive" "$SPOOL/processing")"
grep -q "Fichier : $long" "$SPOOL/archive/"rrr*~1.csv.rapport.txt || fail "the report does not give the name as sent"

# 4. A newline that would forge a log line, and bytes that are not UTF-8.
drop $'evil.csv\n<2>forged line' "$(figure 2017 43)"
drop $'caf\xe9.csv' "$(figure 2016 44)"
wait_for 5 "test -f '$SPOOL/rejected/evil.csv_<2>forged line.rapport.txt' -a -f '$SPOOL/rejected/caf_.csv.rapport.txt'" ||
  fail "odd names not refused under safe names: $(ls "$SPOOL/rejected")"
grep -q 'Fichier : evil.csv\\x0a<2>forged line' "$SPOOL/rejected/evil.csv_<2>forged line.rapport.txt" ||
  fail "the newline is not escaped in the report"
grep -q 'Fichier : caf\\xe9.csv' "$SPOOL/rejected/caf_.csv.rapport.txt" || fail "the byte is not escaped in the report"
grep -q "nom de fichier refusé" "$SPOOL/rejected/caf_.csv.rapport.txt" || fail "no reason given"
! grep -q '^<2>forged' "$LOG" || fail "a log line was forged"
grep -q 'evil.csv\\x0a<2>forged line' "$LOG" || fail "the name is not escaped in the log"
[ "$(sql "select count(*) from observations where period in ('2016', '2017')")" = 0 ] ||
  fail "a refused file was stored"
[ "$(receipts 'caf\xe9.csv')" = 1 ] || fail "caf\\xe9.csv: no receipt"

# 5. Written in place, without a temporary name: 1,000 rows, then 10 rows
# every 10 ms ("slow" makes the test plugin take 2 ms per 10 rows, so any
# read outlasts the pauses of the writer): whatever is claimed mid-write
# goes back to incoming/, and only the whole is stored.
python3 - "$SPOOL/incoming/slow-inplace.csv" "$HEADER" <<'PY'
import sys, time
ind = "G04.1 G07.1 G15.1 G24.1 G24.2 G25.1 G25.2 G25.3 G26.1 G27.1 G28.1 G32.1 G33.1 G34.1 G35.1 G48.1 G58.2 H04.1 H05.1 H07.1 H07.2 H13.1".split()
geo = ["751%02d" % i for i in range(1, 21)] + ["QPV", "QVA"]
rows = ["%s;x;%d;%s;%d;;;\n" % (i, y, g, 7) for i in ind for y in range(2015, 2024) for g in geo][:3000]
with open(sys.argv[1], "w") as f:
    f.write(sys.argv[2] + "\n" + "".join(rows[:1000]))
    f.flush()
    for k in range(1000, len(rows), 10):
        f.write("".join(rows[k:k + 10]))
        f.flush()
        time.sleep(0.01)
PY
wait_for 30 "test -f '$SPOOL/archive/slow-inplace.csv.rapport.txt'" || fail "slow-inplace.csv not archived"
[ "$(sql "select count(*) from submissions where name = 'slow-inplace.csv'")" = 1 ] ||
  fail "slow-inplace.csv recorded $(sql "select count(*) from submissions where name = 'slow-inplace.csv'") times"
[ "$(sql "select added + changed + unchanged from submissions where name = 'slow-inplace.csv'")" = 3000 ] ||
  fail "slow-inplace.csv stored in part: $(sql "select added from submissions where name = 'slow-inplace.csv'") of 3000"
grep -q 'slow-inplace.csv: written to while it was read' "$LOG" || fail "the file was not caught mid-write"
stop_daemon
mails=$(sql "select count(*) from mail_queue")

# 2. As if a crash had left stuck.csv in processing/ under the name it was
# claimed as when stuck.csv was taken there.
mv "$SPOOL/archive/stuck.csv" "$SPOOL/processing/stuck~2.csv"
rm "$SPOOL/archive/stuck.csv.rapport.txt"
# 3. A report lost in a crash, and a temporary one left behind.
rm "$SPOOL/archive/slow-inplace.csv.rapport.txt"
echo partial > "$SPOOL/archive/.slow-inplace.csv.rapport.txt.4242.tmp"
start_daemon
wait_for 5 "test -f '$SPOOL/archive/stuck~2.csv.rapport.txt'" || fail "stuck~2.csv not settled"
[ "$(sql "select count(*) from mail_queue")" = "$mails" ] ||
  fail "stuck~2.csv: mailed again: $(sql "select subject from mail_queue order by id desc limit 1")"
[ "$(sql "select count(*) from submissions where name like 'stuck%'")" = 1 ] || fail "stuck~2.csv recorded again"
grep -q "ACCEPTÉ" "$SPOOL/archive/slow-inplace.csv.rapport.txt" || fail "the lost report was not rewritten"
[ ! -e "$SPOOL/archive/.slow-inplace.csv.rapport.txt.4242.tmp" ] || fail "the temporary report was left"
[ "$(no_report)" = 0 ] || fail "$(no_report) settled files without their report"
[ "$(sql "select count(*) from submissions s where (select count(*) from mail_queue o where replace(o.subject, ' ' || s.name || ' ', '') <> o.subject) <> 1")" = 0 ] ||
  fail "a recorded file without exactly one receipt"
stop_daemon

# 6. The database lost its history (here: a new one): releved refuses to
# start and says what to do; with the database back it starts.
db_aside || fail "cannot set the database aside"
if timeout 20 "$RELEVED" -c "$CONF" --once > "$T/lost.log" 2>&1; then fail "releved ran on a database without the spool's history"; fi
grep -q "not recorded in the database" "$T/lost.log" || fail "no reason given: $(cat "$T/lost.log")"
grep -q "Restore the database" "$T/lost.log" || fail "nothing said about what to do"
db_back || fail "cannot put the database back"
timeout 20 "$RELEVED" -c "$CONF" --once > "$T/back.log" 2>&1 || fail "releved did not start with its database: $(cat "$T/back.log")"

# 7. A JSON error in the configuration, with its line and column.
printf '{\n  "database": 1,\n' > "$T/broken.json"
if "$RELEVED" -c "$T/broken.json" --once > "$T/broken.log" 2>&1; then fail "releved ran on a broken configuration"; fi
grep -q "broken.json:3:" "$T/broken.log" || fail "no line:col: $(cat "$T/broken.log")"
echo "daemon spool faults (stuck file, name~2, long names, odd names, in-place writes, lost database, config line:col): ok"
