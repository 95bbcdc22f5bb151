#!/bin/bash
# A server problem is not charged to the partner: an actor whose plugin is
# missing, built for another ABI or group-writable has its files wait in
# incoming/ (none refused), check-config says so as an error, the
# coordinator gets one mail per actor through the outbox (not one per
# file, not again after a restart), `releve status` lists the actor, and
# the files are taken once the plugin is put right and releved reloaded.
. "$(dirname "$0")/lib.sh"
: "${LINES_PLUGINS:?}"
P=$T/plugins
mkdir -p "$P"
cp "$TEST_PLUGINS/crashtest.so" "$LINES_PLUGINS/bad_abi.so" "$LINES_PLUGINS/lines.so" "$P/"
chmod 0755 "$P"
chmod 0775 "$P/lines.so"
make_config "
c['plugins'] = '$P'
keep = {'caf': 'nothere', 'dasco': 'bad-abi', 'ars': 'lines'}
c['actors'] = [a for a in c['actors'] if a['id'] in keep]
for a in c['actors']:
    a['plugin'] = keep[a['id']]
    a.pop('mapping', None)
    a.pop('options', None)
"
index() { python3 -c "import json,sys; print([a['id'] for a in json.load(open('$CONF'))['actors']].index('$1'))"; }
if "$RELEVE" -c "$CONF" check-config >"$T/check.out" 2>&1; then fail "check-config passed: $(cat "$T/check.out")"; fi
grep -q "actors\[$(index caf)\].plugin: error: actor \"caf\": no plugin \"nothere\" in $P .*its files would wait in incoming/" "$T/check.out" || fail "missing plugin: $(cat "$T/check.out")"
grep -q "actors\[$(index dasco)\].plugin: error: actor \"dasco\": plugin \"bad-abi\" refused (.*bad_abi.so: ABI 2" "$T/check.out" || fail "wrong ABI: $(cat "$T/check.out")"
grep -q "actors\[$(index ars)\].plugin: error: actor \"ars\": plugin \"lines\" refused (.*lines.so: writable by group or others)" "$T/check.out" || fail "group-writable: $(cat "$T/check.out")"

# releve ingest refuses to read rather than refusing the file.
if "$RELEVE" -c "$CONF" ingest --actor caf /dev/null >"$T/ingest.out" 2>&1; then fail "releve ingest read with no plugin"; fi
grep -q 'no plugin "nothere"' "$T/ingest.out" || fail "releve ingest: $(cat "$T/ingest.out")"

notices() { sql "select count(*) from mail_queue where subject like '%attendent%' and recipients like '%coordination%'"; }
start_daemon
drop a.csv "$(figure 2019 1)"
mkdir -p "$T/conf/spool/dasco/incoming" "$T/conf/spool/ars/incoming"
printf '%s\nG08.1;x;2019;QPV;3;;;\n' "$HEADER" > "$T/conf/spool/dasco/incoming/d.csv"
printf 'x\n' > "$T/conf/spool/ars/incoming/r.csv"
wait_for 10 "[ \$(grep -c 'waits in incoming/.*the coordinator is told' '$LOG') = 3 ]" || fail "files not held"
drop b.csv "$(figure 2019 2)"
sleep 3 # past a rescan (2 s)
test -f "$SPOOL/incoming/b.csv" || fail "second caf file not held in incoming/"
[ "$(notices)" = 3 ] || fail "$(notices) notices to the coordinator, 3 expected (one per actor)"
"$RELEVE" -c "$CONF" status >"$T/status.out" || fail "releve status failed"
grep -q 'caf (module « nothere ») : 2 fichiers dans incoming/' "$T/status.out" || fail "status: $(cat "$T/status.out")"
"$RELEVE" -c "$CONF" status --json | python3 -c '
import json, sys
f = {r["actor"]: r for r in json.load(sys.stdin)["plugin_faults"]}
assert sorted(f) == ["ars", "caf", "dasco"], f
assert f["caf"]["waiting"] == 2 and f["dasco"]["waiting"] == 1, f
assert "ABI 2" in f["dasco"]["problem"], f' || fail "status --json plugin_faults"

# A restart mails nobody again; a file in processing/ goes back to incoming/.
stop_daemon
mv "$SPOOL/incoming/b.csv" "$SPOOL/processing/b.csv"
start_daemon
wait_for 10 "test -f '$SPOOL/incoming/b.csv'" || fail "b.csv not moved back from processing/"
sleep 1
[ "$(notices)" = 3 ] || fail "a restart mailed the coordinator again ($(notices) notices)"
[ "$(count_files "$SPOOL/rejected")" = 0 ] && [ "$(find "$T/conf/spool" -path '*rejected/*' | wc -l)" = 0 ] ||
  fail "a file was rejected for the server's problem"

# The plugin put right: a reload takes the waiting files.
python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for a in c["actors"]:
    if a["id"] == "caf":
        a["plugin"] = "crashtest"
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
kill -HUP "$DPID"
wait_for 15 "test -f '$SPOOL/archive/a.csv.rapport.txt' && test -f '$SPOOL/archive/b.csv.rapport.txt'" ||
  fail "waiting files not taken after the plugin was put right"
grep -q '1 actor served again' "$LOG" || fail "no log of the fault's end"
faults=$(sql_joined , "select actor from plugin_faults order by actor")
[ "$faults" = "ars,dasco" ] || fail "faults left: $faults"
test -f "$T/conf/spool/dasco/incoming/d.csv" || fail "dasco's file left incoming/"
stop_daemon
echo "missing, wrong-ABI and group-writable plugins: files wait, check-config errors, 3 notices for 4 files, status lists them: ok"
