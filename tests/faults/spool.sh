#!/bin/bash
# Spool faults: what a partner's names and uploads, or a broken server, do
# to the promise "every file once, mailed once, with its report".
#   stuck      files committed while archive/ is unusable (a file stands in
#              its place) for 5 rescans, then archive/ comes back
#   long-name  names of 233 to 252 bytes (their report's name is longer)
#   odd-name   names with a newline, a tab, an escape or bytes not UTF-8
#   in-place   files written in place, without a temporary name, in two
#              halves 1 s apart (the default quiet period makes the daemon
#              wait for the second)
#   lost-db    a restart on an empty database beside the spool's history
# Files are followed by their bytes (no two inputs share a figure), so the
# check holds whatever name a file ends under. Prints one row per case.
. "$(dirname "$0")/../daemon/lib.sh"
. "$(dirname "$0")/common.sh"
# The daemon's own quiet period, as `releve init` leaves it.
make_config 'c["daemon"].update(rescan_seconds=1); c["daemon"].pop("quiet_seconds", None)'
INPUT=$T/input
mkdir -p "$INPUT" "$SPOOL/incoming"
make_inputs "$INPUT" 80
mapfile -t FILES < <(ls "$INPUT")
group() { printf '%s\n' "${FILES[@]:$1:20}"; } # group K*20

# drop_as SRC NAME: by a temporary name and a rename, as partners are asked.
drop_as() { cp "$INPUT/$1" "$SPOOL/incoming/.tmp-upload.part" && mv "$SPOOL/incoming/.tmp-upload.part" "$SPOOL/incoming/$2"; }

: > "$T/names" # source name <TAB> case <TAB> name as dropped (python repr)
start_daemon

# stuck
mv "$SPOOL/archive" "$T/archive.real" && touch "$SPOOL/archive"
for f in $(group 0); do drop_as "$f" "$f"; printf '%s\tstuck\t%s\n' "$f" "'$f'" >> "$T/names"; done
wait_for 30 "[ \$(count_files '$SPOOL/incoming') = 0 ]" || fail "stuck: files not claimed"
sleep 5.5
stuck_receipts=$(sql "select count(*) from mail_queue")
rm "$SPOOL/archive" && mv "$T/archive.real" "$SPOOL/archive"

# long-name
i=0
for f in $(group 20); do
  long=$(python3 -c "import sys; print('x' * (233 + $i - len(sys.argv[1])) + sys.argv[1])" "$f")
  drop_as "$f" "$long"
  printf '%s\tlong-name\t%s\n' "$f" "'$long'" >> "$T/names"
  i=$((i + 1))
done

# odd-name
i=0
for f in $(group 40); do
  case $((i % 4)) in
    0) odd=$'\n'"<2>forged $f" ;;
    1) odd=$'\t'"$f" ;;
    2) odd=$'\e[31m'"$f" ;;
    3) odd=$'\xe9'"$f" ;;
  esac
  drop_as "$f" "$odd"
  printf '%s\todd-name\t%s\n' "$f" "$(python3 -c 'import sys; print(repr(sys.argv[1].encode("utf-8", "surrogateescape")))' "$odd")" >> "$T/names"
  i=$((i + 1))
done

# in-place
writers=()
for f in $(group 60); do
  python3 - "$INPUT/$f" "$SPOOL/incoming/$f" <<'PY' &
import sys, time
data = open(sys.argv[1], "rb").read()
half = data.find(b"\n", len(data) // 2) + 1 or len(data)
with open(sys.argv[2], "wb") as out:
    out.write(data[:half]); out.flush()
    time.sleep(1)
    out.write(data[half:])
PY
  writers+=($!)
  printf '%s\tin-place\t%s\n' "$f" "'$f'" >> "$T/names"
done
wait "${writers[@]}"
wait_for 120 drained || fail "spool not drained"
stop_daemon

# lost-db
db_aside
lost_rc=0
timeout 30 "$RELEVED" -c "$CONF" --once > "$T/lost.log" 2>&1 || lost_rc=$?
lost_said=$(grep -c "not recorded in the database" "$T/lost.log" || true)
db_back
timeout 30 "$RELEVED" -c "$CONF" --once > "$T/back.log" 2>&1 || fail "releved did not start on its own database again"

python3 - "$INPUT" "$SPOOL" "$DB" "$T/names" "$LOG" "$stuck_receipts" <<'PY'
import ast, hashlib, os, sqlite3, sys
inp, spool, dbp, names, log, stuck_receipts = sys.argv[1:7]
db = sqlite3.connect(dbp)
db.text_factory = bytes # a name may be anything a partner sent
subjects = [s for (s,) in db.execute("select subject from mail_queue")]
def sha(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()
where = {}  # sha256 -> [(dir, name)]
for d in ("incoming", "processing", "archive", "rejected"):
    for n in os.listdir(os.path.join(spool, d).encode()):
        p = os.path.join(spool.encode(), d.encode(), n)
        if n.startswith(b".") or n.endswith(b".rapport.txt") or not os.path.isfile(p):
            continue
        where.setdefault(sha(p), []).append((d, n))
rows = {}
forged = sum(1 for l in open(log, "rb") if l.startswith(b"<2>forged"))
bad = []
for line in open(names):
    src, case, dropped = line.rstrip("\n").split("\t")
    dropped = ast.literal_eval(dropped)
    dropped = dropped if isinstance(dropped, bytes) else dropped.encode()
    r = rows.setdefault(case, dict(files=0, lost=0, twice=0, misplaced=0, partial=0, unreported=0, receipts=0))
    r["files"] += 1
    h = sha(os.path.join(inp, src))
    places = where.get(h, [])
    r["lost"] += not places
    r["twice"] += len(places) > 1
    refused = src.endswith("-refused.csv") or case == "odd-name"
    want = "rejected" if refused else "archive"
    if not places or places[0][0] != want:
        r["misplaced"] += 1
    for d, n in places:
        if not os.path.exists(os.path.join(spool.encode(), d.encode(), n + b".rapport.txt")):
            r["unreported"] += 1
    subs = db.execute("select id, outcome, added + changed + unchanged from submissions where sha256 = ?", (h,)).fetchall()
    figures = sum(1 for l in open(os.path.join(inp, src)) if l[:1] != "i") - (1 if src.endswith("-refused.csv") else 0)
    if len(subs) != 1 or (subs[0][1] == b"accepted" and subs[0][2] != figures):
        r["partial"] += 1
    if subs:
        name = db.execute("select name from submissions where id = ?", (subs[0][0],)).fetchone()[0]
        n = sum(1 for s in subjects if b" " + name + b" " in s)
        r["receipts"] += n
        if n != 1:
            bad.append("%s: %d receipts" % (src, n))
integrity = db.execute("pragma integrity_check").fetchone()[0].decode()
print("%-10s %5s %4s %5s %9s %7s %10s %8s %9s" % ("case", "files", "lost", "twice", "misplaced", "partial", "unreported", "receipts", "integrity"))
ok = integrity == "ok" and forged == 0 and not bad
for case, r in rows.items():
    print("spool-%-9s %5d %4d %5d %9d %7d %10d %8d %9s" % (case, r["files"], r["lost"], r["twice"], r["misplaced"], r["partial"], r["unreported"], r["receipts"], integrity))
    ok = ok and r["lost"] == r["twice"] == r["misplaced"] == r["partial"] == r["unreported"] == 0 and r["receipts"] == r["files"]
print("spool-stuck: %s receipts for %d files while stuck for 5 rescans; forged log lines: %d" % (stuck_receipts, rows["stuck"]["files"], forged))
for b in bad: print("FAIL:", b)
sys.exit(0 if ok else 1)
PY
[ "$stuck_receipts" = 20 ] || fail "stuck: $stuck_receipts receipts for 20 files over 5 rescans"
[ "$lost_rc" != 0 ] && [ "$lost_said" -ge 1 ] || fail "lost-db: releved ran (rc $lost_rc) on a database without the spool's history"
echo "spool-lost-db: refused to start on an empty database beside 80 settled files (exit $lost_rc), started again on its own"
