# sshd.sh -- a real OpenSSH server on 127.0.0.1 for the SFTP tests
# (sourced after a lib.sh that defines T, fail and wait_for).
#
# have_sshd: whether sshd and the OpenSSH client tools are installed.
# start_sshd DIR: makes a host key and a client key (DIR/client_key, allowed
# to log in as the current user), starts sshd with SFTP on a free port of
# 127.0.0.1 and waits for it. Sets SSHD_PORT and SSHD_PID; the caller stops
# it.
SSHD=$(command -v sshd || echo /usr/sbin/sshd)

have_sshd() {
  [ -x "$SSHD" ] && command -v sftp >/dev/null && command -v ssh-keygen >/dev/null &&
    command -v ssh-keyscan >/dev/null
}

start_sshd() {
  local d=$1
  mkdir -p "$d" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$d/client_key"
  cp "$d/client_key.pub" "$d/authorized_keys"
  chmod 600 "$d/authorized_keys"
  SSHD_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$d/sshd_config" <<CONF
ListenAddress 127.0.0.1:$SSHD_PORT
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF
  "$SSHD" -D -e -f "$d/sshd_config" 2>"$d/sshd.log" &
  SSHD_PID=$!
  wait_for 10 "grep -q 'Server listening' '$d/sshd.log'" || fail "sshd did not start: $(cat "$d/sshd.log")"
}
