#!/bin/bash
# `releve pull` over SFTP from a real sshd on 127.0.0.1, logging in with a
# key: check-config explains a key without its account, a key beside a
# password and a key on an https:// source; a pull drops the file; the same
# file again is recognised and not dropped twice; a server whose key is not
# the one in known_hosts is refused with a reason; releved --once then
# stores the figure. Skipped without sshd or when libcurl has no SFTP.
. "$(dirname "$0")/../sshd.sh"
if ! have_sshd; then
  echo "skipped: sshd/sftp not installed (openssh-server, openssh-client)"
  exit 0
fi
. "$(dirname "$0")/lib.sh"

S=$T/sshd
start_sshd "$S"
SPID=$SSHD_PID
PORT=$SSHD_PORT
mkdir -p "$T/remote"
ssh-keygen -q -t ed25519 -N '' -f "$S/other_host_key"
ssh-keyscan -p "$PORT" 127.0.0.1 2>/dev/null > "$T/known_hosts"
[ -s "$T/known_hosts" ] || fail "ssh-keyscan found no host key"
# The same host and port, but another key: what a spoofed server shows.
sed "s|^\(\[127.0.0.1\]:$PORT\) .*|\1 $(cut -d' ' -f1,2 "$S/other_host_key.pub")|" \
  "$T/known_hosts" > "$T/wrong_known_hosts"
figure 2019 7 > "$T/remote/caf.csv"

URL=sftp://127.0.0.1:$PORT$T/remote/caf.csv
make_config "[
  {\"id\": \"caf-sftp\", \"actor\": \"caf\", \"url\": \"$URL\", \"schedule\": \"1d\",
   \"known_hosts\": \"$T/known_hosts\", \"private_key\": \"$S/client_key\", \"user\": \"$(id -un)\"},
  {\"id\": \"caf-spoofed\", \"actor\": \"caf\", \"url\": \"$URL\", \"schedule\": \"1d\",
   \"known_hosts\": \"$T/wrong_known_hosts\", \"private_key\": \"$S/client_key\",
   \"user\": \"$(id -un)\", \"file_name\": \"spoofed.csv\"}
]"
R() { "$RELEVE" -c "$CONF" "$@"; }
if ! R check-config >"$T/check.out" 2>&1; then
  if grep -q "no libssh2" "$T/check.out"; then echo "skipped: this libcurl has no SFTP"; exit 0; fi
  fail "check-config refused the SFTP sources: $(cat "$T/check.out")"
fi

# 1. check-config explains what a key login needs.
cp "$CONF" "$T/good.json"
printf 'user:secret\n' > "$T/creds"
chmod 600 "$T/creds"
edit_config "del c['sources'][0]['user']; c['sources'][1]['credentials_file'] = '$T/creds'
c['sources'].append({'id': 'caf-https-key', 'actor': 'caf', 'url': 'https://example.org/x.csv',
                     'schedule': '1d', 'private_key': c['sources'][0]['private_key']})"
if R check-config >"$T/check.out" 2>&1; then fail "check-config accepted broken SFTP sources"; fi
grep -q 'sources\[0\].user: error: is required with private_key' "$T/check.out" ||
  fail "missing user not explained: $(cat "$T/check.out")"
grep -q 'sources\[1\].private_key: error: and credentials_file are both set' "$T/check.out" ||
  fail "key and password not explained: $(cat "$T/check.out")"
grep -q 'sources\[2\].private_key: error: applies to sftp:// URLs only' "$T/check.out" ||
  fail "key on https not explained: $(cat "$T/check.out")"
cp "$T/good.json" "$CONF"

# 2. The pull logs in with the key and drops the file.
R pull caf-sftp >"$T/out" 2>&1 || fail "sftp pull failed: $(cat "$T/out")"
grep -q "^caf-sftp: dropped $SPOOL/incoming/caf.csv (" "$T/out" || fail "sftp pull: $(cat "$T/out")"
cmp -s "$SPOOL/incoming/caf.csv" "$T/remote/caf.csv" || fail "dropped file differs from the remote one"
grep -q "Accepted publickey for $(id -un)" "$S/sshd.log" || fail "no key login in the sshd log"

# 3. The same file again: recognised, not dropped twice.
R pull caf-sftp >"$T/out" 2>&1 || fail "second sftp pull failed: $(cat "$T/out")"
grep -q "^caf-sftp: unchanged (same sha256" "$T/out" || fail "second sftp pull: $(cat "$T/out")"
[ "$(count_files "$SPOOL/incoming")" = 1 ] || fail "an identical file was dropped again"

# 4. A host key that is not the known one: refused, nothing dropped.
if R pull caf-spoofed >"$T/out" 2>&1; then fail "a server with an unknown host key was trusted"; fi
grep -q "^caf-spoofed: failed (1 in a row): host key check failed: the server's key is not the one in $T/wrong_known_hosts" \
  "$T/out" || fail "spoofed: $(cat "$T/out")"
[ ! -e "$SPOOL/incoming/spoofed.csv" ] || fail "a file from the spoofed server was dropped"

# 5. The daemon stores what the pull dropped.
"$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"
[ "$(sql "select value from observations where indicator='G04.1' and period='2019' and geography='QPV'")" = 7 ] ||
  fail "the pulled figure was not stored"
[ "$(sql "select channel from submissions where name='caf.csv'")" = poll ] || fail "not recorded as pulled"
echo "releve pull over sftp with a key: drop, unchanged, host key check, check-config: ok"
