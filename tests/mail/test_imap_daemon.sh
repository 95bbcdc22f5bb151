#!/bin/bash
# releved polls a mailbox of a real Dovecot on 127.0.0.1: a partner's reply
# with the filled table attached, put into the INBOX, becomes a submission
# with channel "mail" and the reply's Message-ID; the message is marked
# \Seen only then; a later poll takes nothing; after a restart nothing is
# taken twice. A message from an unknown sender is quarantined, and marked
# too: it was durably taken.
. "$(dirname "$0")/lib.sh"
. "$HERE/../imapd.sh"
if ! have_imapd; then
  echo "skipped: dovecot not installed (dovecot-imapd)"
  exit 0
fi
: "${RELEVED:?}"
trap 'stop_imapd; cleanup' EXIT
start_imapd "$T/imapd"
printf 'releve:%s\n' "$IMAPD_PASSWORD" > "$T/login"
chmod 600 "$T/login"
# gip's tables are read by the collection table's reader first.
RECEIVE_CONFIG="c['mailboxes'] = [{'id': 'depot', 'url': '$IMAPD_URL/INBOX', 'credentials_file': '$T/login', 'schedule': '2s', 'retry_seconds': 1}]
for a in c['actors']:
    if a['id'] == 'gip':
        a.pop('plugin'); a['plugins'] = ['template', 'lines']"
. "$HERE/receive_lib.sh"
"$RELEVE" -c "$CONF" check-config >"$T/check.out" 2>&1 || fail "check-config: $(cat "$T/check.out")"

flags() { imap_cmd "UID FETCH $1 FLAGS" | sed -n 's/.*FLAGS \(([^)]*)\).*/\1/p'; }
polls() { grep -c "mailbox depot: $1" "$LOG" || true; }
wait_polls() {
  local n
  n=$(( $(polls "$1") + $2 ))
  wait_for 20 "[ \$(polls '$1') -ge $n ]" || fail "no $2 more \"$1\" lines"
}

# 1. The reply, by mail into the INBOX: stored with channel "mail", then marked.
PYXL=python3 # one that has openpyxl (Debian's, when python3 on PATH is another)
$PYXL -c 'import openpyxl' 2>/dev/null || PYXL=/usr/bin/python3
$PYXL "$SRC/tests/cli/fill_template.py" "$T/modele.xlsx" "$T/rempli.xlsx" >/dev/null ||
  fail "cannot fill the collection table"
write plain gip@gip.example.org "$GIP_TO" "$T/reply.eml" "$T/rempli.xlsx"
deliver "$T/reply.eml"
start_daemon
wait_for 30 "[ \"\$(sql \"select count(*) from submissions where channel = 'mail'\")\" = 1 ]" ||
  fail "the mailed table was not stored: $(sql 'select channel, outcome from submissions')"
[ "$(sql "select message_id || ' ' || outcome from submissions")" = "plain.1@partner.example accepted" ] ||
  fail "submission: $(sql 'select message_id, outcome from submissions')"
grep -q "mailbox depot: UID 1, message plain.1@partner.example of gip: 1 file(s) dropped" "$LOG" ||
  fail "the intake's outcome was not logged"
wait_polls "nothing new" 1
[ "$(flags 1)" = '(\Seen)' ] || fail "the message is not marked \\Seen: $(flags 1)"
[ "$(sql "select uid || ':' || outcome from imap_taken")" = "1:taken" ] || fail "UID not recorded"

# 2. A later poll takes nothing; a restart takes nothing twice.
wait_polls "nothing new" 1
stop_daemon
start_daemon
wait_polls "nothing new" 2
[ "$(sql "select count(*) from mail_messages")" = 1 ] || fail "a message was taken twice"
[ "$(sql "select count(*) from submissions")" = 1 ] || fail "a file was stored twice"

# 3. An unknown sender: quarantined (durably taken), so marked as well.
MSG_N=2 write plain intrus@ailleurs.example "$GIP_TO" "$T/intrus.eml" "$T/modele.xlsx"
deliver "$T/intrus.eml"
wait_for 20 "grep -q 'mailbox depot: UID 2, message plain.2@partner.example quarantined' '$LOG'" ||
  fail "the unknown sender was not quarantined"
wait_polls "nothing new" 1
[ "$(flags 2)" = '(\Seen)' ] || fail "the quarantined message is not marked: $(flags 2)"
[ "$(sql "select count(*) from submissions")" = 1 ] || fail "a quarantined message was stored"
stop_daemon
echo "ok"
