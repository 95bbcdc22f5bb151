#!/bin/bash
# The pipe path through a real mail server: a private Postfix instance
# (its own config_directory, queue_directory and data_directory in the
# test folder, SMTP on a free loopback port) routes the reply address, with
# recipient_delimiter = +, to a pipe(8) transport running `releve receive
# -f ${sender} -t ${recipient}`, as docs/mail-admin.md says. A partner's
# reply sent over SMTP lands in the actor's incoming/; releved ingests it
# and the receipt goes back through the loopback SMTP server (smtpd.py),
# in the thread.
. "$(dirname "$0")/lib.sh"
: "${RELEVED:?}"
command -v postfix >/dev/null || fail "postfix is needed (scripts/install-deps)"
start_smtp accept
RECEIVE_CONFIG="c['mail'].update(smtp='smtp://127.0.0.1:%s/releve.test' % port, starttls=False)"
. "$HERE/receive_lib.sh"

PF=$T/postfix
PF_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$PF/etc" "$PF/queue" "$PF/data"
chown postfix "$PF/data"
fail_logs() {
  echo "--- Postfix log"
  cat "$PF/maillog" 2>/dev/null | tail -n 30
  [ -f "$SINK/log" ] && { echo "--- SMTP server answers"; cat "$SINK/log"; }
  return 0
}
pf_stop() { postfix -c "$PF/etc" stop >/dev/null 2>&1 || true; cleanup; }
trap pf_stop EXIT

# pipe(8) never runs a command as root: the daemon's user here is nobody,
# who must reach the build's binary and own the test's state (the plugin
# folder stays root's: plugins are loaded only from a folder nobody else owns).
chmod 755 "$T"
chown -R nobody "$T/conf"
# On SQLite the test's own queries run as nobody too: a WAL index made by
# root would leave the database read-only to releve receive.
case $DB in
  postgresql://*) ;;
  *) sql() { runuser -u nobody -- sqlite3 -cmd '.timeout 5000' "$DB" "$1"; } ;;
esac
cat >"$PF/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
maillog_file = $PF/maillog
maillog_file_prefixes = $T
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.paris.example.org
mydestination = paris.example.org
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
recipient_delimiter = +
transport_maps = texthash:$PF/etc/transport
local_recipient_maps =
alias_maps =
alias_database =
smtputf8_enable = yes
releve_destination_recipient_limit = 1
CF
echo "depot@paris.example.org releve:" >"$PF/etc/transport"
# The distribution's services, none chrooted (the chroot would need its
# own copies of system files), SMTP on the free port, and relevé's pipe.
awk -v port="$PF_PORT" '
  /^smtp[ \t]+inet/ { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
  /^[a-z]/ { $5 = "n" } { print }' /etc/postfix/master.cf >"$PF/etc/master.cf"
cat >>"$PF/etc/master.cf" <<CF
releve    unix  -       n       n       -       1       pipe
  flags=q user=nobody argv=$RELEVE -c $CONF receive -f \${sender} -t \${recipient}
CF
postfix -c "$PF/etc" check >"$T/pf.check" 2>&1 || fail "postfix check: $(cat "$T/pf.check")"
postfix -c "$PF/etc" start >"$T/pf.start" 2>&1 || fail "postfix start: $(cat "$T/pf.start")"

write plain gip@gip.example.org "$GIP_TO" "$T/reply.eml" "$T/gip.csv"
python3 - "$PF_PORT" "$GIP_TO" "$T/reply.eml" <<'PY' || fail "the partner's SMTP submission failed"
import smtplib, sys, time
port, to, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for _ in range(100):  # Postfix's smtpd may take a moment to listen
    try:
        s = smtplib.SMTP("127.0.0.1", port, timeout=10)
        break
    except OSError:
        time.sleep(0.1)
s.sendmail("gip@gip.example.org", [to], open(path, "rb").read())
s.quit()
PY
wait_for 30 "[ -f '$INCOMING/gip.csv' ]" || fail "Postfix did not deliver to releve receive: $(ls -R "$T/conf/spool/gip" 2>&1)"
# The file lands before releve receive exits and Postfix logs the delivery.
wait_for 10 "grep -q 'status=sent (delivered via releve service' '$PF/maillog'" ||
  fail "not delivered through the pipe transport"
[ "$(sql "select actor || ' ' || outcome from mail_messages")" = "gip taken" ] || fail "message not recorded"

# A made-up token through the same path: quarantined, the delivery still a success.
fake="depot+gip.$(printf 'b%.0s' $(seq 26))@paris.example.org"
MSG_N=2 write plain gip@gip.example.org "$fake" "$T/fake.eml" "$T/gip.csv"
python3 -c '
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10)
s.sendmail("gip@gip.example.org", [sys.argv[2]], open(sys.argv[3], "rb").read()); s.quit()' \
  "$PF_PORT" "$fake" "$T/fake.eml" || fail "second SMTP submission failed"
wait_for 30 "[ \"\$(sql \"select count(*) from mail_messages where outcome = 'quarantined'\")\" = 1 ]" ||
  fail "the made-up token was not quarantined"

start_daemon
wait_for 30 "[ \$(received) -ge 1 ] && grep -lq 'In-Reply-To: <plain.1@partner.example>' \$(find '$SINK' -name 'msg-*.eml')" ||
  fail "no receipt in the thread reached the SMTP server ($(received) mails)"
stop_daemon
[ "$(sql "select channel from submissions")" = mail ] || fail "submission channel: $(sql 'select channel from submissions')"
echo ok
