#!/bin/bash
# I/O errors: releved runs under libfiu (fiu-run -x), which makes pwrite,
# fsync and rename fail at random; the daemon must lose nothing and store
# nothing twice or in part, and serve everything once the faults stop.
. "$(dirname "$0")/../daemon/lib.sh"
. "$(dirname "$0")/common.sh"
if ! command -v fiu-run >/dev/null; then
  echo "skipped: fiu-run is not installed (Debian package fiu-utils)"
  exit 0
fi
make_config
INPUT=$T/input
mkdir -p "$INPUT" "$SPOOL/incoming"
make_inputs "$INPUT" 80
table_header >"$T/table"
round=0
for p in 0.01 0.05 0.2; do
  round=$((round + 1))
  mkdir -p "$T/round$round"
  ls "$INPUT" | sed -n "$(( (round - 1) * 27 + 1 )),$(( round * 27 ))p" |
    while read -r f; do cp "$INPUT/$f" "$T/round$round/"; done
  fiu-run -x -f "" \
    -c "enable_random name=posix/io/rw/pwrite,probability=$p" \
    -c "enable_random name=posix/io/sync/fsync,probability=$p" \
    -c "enable_random name=posix/io/dir/rename,probability=$p" \
    "$RELEVED" -c "$CONF" >>"$LOG" 2>&1 &
  DPID=$!
  sleep 1
  drop_all "$T/round$round"
  sleep 4
  kill -9 "$DPID" 2>/dev/null || true
  wait "$DPID" 2>/dev/null || true
  DPID=
  faults=$(grep -c "error" "$LOG" || true)
  echo "round $round: p=$p, $faults error lines so far" >&2
done
# Faults off: the daemon takes up what was left and everything settles.
timeout 120 "$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "--once after the faults failed"
drained || fail "spool not drained after the faults"
table_header
check_invariants libfiu "$INPUT"
