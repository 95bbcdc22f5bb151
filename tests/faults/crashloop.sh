#!/bin/bash
# Crash loop: files (valid, refused, large) are fed to releved while it is
# killed with SIGKILL at random moments and restarted. After the last
# restart has drained the spool, every input file must be in exactly one
# place (incoming, processing, archive or rejected), every accepted file's
# figures must be in SQLite exactly once, and the database intact.
#   KILLS=N (default 50)   SEED=S (default: random, printed on failure)
. "$(dirname "$0")/../daemon/lib.sh"
. "$(dirname "$0")/common.sh"
KILLS=${KILLS:-50}
SEED=${SEED:-$RANDOM}
RANDOM=$SEED
make_config
INPUT=$T/input
mkdir -p "$INPUT" "$SPOOL/incoming"
make_inputs "$INPUT" 400 10
mapfile -t FILES < <(ls "$INPUT")
next=0

drop_some() { # drop_some COUNT
  local k
  for ((k = 0; k < $1 && next < ${#FILES[@]}; k++, next++)); do
    cp "$INPUT/${FILES[next]}" "$SPOOL/incoming/.${FILES[next]}.part"
    mv "$SPOOL/incoming/.${FILES[next]}.part" "$SPOOL/incoming/${FILES[next]}"
  done
}

for ((kill = 1; kill <= KILLS; kill++)); do
  "$RELEVED" -c "$CONF" >>"$LOG" 2>&1 &
  DPID=$!
  drop_some $((1 + RANDOM % 12))
  # Anywhere from start-up to the middle of a batch.
  sleep "0.$(printf '%03d' $((RANDOM % 600)))"
  kill -9 "$DPID" 2>/dev/null || true
  wait "$DPID" 2>/dev/null || true
  DPID=
done
drop_some ${#FILES[@]}
start_daemon
wait_for 120 drained || fail "spool not drained (seed $SEED)"
stop_daemon
table_header
check_invariants "crash-loop/$KILLS" "$INPUT"
