#!/bin/bash
# A partner uploads over SFTP as partners do (put to a temporary name, then
# rename) to a real sshd on 127.0.0.1:2222; the daemon takes the file once
# complete. Skipped when sshd is not installed.
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
if [ ! -x "$SSHD" ] || ! command -v sftp >/dev/null || ! command -v ssh-keygen >/dev/null; then
  echo "skipped: sshd/sftp not installed (openssh-server, openssh-client)"
  exit 0
fi
. "$(dirname "$0")/lib.sh"
make_config
start_daemon

S=$T/sshd
mkdir -p "$S" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$S/client_key"
cp "$S/client_key.pub" "$S/authorized_keys"
chmod 600 "$S/authorized_keys"
cat > "$S/sshd_config" <<CONF
ListenAddress 127.0.0.1:2222
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF
"$SSHD" -D -e -f "$S/sshd_config" 2>"$S/sshd.log" &
SPID=$!
trap 'kill $SPID 2>/dev/null || true; cleanup' EXIT
wait_for 10 "grep -q 'Server listening' '$S/sshd.log'" || { cat "$S/sshd.log" >&2; fail "sshd did not start"; }

figure 2019 42 > "$T/sftp.csv"
cat > "$S/batch" <<BATCH
cd $SPOOL/incoming
put $T/sftp.csv .sftp.csv.part
rename .sftp.csv.part sftp.csv
BATCH
timeout 20 sftp -b "$S/batch" -i "$S/client_key" -P 2222 -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o BatchMode=yes "$(id -un)@127.0.0.1" >"$S/sftp.log" 2>&1 ||
  { cat "$S/sftp.log" >&2; fail "sftp upload failed"; }
wait_for 5 "test -f '$SPOOL/archive/sftp.csv.rapport.txt'" || fail "uploaded file not archived"
[ "$(sql "select value from observations where period='2019'")" = 42.0 ] || fail "uploaded figure not stored"
[ ! -e "$SPOOL/rejected/.sftp.csv.part" ] || fail "the upload name was taken"
stop_daemon
echo "daemon SFTP upload (put to a temporary name, rename): ok"
