#!/bin/bash
# A mailbox polled over IMAP from a real Dovecot on 127.0.0.1: check-config
# explains a wrong entry; new mail is handed over whole, once, then marked
# \Seen; a later poll takes nothing, nor does a restart; with move_to the
# message leaves the INBOX; a new UIDVALIDITY makes every message offered
# again; over imaps:// the server's certificate is checked against ca_file.
. "$(dirname "$0")/lib.sh"

start_imapd "$T/imapd"
make_config "$IMAPD_URL/INBOX"
R() { "$RELEVE" -c "$CONF" "$@"; }
R check-config >"$T/check.out" 2>&1 || fail "check-config refused the mailbox: $(cat "$T/check.out")"

# 1. check-config names each wrong key and says what is right.
cp "$CONF" "$T/good.json"
python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
m = c["mailboxes"][0]
c["mailboxes"] = [
    dict(m, url="https://127.0.0.1/INBOX"),
    dict(m, id="sans-login", credentials_file=None),
    dict(m, id="depot", schedule="every day"),
    dict(m, id="x", url="imaps://user:pw@127.0.0.1/INBOX", speed=3),
]
del c["mailboxes"][1]["credentials_file"]
json.dump(c, open(sys.argv[1], "w"))
PY
if R check-config >"$T/check.out" 2>&1; then fail "check-config accepted wrong mailboxes"; fi
for want in 'mailboxes\[0\].url: error: scheme "https" is not allowed; imaps:// (or imap://) is expected' \
            'mailboxes\[1\].credentials_file: error: is required' \
            'mailboxes\[2\].schedule: error:' \
            'mailboxes\[3\].url: error: holds a user name or password' \
            'mailboxes\[3\].speed: error: unknown key'; do
  grep -q "$want" "$T/check.out" || fail "check-config did not say /$want/: $(cat "$T/check.out")"
done
cp "$T/good.json" "$CONF"

# 2. Two new messages: handed over whole, in UID order, then marked \Seen.
put 1
put 2
start_poll
wait_for 20 "[ \$(taken) -ge 2 ]" || fail "the two messages were not taken"
wait_polls "nothing new" 1
for n in 1 2; do
  # The server gives the message with CRLF line ends.
  tr -d '\r' < "$OUT/000$n.eml" | cmp -s - "$T/msg$n.eml" ||
    fail "message $n was not handed over whole"
  [ "$(flags $n)" = '(\Seen)' ] || fail "message $n is not marked \\Seen: $(flags $n)"
done
DB=$T/conf/var/releve.db
[ "$(sql "SELECT group_concat(uid || ':' || outcome) FROM (SELECT * FROM imap_taken ORDER BY uid)")" = "1:taken,2:taken" ] ||
  fail "the UIDs taken are not recorded: $(sql 'SELECT * FROM imap_taken')"

# 3. Later polls take nothing; a third message is taken alone.
wait_polls "nothing new" 2
[ "$(taken)" = 2 ] || fail "a later poll took a message again"
put 3
wait_for 20 "[ \$(taken) -ge 3 ]" || fail "the third message was not taken"
grep -q 'Message-ID: <3@partner.test>' "$OUT/0003.eml" || fail "0003.eml is not message 3"

# 4. After a restart, nothing twice: polls run and take nothing.
stop_poll
start_poll
wait_polls "nothing new" 2
[ "$(taken)" = 3 ] || fail "a restart took a message again"
stop_poll

# 5. With move_to, a taken message is moved out of the INBOX.
imap_cmd 'CREATE Traites' "" >/dev/null
edit() {
  python3 - "$CONF" "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
m = c["mailboxes"][0]
exec(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"))
PY
}
edit 'm["move_to"] = "Traites"'
put 4
start_poll
wait_for 20 "[ \$(taken) -ge 4 ]" || fail "message 4 was not taken"
wait_polls "nothing new" 1
[ "$(imap_cmd 'UID SEARCH ALL')" = "* SEARCH 1 2 3" ] ||
  fail "message 4 is still in the INBOX: $(imap_cmd 'UID SEARCH ALL')"
imap_cmd 'UID FETCH 1:* BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]' Traites > "$T/moved"
[ -s "$T/moved" ] || fail "Traites holds nothing"
stop_poll

# 6. A new UIDVALIDITY (the server's index rebuilt): the UIDs taken before are
# forgotten and each message still in the INBOX is offered again.
stop_imapd
rm -f "$IMAPD_MAILDIR"/dovecot*
restart_imapd "$T/imapd"
edit 'm.pop("move_to")'
start_poll
wait_for 20 "[ \$(taken) -ge 7 ]" || fail "a new UIDVALIDITY did not offer the messages again"
grep -q 'mailbox depot: UIDVALIDITY is now [0-9]*; the UIDs taken before are forgotten' "$LOG" ||
  fail "the new UIDVALIDITY was not logged"
wait_polls "nothing new" 1
[ "$(taken)" = 7 ] || fail "after the new UIDVALIDITY, $(taken) messages instead of 7"
stop_poll
stop_imapd

# 7. imaps://: the server's certificate must chain to ca_file.
d=$T/tls
mkdir -p "$d"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=releve test CA" \
  -keyout "$d/ca.key" -out "$d/ca.pem" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$d/ext.cnf"
openssl x509 -req -days 2 -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
  -CAcreateserial -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
chmod o+r "$d/server.key" "$d/server.pem"
chmod o+x "$d"
start_imapd "$T/imaps" "$d/server.pem" "$d/server.key" "$d/ca.pem"
rm -rf "$OUT" "$T/conf"
make_config "$IMAPD_URL/INBOX" 'm["ca_file"] = "'"$d/ca.pem"'"'
DB=$T/conf/var/releve.db
put 1
start_poll
wait_for 20 "[ \$(taken) -ge 1 ]" || fail "the message was not taken over imaps://"
stop_poll
edit 'm.pop("ca_file")'
put 2
start_poll
wait_polls "poll failed" 1
grep -q 'mailbox depot: poll failed (1 in a row): .*[Cc]ertificate' "$LOG" ||
  fail "an unknown certificate was not refused"
[ "$(taken)" = 1 ] || fail "a message was taken from an unchecked server"
stop_poll
echo "ok"
