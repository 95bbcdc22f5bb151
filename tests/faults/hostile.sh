#!/bin/bash
# Hostile input: for every partner plugin, broken files (its own broken
# fixtures plus generated ones: binary, a 10 MB single line, 100,000
# columns, 100,000 nested JSON arrays, empty, only a BOM, truncated) go
# through the real releved. Each must end in rejected/ with a report, the
# daemon must go on serving (a valid file dropped last is archived), and
# its memory must stay bounded. The Mission Locale's plugin reads personal
# data: its refused files are deleted and only their reports are kept.
. "$(dirname "$0")/../daemon/lib.sh"
: "${PLUGINS:?}"
[ -f "$PLUGINS/caf.so" ] || { echo "skipped: partner plugins not built"; exit 0; }
# Every actor on its own partner plugin, as `releve init` writes them (not
# caf on the test plugin, which is not in this folder: its files would wait).
make_config "c['plugins'] = '$PLUGINS'; c['daemon'].update(decode_timeout_seconds=20)
c['actors'] = json.load(open(p))['actors']"
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
GEN=$T/gen
mkdir -p "$GEN"
python3 - "$GEN" <<'PY'
import os, sys
g = sys.argv[1]
def w(name, data):
    with open(os.path.join(g, name), "wb") as f:
        f.write(data)
w("binary.csv", bytes(range(256)) * 4096)
w("one-line-10mb.csv", b"x;" * (5 * 1024 * 1024))
w("columns-100k.csv", (";".join("c%d" % i for i in range(100000)) + "\n").encode())
w("empty.csv", b"")
w("bom-only.csv", b"\xef\xbb\xbf")
w("nested.json", b"[" * 100000 + b"]" * 100000)
w("truncated.json", b'[{"idDossier": "1", "adresse": {"numero": "12", "libelleVoie": "rue')
PY
n=0
personal=0
for actor in caf pole-emploi academie mission-locale dasco; do
  plugin_dir=$actor; [ $actor = dasco ] && plugin_dir=template
  mkdir -p "$T/conf/spool/$actor/incoming"
  for f in "$SRC_DIR/plugins/$plugin_dir/fixtures/"broken_* "$GEN"/*; do
    [ -f "$f" ] || continue
    name="h$n-$(basename "$f")"
    n=$((n + 1))
    [ $actor = mission-locale ] && personal=$((personal + 1))
    cp "$f" "$T/conf/spool/$actor/incoming/.$name.part"
    mv "$T/conf/spool/$actor/incoming/.$name.part" "$T/conf/spool/$actor/incoming/$name"
  done
done
start_daemon
peak=0
deadline=$(( $(date +%s) + 240 ))
while :; do
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$DPID/status" 2>/dev/null || echo 0)
  [ "${rss:-0}" -gt "$peak" ] && peak=$rss
  left=$(find "$T/conf/spool"/*/incoming "$T/conf/spool"/*/processing -maxdepth 1 -type f -name 'h*' | wc -l)
  [ "$left" = 0 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || fail "$left hostile files still waiting"
  sleep 0.2
done
refused=$(find "$T/conf/spool"/*/rejected -maxdepth 1 -type f -name 'h*' ! -name '*.rapport.txt' | wc -l)
reports=$(find "$T/conf/spool"/*/rejected -maxdepth 1 -type f -name 'h*.rapport.txt' | wc -l)
accepted=$(find "$T/conf/spool"/*/archive -maxdepth 1 -type f -name 'h*' ! -name '*.rapport.txt' | wc -l)
# The daemon still serves: a valid template for the DASCO.
printf '%s\nG08.1;x;2019;QPV;3;;;\n' "$HEADER" > "$T/ok.csv"
mv "$T/ok.csv" "$T/conf/spool/dasco/incoming/ok.csv"
wait_for 30 "test -f '$T/conf/spool/dasco/archive/ok.csv.rapport.txt'" || fail "the daemon stopped serving"
kill -0 "$DPID" || fail "releved died"
stop_daemon
printf '%-14s %6s %8s %8s %9s %12s\n' scenario files refused reports accepted "peak RSS"
printf '%-14s %6d %8d %8d %9d %9d KiB\n' hostile-input "$n" "$refused" "$reports" "$accepted" "$peak"
[ "$refused" = $((n - personal)) ] && [ "$reports" = "$n" ] ||
  fail "$n hostile files ($personal personal), $refused kept refused with $reports reports, $accepted accepted"
[ -z "$(find "$T/conf/spool/mission-locale" -type f -name 'h*' ! -name '*.rapport.txt')" ] ||
  fail "a personal-data file was kept"
# AddressSanitizer keeps freed memory in quarantine (256 MiB by default):
# the bound is looser under it.
limit=262144
[ "${RELEVE_SANITIZE:-OFF}" = ON ] && limit=786432
[ "$peak" -lt "$limit" ] || fail "peak RSS $peak KiB (limit $limit KiB)"
