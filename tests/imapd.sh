# imapd.sh -- a real Dovecot IMAP server on 127.0.0.1 for the mailbox tests
# (sourced after a lib.sh that defines fail and wait_for).
#
# have_imapd: whether dovecot (dovecot-imapd) is installed.
# start_imapd DIR [CERT KEY CA]: writes a private dovecot.conf in DIR (its own
# base_dir, a passwd-file with the user "releve" whose password is in
# DIR/password, the mailbox a maildir under DIR/mail), listens on a free
# port of 127.0.0.1 — with TLS from the first byte (imaps) when a
# certificate and its key are given, else in clear (imap) — and waits for
# it. Sets IMAPD_PORT, IMAPD_PID, IMAPD_MAILDIR and IMAPD_PASSWORD;
# stop_imapd stops it, restart_imapd DIR starts it again on the same port.
# deliver FILE: puts one message into the user's INBOX as new mail.
# imap_cmd COMMAND [FOLDER]: one command as the test user (curl), its
# untagged answers on stdout.
DOVECOT=$(command -v dovecot || echo /usr/sbin/dovecot)

have_imapd() { [ -x "$DOVECOT" ]; }

start_imapd() {
  local d=$1 cert=${2:-} key=${3:-} listen ssl
  mkdir -p "$d/base" "$d/mail"
  IMAPD_MAILDIR=$d/mail/Maildir
  mkdir -p "$IMAPD_MAILDIR/cur" "$IMAPD_MAILDIR/new" "$IMAPD_MAILDIR/tmp"
  IMAPD_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -c 'import secrets; print(secrets.token_hex(12))' > "$d/password"
  # Dovecot never gives mail to UID 0: run as root, the mailbox belongs to
  # nobody, who may cross (not list) the folders above it.
  IMAPD_UID=$(id -u) IMAPD_GID=$(id -g)
  if [ "$IMAPD_UID" = 0 ]; then
    IMAPD_UID=$(id -u nobody) IMAPD_GID=$(id -g nobody)
    chown -R "$IMAPD_UID:$IMAPD_GID" "$d/mail"
    chmod o+x "$d" "$(dirname "$d")"
  fi
  printf 'releve:{PLAIN}%s:%s:%s::%s\n' "$(cat "$d/password")" "$IMAPD_UID" "$IMAPD_GID" \
    "$d/mail" > "$d/users"
  if [ -n "$cert" ]; then
    ssl="ssl = required
ssl_cert = <$cert
ssl_key = <$key"
    listen="inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPD_PORT
    ssl = yes
  }"
  else
    ssl="ssl = no"
    listen="inet_listener imap {
    address = 127.0.0.1
    port = $IMAPD_PORT
  }
  inet_listener imaps {
    port = 0
  }"
  fi
  cat > "$d/dovecot.conf" <<CONF
base_dir = $d/base
state_dir = $d/base/state
instance_name = releve-test-$IMAPD_PORT
protocols = imap
listen = 127.0.0.1
log_path = $d/dovecot.log
info_log_path = $d/dovecot.log
disable_plaintext_auth = no
auth_mechanisms = plain login
$ssl
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/users
}
service imap-login {
  $listen
}
# The test folder is the caller's (mode 0700): the processes that read the
# passwd-file and the maildir run as the caller too.
service auth {
  user = $(id -un)
}
service auth-worker {
  user = $(id -un)
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
CONF
  IMAPD_PASSWORD=$(cat "$d/password")
  IMAPD_URL=$([ -n "$cert" ] && echo imaps || echo imap)://127.0.0.1:$IMAPD_PORT
  IMAPD_CA=${4:-}
  restart_imapd "$d"
}

restart_imapd() {
  local d=$1
  "$DOVECOT" -F -c "$d/dovecot.conf" 2>>"$d/dovecot.err" &
  IMAPD_PID=$!
  wait_for 10 "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $IMAPD_PORT), 1)' 2>/dev/null" ||
    fail "dovecot did not start: $(cat "$d/dovecot.err" "$d/dovecot.log" 2>/dev/null)"
}

stop_imapd() {
  if [ -n "${IMAPD_PID:-}" ] && kill -0 "$IMAPD_PID" 2>/dev/null; then
    kill -TERM "$IMAPD_PID" 2>/dev/null || true
    wait "$IMAPD_PID" 2>/dev/null || true
  fi
  IMAPD_PID=
}

deliver() {
  local name
  # Dovecot gives UIDs in the order of the names: a counter keeps the order
  # of delivery within a second.
  IMAPD_SEQ=$(( ${IMAPD_SEQ:-0} + 1 ))
  name=$(date +%s).M$(printf %06d "$IMAPD_SEQ")P$$.releve-test
  cp "$1" "$IMAPD_MAILDIR/tmp/$name"
  chown "$IMAPD_UID:$IMAPD_GID" "$IMAPD_MAILDIR/tmp/$name"
  mv "$IMAPD_MAILDIR/tmp/$name" "$IMAPD_MAILDIR/new/$name"
}

imap_cmd() {
  curl -sS ${IMAPD_CA:+--cacert "$IMAPD_CA"} -u "releve:$IMAPD_PASSWORD" \
    "$IMAPD_URL/${2-INBOX}" -X "$1" | tr -d '\r'
}
