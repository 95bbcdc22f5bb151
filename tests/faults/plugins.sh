#!/bin/bash
# Hostile plugins: releved runs beside plugins that crash or hang while
# being loaded, with an actor whose plugin is missing, and decodes files
# with a plugin that crashes, calls exit(0), floods its stdout/stderr
# (50 MiB) or takes 15 s over a file. Meanwhile `releve ingest` (another
# actor) and `releve remind` must not wait for the database; a SIGHUP must
# not hurt; the log must stay small; the missing plugin's file must wait in
# incoming/ with one notice to the coordinator; and every other input obeys
# the suite's invariants.
. "$(dirname "$0")/../daemon/lib.sh"
. "$(dirname "$0")/common.sh"
: "${BAD_LOAD_PLUGINS:?}"
P=$T/plugins
mkdir -p "$P"
cp "$TEST_PLUGINS/crashtest.so" "$BAD_LOAD_PLUGINS/load_crash.so" "$BAD_LOAD_PLUGINS/load_hang.so" "$P/"
chmod 0755 "$P"
make_config "
c['plugins'] = '$P'
c['daemon'].update(decode_timeout_seconds=60)
for a in c['actors']:
    if a['id'] == 'dasco':
        a['plugin'] = 'crashtest'
    if a['id'] == 'ars':
        a['plugin'] = 'nothere'
        a.pop('mapping', None)
        a.pop('options', None)
"
INPUT=$T/input
mkdir -p "$INPUT" "$SPOOL/incoming"
make_inputs "$INPUT" 40
# The plugin misbehaves by file name (crashtest.c): two refused files crash
# and exit, two valid ones flood the output and take 15 s.
cd "$INPUT"
set -- $(ls *-refused.csv | head -n 2)
mv "$1" "${1%-refused.csv}-crash-refused.csv"
mv "$2" "${2%-refused.csv}-exit-refused.csv"
set -- $(ls *-valid.csv | head -n 2)
mv "$1" "${1%-valid.csv}-noisy-valid.csv"
mv "$2" "${2%-valid.csv}-nap-valid.csv"
cd - >/dev/null
nap=$(ls "$INPUT" | grep nap)

start_daemon
log_before=$(stat -c %s "$LOG")
cp "$INPUT/$nap" "$SPOOL/incoming/.$nap.part" && mv "$SPOOL/incoming/.$nap.part" "$SPOOL/incoming/$nap"
wait_for 10 "test -f '$SPOOL/processing/$nap'" || fail "$nap not claimed"
sleep 1
printf '%s\nG08.1;x;2019;QPV;3;;;\n' "$HEADER" > "$T/dasco.csv"
t0=$(date +%s%N)
"$RELEVE" -c "$CONF" ingest --dry-run --actor dasco "$T/dasco.csv" >"$T/ingest.out" 2>&1 ||
  fail "releve ingest during a 15 s decode: $(cat "$T/ingest.out")"
t1=$(date +%s%N)
"$RELEVE" -c "$CONF" remind --date 2024-01-15 >"$T/remind.out" 2>&1 ||
  fail "releve remind during a 15 s decode: $(cat "$T/remind.out")"
t2=$(date +%s%N)
test -f "$SPOOL/processing/$nap" || fail "the 15 s decode was over before the commands ran"
mkdir -p "$T/conf/spool/ars/incoming"
printf 'x\n' > "$T/conf/spool/ars/incoming/ars.csv"
drop_all "$INPUT"
rm -f "$SPOOL/incoming/$nap" # already claimed, dropped once
kill -HUP "$DPID"
wait_for 180 "drained && grep -q 'reloaded:' '$LOG'" || fail "spool not drained"
kill -0 "$DPID" || fail "releved died"
stop_daemon
log_grown=$(( $(stat -c %s "$LOG") - log_before ))
notices=$(sql "select count(*) from mail_queue where subject like '%ars attendent%'")
table_header
check_invariants hostile-plugin "$INPUT"
test -f "$T/conf/spool/ars/incoming/ars.csv" || fail "the missing plugin's file left incoming/"
[ "$notices" = 1 ] || fail "$notices notices about the missing plugin, 1 expected"
grep -q "le module crashtest s'est arrêté (code de sortie 0) avant la fin du fichier" \
  "$SPOOL/rejected/"*-exit-refused.csv.rapport.txt || fail "exit(0) not reported as an exit"
[ "$log_grown" -lt 262144 ] || fail "the log grew by $log_grown bytes"
[ "$(grep -c 'load_crash.so refused: crashed while loading' "$LOG")" = 2 ] || fail "broken plugin not refused at start and reload"
# releve ingest loads the plugins too: the hanging one costs it the probe's 5 s.
printf 'hostile-plugin-figures: during a 15 s decode, releve ingest %d ms (5 s of it probing the hanging plugin), releve remind %d ms; log +%d KiB for 50 MiB of plugin output; %d waiting file, %d notice\n' \
  $(( (t1 - t0) / 1000000 )) $(( (t2 - t1) / 1000000 )) $(( log_grown / 1024 )) 1 "$notices"
