#!/bin/bash
# Drop-to-commit latency of releved over 200 small files (p50, p99), then
# the CPU it uses while idle for 60 s. Not run by ctest.
#   RELEVE=… RELEVED=… TEST_PLUGINS=… tests/bench/latency.sh
# (from a build tree: RELEVE=build/daemon/releve RELEVED=build/daemon/releved
#  TEST_PLUGINS=build/tests/daemon-plugins)
. "$(dirname "$0")/../daemon/lib.sh"
make_config 'c["daemon"].update(rescan_seconds=60)'
start_daemon
N=${N:-200}
: > "$T/lat"
for i in $(seq "$N"); do
  figure 2019 "$i" "bench $i" > "$SPOOL/incoming/.b$i.part"
  t0=$(date +%s%N)
  mv "$SPOOL/incoming/.b$i.part" "$SPOOL/incoming/b$i.csv"
  wait_for 10 "test -f '$SPOOL/archive/b$i.csv.rapport.txt'" || fail "b$i.csv not archived"
  echo $(( ($(date +%s%N) - t0) / 1000 )) >> "$T/lat"
done
sort -n "$T/lat" | awk '{v[NR]=$1} END {
  printf "drop-to-commit over %d files: p50 %.1f ms, p99 %.1f ms (includes 50 ms polling)\n",
    NR, v[int(NR*0.50)]/1000, v[int(NR*0.99)]/1000 }'
ticks() { awk '{print $14 + $15}' "/proc/$DPID/stat"; }
c0=$(ticks); sleep "${IDLE:-60}"; c1=$(ticks)
echo "idle CPU over ${IDLE:-60} s: $(echo "scale=3; ($c1 - $c0) / $(getconf CLK_TCK)" | bc 2>/dev/null || echo "$((c1 - c0)) ticks") s"
stop_daemon
