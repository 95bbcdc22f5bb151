#!/bin/bash
# A partner uploads over SFTP as partners do (put to a temporary name, then
# rename) to a real sshd on 127.0.0.1 (tests/sshd.sh); the daemon takes the
# file once complete. Skipped when sshd is not installed.
. "$(dirname "$0")/../sshd.sh"
if ! have_sshd; then
  echo "skipped: sshd/sftp not installed (openssh-server, openssh-client)"
  exit 0
fi
. "$(dirname "$0")/lib.sh"
make_config
start_daemon

S=$T/sshd
start_sshd "$S"
trap 'kill $SSHD_PID 2>/dev/null || true; cleanup' EXIT

figure 2019 42 > "$T/sftp.csv"
cat > "$S/batch" <<BATCH
cd $SPOOL/incoming
put $T/sftp.csv .sftp.csv.part
rename .sftp.csv.part sftp.csv
BATCH
timeout 20 sftp -b "$S/batch" -i "$S/client_key" -P "$SSHD_PORT" -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o BatchMode=yes "$(id -un)@127.0.0.1" >"$S/sftp.log" 2>&1 ||
  { cat "$S/sftp.log" >&2; fail "sftp upload failed"; }
wait_for 5 "test -f '$SPOOL/archive/sftp.csv.rapport.txt'" || fail "uploaded file not archived"
[ "$(sql "select value from observations where period='2019'")" = 42 ] || fail "uploaded figure not stored"
[ ! -e "$SPOOL/rejected/.sftp.csv.part" ] || fail "the upload name was taken"
stop_daemon
echo "daemon SFTP upload (put to a temporary name, rename): ok"
