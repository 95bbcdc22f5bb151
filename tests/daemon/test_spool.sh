#!/bin/bash
# The running daemon takes a file renamed into incoming/, stores its figures
# and archives it with its report; leaves upload names alone; recognises a
# file sent twice; refuses links, FIFOs and hard-linked files with a report
# and a receipt;
# tells systemd it is ready; reloads on SIGHUP, refusing a broken config;
# stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"
make_config

# A stand-in for systemd's notification socket.
NOTES=$T/notify.txt
python3 - "$T/notify.sock" "$NOTES" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
with open(sys.argv[2], "a") as out:
    try:
        while True:
            out.write(s.recv(4096).decode() + "\n")
            out.flush()
    except socket.timeout:
        pass
PY
NPID=$!
wait_for 5 "test -S '$T/notify.sock'" || fail "no notify socket"
NOTIFY_SOCKET=$T/notify.sock start_daemon
wait_for 5 "grep -q '^READY=1' '$NOTES'" || fail "no READY=1 sent"

# 1. A dropped file is archived with its report and stored, quickly.
t0=$(date +%s%N)
drop first.csv "$(figure 2019 12)"
wait_for 5 "test -f '$SPOOL/archive/first.csv.rapport.txt'" || fail "first.csv not archived"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt $((2000 * ${TIME_FACTOR:-1})) ] || fail "first.csv took $ms ms"
grep -q "ACCEPTÉ" "$SPOOL/archive/first.csv.rapport.txt" || fail "report does not say accepted"
[ "$(sql "select value from observations where indicator='G04.1' and period='2019' and geography='QPV'")" = 12 ] ||
  fail "figure not stored"
[ "$(sql "select outcome||' '||channel||' '||name from submissions")" = "accepted spool first.csv" ] ||
  fail "submission not recorded"
wait_for 5 "grep -q 'STATUS=1 accepted' '$NOTES'" || fail "no STATUS sent"

# 2. The same bytes again: archived (under a free name) as already received.
drop first.csv "$(figure 2019 12)"
wait_for 5 "test -f '$SPOOL/archive/first~2.csv.rapport.txt'" || fail "duplicate not archived"
grep -q "DÉJÀ REÇU" "$SPOOL/archive/first~2.csv.rapport.txt" || fail "duplicate report"
[ "$(sql 'select count(*) from submissions')" = 1 ] || fail "duplicate recorded twice"

# 3. An upload in progress is left alone until renamed.
figure 2018 7 > "$SPOOL/incoming/.x.part"
sleep 2.5 # longer than a rescan
[ -f "$SPOOL/incoming/.x.part" ] || fail ".x.part was touched"
mv "$SPOOL/incoming/.x.part" "$SPOOL/incoming/x.csv"
wait_for 5 "test -f '$SPOOL/archive/x.csv.rapport.txt'" || fail "x.csv not archived after rename"

# 4. Links, FIFOs and hard links are refused without being read.
figure 2017 5 > "$T/outside.csv"
ln -s "$T/outside.csv" "$SPOOL/incoming/lien.csv"
mkfifo "$SPOOL/incoming/tube.csv"
figure 2016 4 > "$T/hard.csv"
ln "$T/hard.csv" "$SPOOL/incoming/dur.csv"
wait_for 6 "test -f '$SPOOL/rejected/lien.csv.rapport.txt' -a -f '$SPOOL/rejected/tube.csv.rapport.txt' -a -f '$SPOOL/rejected/dur.csv.rapport.txt'" ||
  fail "link, FIFO or hard link not refused"
grep -q "lien symbolique refusé" "$SPOOL/rejected/lien.csv.rapport.txt" || fail "symlink report"
grep -q "ce n'est pas un fichier ordinaire" "$SPOOL/rejected/tube.csv.rapport.txt" || fail "FIFO report"
grep -q "fichier à liens multiples refusé" "$SPOOL/rejected/dur.csv.rapport.txt" || fail "hard link report"
# Each is recorded as refused and its partner told, once.
for f in lien.csv tube.csv dur.csv; do
  [ "$(sql "select count(*) from submissions where name = '$f' and outcome = 'refused'")" = 1 ] ||
    fail "$f not recorded as refused"
  [ "$(sql "select count(*) from mail_queue where replace(subject, ' $f ', '') <> subject")" = 1 ] ||
    fail "$f: no receipt, or more than one"
done
[ -L "$SPOOL/rejected/lien.csv" ] || fail "the symlink itself was not moved"
[ -p "$SPOOL/rejected/tube.csv" ] || fail "the FIFO was not moved"
[ -f "$T/outside.csv" ] || fail "the link target moved"
[ "$(sql "select count(*) from observations where period in ('2016','2017')")" = 0 ] ||
  fail "a refused file was stored"

# 5. SIGHUP: a broken configuration is refused and the old one kept.
cp "$CONF" "$T/good.json"
echo '{ "database": 1,' > "$CONF"
kill -HUP "$DPID"
wait_for 5 "grep -q 'reload refused' '$LOG'" || fail "broken reload not refused"
drop after-bad-reload.csv "$(figure 2020 20)"
wait_for 5 "test -f '$SPOOL/archive/after-bad-reload.csv.rapport.txt'" || fail "not serving after a refused reload"
cp "$T/good.json" "$CONF"
kill -HUP "$DPID"
wait_for 5 "grep -q 'reloaded:' '$LOG'" || fail "good reload not done"
wait_for 5 "grep -q '^RELOADING=1' '$NOTES'" || fail "no RELOADING=1 sent"
drop after-reload.csv "$(figure 2021 21)"
wait_for 5 "test -f '$SPOOL/archive/after-reload.csv.rapport.txt'" || fail "not serving after reload"

stop_daemon
wait_for 5 "grep -q '^STOPPING=1' '$NOTES'" || fail "no STOPPING=1 sent"
kill "$NPID" 2>/dev/null || true
[ "$(count_files "$SPOOL/processing")" = 0 ] || fail "files left in processing/"
echo "daemon spool/claim/refusals/notify/reload: ok"
