#!/bin/bash
# A plugin whose recognise() crashes, spins or allocates without end
# (tests/plugins/recognise_bad.c), listed before a good reader, costs the
# file it judges and nothing else: the file goes to rejected/ with a report
# naming the plugin and what happened, releved goes on and serves the next
# file of another actor, and `releve ingest` reports the file instead of
# dying with the plugin.
. "$(dirname "$0")/lib.sh"
: "${BAD_RECOGNISE_PLUGINS:?}"
P=$T/plugins
mkdir -p "$P"
cp "$TEST_PLUGINS/crashtest.so" "$BAD_RECOGNISE_PLUGINS"/recognise_*.so "$P/"
chmod 0755 "$P"
make_config "
c['plugins'] = '$P'
c['daemon'].update(decode_timeout_seconds=2, decode_memory_mb=64)
bad = {'ars': 'recognise-crash', 'dasco': 'recognise-spin', 'dases': 'recognise-hog'}
c['actors'] = [a for a in c['actors'] if a['id'] in bad or a['id'] == 'caf']
for a in c['actors']:
    if a['id'] in bad:
        a.pop('plugin', None)
        a['plugins'] = [bad[a['id']], 'crashtest']
        a.pop('mapping', None)
        a.pop('options', None)
"
reason() { grep -F "$2" "$T/conf/spool/$1/rejected/$3.rapport.txt" >/dev/null ||
  fail "$1/$3: report without \"$2\": $(cat "$T/conf/spool/$1/rejected/$3.rapport.txt")"; }
bad_drop() {
  mkdir -p "$T/conf/spool/$1/incoming"
  figure 2019 2 > "$T/conf/spool/$1/incoming/.$2.part"
  mv "$T/conf/spool/$1/incoming/.$2.part" "$T/conf/spool/$1/incoming/$2"
}
start_daemon

bad_drop ars a.csv
wait_for 10 "test -f '$T/conf/spool/ars/rejected/a.csv.rapport.txt'" || fail "file judged by a crashing recognise() not refused"
reason ars "le module recognise-crash a échoué en reconnaissant le format du fichier : signal 11" a.csv
test -f "$T/conf/spool/ars/rejected/a.csv" || fail "the refused file was not kept beside its report"
kill -0 "$DPID" || fail "releved died with a crashing recognise()"
drop one.csv "$(figure 2019 1)"
wait_for 10 "test -f '$SPOOL/archive/one.csv.rapport.txt'" || fail "next file of another actor not served after the crash"

bad_drop dasco b.csv
wait_for 10 "test -f '$T/conf/spool/dasco/rejected/b.csv.rapport.txt'" || fail "file judged by a spinning recognise() not refused"
reason dasco "délai dépassé (2 s) : le module recognise-spin n'a pas fini de reconnaître le format du fichier" b.csv
drop two.csv "$(figure 2019 2)"
wait_for 10 "test -f '$SPOOL/archive/two.csv.rapport.txt'" || fail "next file of another actor not served after the timeout"

# RLIMIT_AS cannot apply under AddressSanitizer: the hog would take the
# machine's memory. Only tested without.
if ! grep -q asan < <(ldd "$RELEVED" 2>/dev/null); then
  bad_drop dases c.csv
  wait_for 10 "test -f '$T/conf/spool/dases/rejected/c.csv.rapport.txt'" || fail "file judged by a hungry recognise() not refused"
  reason dases "le module recognise-hog a échoué en reconnaissant le format du fichier" c.csv
  drop three.csv "$(figure 2019 5)"
  wait_for 10 "test -f '$SPOOL/archive/three.csv.rapport.txt'" || fail "next file not served after the memory hog"
fi
kill -0 "$DPID" || fail "releved died"
[ "$(sql "select value from observations where indicator='G04.1' and period='2019'")" != "" ] || fail "caf's figure not stored"
stop_daemon

# releve ingest judges in a child as well: it reports the file, it does not
# die with the plugin (a signal would give a status above 128).
figure 2019 3 > "$T/d.csv"
rc=0
"$RELEVE" -c "$CONF" ingest --dry-run --actor ars "$T/d.csv" >"$T/ingest.out" 2>&1 || rc=$?
[ "$rc" -gt 0 ] && [ "$rc" -lt 128 ] || fail "releve ingest exited with $rc: $(cat "$T/ingest.out")"
grep -qF "le module recognise-crash a échoué en reconnaissant le format du fichier : signal 11" "$T/ingest.out" ||
  fail "releve ingest: $(cat "$T/ingest.out")"
echo "recognise() crashing, spinning or hungry costs one file, never releved nor releve ingest: ok"
