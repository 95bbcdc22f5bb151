#!/bin/bash
# `releve receive` exactly once across a crash: the message is recorded
# with its attachments before any file lands. Killed (by gdb) as it moves
# the first file into incoming/, it has left the record and no file; the
# MTA delivers the message again, and that run drops both files, once; a
# third delivery changes nothing. A database that cannot be opened is 75
# (EX_TEMPFAIL), with nothing kept.
. "$(dirname "$0")/lib.sh"
. "$HERE/receive_lib.sh"
command -v gdb >/dev/null || fail "gdb is needed (scripts/install-deps)"

sed "s/;3;/;4;/" "$T/gip.csv" >"$T/second.csv"
write plain gip@gip.example.org "$GIP_TO" "$T/two.eml" "$T/gip.csv" "$T/second.csv"
# The drop is the only renameat2 (RENAME_NOREPLACE) of a run: stop there, kill.
timeout 60 gdb -q -batch -ex 'break renameat2' -ex "run -c '$CONF' receive <'$T/two.eml'" \
  -ex 'kill' "$RELEVE" >"$T/gdb.out" 2>&1 || fail "gdb: $(tail -5 "$T/gdb.out")"
grep -q "killed" "$T/gdb.out" || fail "receive was not stopped at its drop: $(tail -5 "$T/gdb.out")"
[ "$(sql "select outcome || done from mail_messages")" = taken0 ] || fail "message not recorded as taken, unfinished"
[ "$(sql "select count(*) from mail_drops where dropped = 0")" = 2 ] || fail "drops not noted before the files land"
[ -z "$(ls -A "$INCOMING")" ] || fail "a file landed although rename failed: $(ls "$INCOMING")"

receive <"$T/two.eml"
[ "$RC" = 0 ] || fail "the second delivery exited $RC: $(cat "$T/receive.err")"
grep -q "2 fichiers déposés" "$T/receive.out" || fail "second delivery: $(cat "$T/receive.out")"
[ "$(ls "$INCOMING" | wc -l)" = 2 ] || fail "files after the second delivery: $(ls "$INCOMING")"
[ "$(sql "select outcome || done from mail_messages")" = taken1 ] || fail "message not finished"
receive <"$T/two.eml"
grep -q "déjà reçu" "$T/receive.out" || fail "third delivery: $(cat "$T/receive.out")"
[ "$(ls "$INCOMING" | wc -l)" = 2 ] || fail "a file dropped twice: $(ls "$INCOMING")"

# The database cannot be opened: 75, nothing dropped or quarantined.
python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["database"] = "/dev/null/releve.db"
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
MSG_N=2 write plain gip@gip.example.org "$GIP_TO" "$T/three.eml" "$T/gip.csv"
receive <"$T/three.eml"
[ "$RC" = 75 ] || fail "no database: exit $RC, not 75: $(cat "$T/receive.err")"
[ "$(ls "$INCOMING" | wc -l)" = 2 ] || fail "a file dropped without a database"
echo ok
