#!/bin/bash
# Failures of a polled mailbox against a real Dovecot on 127.0.0.1: a wrong
# password and a server that is down are each logged once per failed poll,
# retried on the backoff (failures in a row recorded, kept across a
# restart), and nothing is lost once the server answers again; a message
# the intake cannot take now is not marked, and is taken at a later poll.
. "$(dirname "$0")/lib.sh"

start_imapd "$T/imapd"
make_config "$IMAPD_URL/INBOX" 'm.update(schedule="1h", timeout_seconds=5)'
DB=$T/conf/var/releve.db

# 1. A wrong password: each failed poll is one line, retried after 1 s, 2 s…
printf 'releve:wrong\n' > "$T/login"
put 1
start_poll
wait_for 20 "grep -q 'poll failed (2 in a row)' '$LOG'" || fail "the login failure was not retried"
grep -q "mailbox depot: poll failed (1 in a row): .*[Ll]ogin.*; next attempt in 1 s" "$LOG" ||
  fail "the login failure was not explained"
grep -q "mailbox depot: poll failed (2 in a row): .*; next attempt in 2 s" "$LOG" ||
  fail "the retry did not back off"
[ "$(grep -c 'poll failed (1 in a row)' "$LOG")" = 1 ] || fail "one failure logged twice"
[ "$(taken)" = 0 ] || fail "a message was taken with a wrong password"
grep -q "$IMAPD_PASSWORD\|wrong" "$LOG" && fail "the log shows a password"
stop_poll
[ "$(sql "SELECT failures >= 2 FROM imap_folders WHERE mailbox = 'depot'")" = 1 ] ||
  fail "the failures are not recorded: $(sql 'SELECT * FROM imap_folders')"

# 2. The right password, read at the next poll: the failures in a row survive
# the restart (the retry is due at once), then the message is taken.
printf 'releve:%s\n' "$IMAPD_PASSWORD" > "$T/login"
start_poll
wait_for 20 "[ \$(taken) -ge 1 ]" || fail "the message was not taken once the password was right"
[ "$(sql "SELECT failures FROM imap_folders WHERE mailbox = 'depot'")" = 0 ] ||
  fail "a good poll did not reset the failures"
stop_poll

# 3. The server down: logged, retried; once it is back, the message that came
# meanwhile is taken.
edit_schedule() {
  python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["mailboxes"][0]["schedule"] = "2s"
json.dump(c, open(sys.argv[1], "w"))
PY
}
edit_schedule
stop_imapd
put 2
LOG=$T/poll-down.log
start_poll
wait_for 20 "grep -q 'poll failed (2 in a row): .*127.0.0.1' '$LOG'" ||
  fail "a server that is down was not retried"
grep -q "mailbox depot: poll failed (1 in a row): .*[Cc]onnect" "$LOG" ||
  fail "a server that is down was not explained"
restart_imapd "$T/imapd"
wait_for 20 "[ \$(taken) -ge 2 ]" || fail "the message was not taken once the server was back"
grep -q 'Message-ID: <2@partner.test>' "$OUT/0002.eml" || fail "0002.eml is not message 2"

# 4. The intake cannot take a message now: it is left unread and taken at a
# later poll, once.
touch "$OUT/refuse"
put 3
wait_for 20 "grep -q 'message UID 3 not taken (Resource temporarily unavailable): left unread' '$LOG'" ||
  fail "a refused message was not logged"
[ "$(flags 3)" = '()' ] || fail "a refused message is marked: $(flags 3)"
[ "$(sql "SELECT count(*) FROM imap_taken WHERE uid = 3")" = 0 ] || fail "a refused UID was recorded"
wait_polls "poll failed" 1
[ "$(taken)" = 2 ] || fail "a refused message was kept"
rm "$OUT/refuse"
wait_for 20 "[ \$(taken) -ge 3 ]" || fail "a refused message was not taken later"
wait_polls "nothing new" 1
[ "$(taken)" = 3 ] || fail "a refused message was taken twice"
[ "$(flags 3)" = '(\Seen)' ] || fail "message 3 is not marked once taken: $(flags 3)"
stop_poll
echo "ok"
