#!/bin/bash
# Plugins that crash (constructor), abort (entry), exit or hang while being
# loaded (tests/plugins/load_*.c) sit beside the working one: check-config
# names each as an error, `releve plugins` lists them as refused, releved
# starts, serves files and reloads on SIGHUP with them there.
. "$(dirname "$0")/lib.sh"
: "${BAD_LOAD_PLUGINS:?}"
mkdir -p "$T/plugins"
cp "$TEST_PLUGINS/crashtest.so" "$BAD_LOAD_PLUGINS"/load_*.so "$T/plugins/"
chmod 0755 "$T/plugins"
make_config "
c['plugins'] = '$T/plugins'
c['actors'] = [a for a in c['actors'] if a['id'] == 'caf']
"
if "$RELEVE" -c "$CONF" check-config >"$T/check.out" 2>&1; then
  fail "check-config passed broken plugins: $(cat "$T/check.out")"
fi
for expect in "load_crash.so is broken: crashed while loading: signal 11" \
              "load_abort.so is broken: crashed while loading: signal 6" \
              "load_exit.so is broken: exited while loading (exit status 0)" \
              "load_hang.so is broken: did not finish loading within 5 s"; do
  grep -qF "$expect" "$T/check.out" || fail "check-config does not say \"$expect\": $(cat "$T/check.out")"
done
grep -q ": 4 errors" "$T/check.out" || fail "check-config: $(tail -n 1 "$T/check.out")"

"$RELEVE" -c "$CONF" plugins --json >"$T/plugins.json" 2>"$T/plugins.err" ||
  fail "releve plugins failed: $(cat "$T/plugins.err")"
python3 - "$T/plugins.json" <<'PY' || fail "releve plugins --json: $(cat "$T/plugins.json")"
import json, sys
j = json.load(open(sys.argv[1]))
text = json.dumps(j)
assert "crashtest" in text and text.count("while loading") == 3 and "did not finish loading" in text, text
PY

start_daemon
drop one.csv "$(figure 2019 1)"
wait_for 10 "test -f '$SPOOL/archive/one.csv.rapport.txt'" || fail "file not served beside broken plugins"
kill -HUP "$DPID"
wait_for 20 "grep -q 'reloaded:' '$LOG'" || fail "no reload"
kill -0 "$DPID" || fail "releved died on SIGHUP"
drop two.csv "$(figure 2019 2)"
wait_for 10 "test -f '$SPOOL/archive/two.csv.rapport.txt'" || fail "file not served after the reload"
[ "$(grep -c 'load_crash.so refused: crashed while loading' "$LOG")" = 2 ] || fail "the crash is not logged at start and reload"
stop_daemon
echo "plugins crashing, aborting, exiting and hanging while loading: check-config errors, releve plugins and releved unharmed: ok"
