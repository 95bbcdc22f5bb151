#!/bin/bash
# Disk full: the database and the spool live on a small tmpfs that a filler
# file fills up while partners keep dropping files. Nothing may be lost or
# half-stored; once space is back the daemon ingests everything.
. "$(dirname "$0")/../daemon/lib.sh"
. "$(dirname "$0")/common.sh"
MNT=$T/fs
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null; then
  echo "skipped: cannot mount a tmpfs here (needs root)"
  exit 0
fi
trap 'umount -l "$MNT" 2>/dev/null; cleanup' EXIT
make_config "c['database'] = '$MNT/releve.db'; c['spool'] = '$MNT/spool'"
SPOOL=$MNT/spool/caf
DB=$MNT/releve.db
INPUT=$T/input
mkdir -p "$INPUT" "$SPOOL/incoming"
make_inputs "$INPUT" 60
start_daemon
# Fill the disk, then leave a sliver: small uploads still fit, but the
# database's journal soon does not.
dd if=/dev/zero of="$MNT/filler" bs=64k count=1000 2>/dev/null || true
truncate -s -48K "$MNT/filler"
drop_all "$INPUT"
sleep 3
grep -q "No space left\|database or disk is full\|cannot be ingested now\|not stored" "$LOG" ||
  echo "note: the daemon met no full disk in this run"
# Space back; files that could not even be copied in are dropped again,
# as a partner would after a failed upload.
rm -f "$MNT/filler" "$SPOOL"/incoming/.*.part
for f in $(ls "$INPUT"); do
  found=0
  for d in incoming processing archive rejected; do [ -e "$SPOOL/$d/$f" ] && found=1; done
  if [ $found = 0 ]; then
    cp "$INPUT/$f" "$SPOOL/incoming/.$f.part" && mv "$SPOOL/incoming/.$f.part" "$SPOOL/incoming/$f"
  fi
done
wait_for 60 drained || fail "spool not drained once space was back"
stop_daemon
table_header
check_invariants disk-full "$INPUT"
