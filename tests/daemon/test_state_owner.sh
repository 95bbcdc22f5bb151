#!/bin/bash
# State ownership: the state folders belong to an unprivileged user (here
# "nobody", standing for the packaged "releve"). `releve ingest` and
# `releve remind` run as root before the daemon ever ran become that user,
# so everything they create (database, WAL, outbox, spool folders) is
# theirs, and `releved` started as that user on that state starts. A
# piece of state left owned by root makes releved refuse to start naming
# the path, its owner and the chown that mends it. Needs root.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "skipped: not root"; exit 0; }
getent passwd nobody >/dev/null || { echo "skipped: no user nobody"; exit 0; }
make_config
chmod 755 "$T"
chown -R nobody: "$T/conf"
# setpriv execs the command itself as nobody.
as_nobody=(setpriv --reuid=nobody --regid="$(id -g nobody)" --init-groups --)

figure 2019 7 > "$T/caf.csv"
"$RELEVE" -c "$CONF" ingest --actor caf "$T/caf.csv" > "$T/ingest.out" 2>&1 ||
  { cat "$T/ingest.out" >&2; fail "ingest as root"; }
"$RELEVE" -c "$CONF" remind --date 2024-04-15 > "$T/remind.out" 2>&1 ||
  { cat "$T/remind.out" >&2; fail "remind as root"; }
ls "$T/conf/var/outbox"/* >/dev/null 2>&1 || fail "remind queued no mail"
root_owned=$(find "$T/conf" -user root)
[ -z "$root_owned" ] || fail "left owned by root: $root_owned"

# The daemon, as the state's owner, starts on it and serves.
LOG=$T/releved.log
# exec in the background subshell: $DPID is releved's own pid.
(exec "${as_nobody[@]}" "$RELEVED" -c "$CONF") >>"$LOG" 2>&1 &
DPID=$!
wait_for 10 "grep -q 'ready:' '$LOG'" || fail "releved as nobody did not start"
stop_daemon

# A root-owned outbox (as an older relevé left it): refused, and said why.
rm -rf "$T/conf/var/outbox"
mkdir "$T/conf/var/outbox"
if timeout 20 "${as_nobody[@]}" "$RELEVED" -c "$CONF" --once > "$T/refused.log" 2>&1; then
  fail "releved started with a root-owned outbox"
fi
grep -q "state: $T/conf/var/outbox is owned by root (uid 0), mode 0755: user nobody cannot write it .*chown -R nobody: $T/conf/var/outbox" "$T/refused.log" ||
  { cat "$T/refused.log" >&2; fail "the refusal does not name the path and owner"; }
grep -q 'Invalid argument' "$T/refused.log" && fail "still says Invalid argument"
echo "root commands become the state's owner; releved starts as that user, or names what it cannot write: ok"
