#!/bin/bash
# 1000 small files dropped in a burst are all ingested; files dropped while
# the daemon is stopped are all ingested when it starts again.
. "$(dirname "$0")/lib.sh"
make_config
start_daemon

N=1000
mkdir "$T/stage"
for i in $(seq $N); do figure 2019 12 "lot $i" > "$T/stage/f$i.csv"; done
# Same file system: rename() in, all at once. (Not mv: GNU mv may stat a
# file after moving it, and the daemon can have claimed it by then.)
python3 -c 'import os, sys
for f in os.listdir(sys.argv[1]): os.rename(os.path.join(sys.argv[1], f), os.path.join(sys.argv[2], f))' \
  "$T/stage" "$SPOOL/incoming"
wait_for 240 "[ \$(count_files '$SPOOL/archive') -ge $N ]" ||
  fail "only $(count_files "$SPOOL/archive") of $N archived"
[ "$(sql "select count(*) from submissions where outcome='accepted'")" = $N ] ||
  fail "expected $N accepted submissions, got $(sql 'select count(*) from submissions')"
[ "$(count_files "$SPOOL/incoming")" = 0 ] || fail "files left in incoming/"
stop_daemon

# Stopped: drop, then start.
for i in $(seq 20); do figure 2018 $i > "$SPOOL/incoming/later$i.csv"; done
start_daemon
wait_for 20 "[ \$(count_files '$SPOOL/archive') -ge $((N + 20)) ]" || fail "files dropped while stopped not ingested"
[ "$(sql "select count(*) from submissions where outcome='accepted'")" = $((N + 20)) ] || fail "submission count"
stop_daemon
echo "daemon burst of $N files and start-up scan: ok"
