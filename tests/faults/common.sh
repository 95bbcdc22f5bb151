# common.sh -- what the fault scenarios share (sourced after
# ../daemon/lib.sh): a batch of input files whose figures never overlap,
# and the invariant check run after every scenario.

# make_inputs DIR COUNT [LARGE_PERCENT]: up to COUNT files, valid (one to
# five figures each), refused (an unknown indicator) and, if asked, large
# (200 to 400 figures); writes DIR/../expected (figures of the accepted
# ones). No two files share a cell, so each accepted file adds exactly its
# own figures.
make_inputs() {
  python3 - "$1" "$2" "${3:-0}" <<'PY'
import random, sys
out, count, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(count)
ind = "G04.1 G07.1 G15.1 G24.1 G24.2 G25.1 G25.2 G25.3 G26.1 G27.1 G28.1 G32.1 G33.1 G34.1 G35.1 G48.1 G58.2 H04.1 H05.1 H07.1 H07.2 H13.1".split()
geo = ["751%02d" % i for i in range(1, 21)] + ["PARIS", "QP", "QPV", "QVA"]
cells = [(i, y, g) for i in ind for y in range(2015, 2024) for g in geo]
rnd.shuffle(cells)
# Parts stay below their totals (QPV, QVA < QP < PARIS), as relevé checks.
def value(g):
    return {"PARIS": 1000000, "QP": 100000}.get(g, 0) + rnd.randrange(1000)
head = "indicateur;libelle;periode;geographie;valeur;part;statut;commentaire\n"
expected = 0
for n in range(1, count + 1):
    if not cells:
        break
    kind = rnd.choices(["valid", "refused", "large"], [80 - large, 20, large])[0]
    take = 1 + rnd.randrange(5) if kind != "large" else 200 + rnd.randrange(200)
    part, cells = cells[:take], cells[take:]
    lines = ["%s;x;%d;%s;%d;;;\n" % (i, y, g, value(g)) for i, y, g in part]
    if kind == "refused":
        lines.append("Z99.9;x;2019;QPV;1;;;\n")
    else:
        expected += len(lines)
    with open("%s/%04d-%s.csv" % (out, n, kind), "w") as f:
        f.write(head + "".join(lines))
open(out + "/../expected", "w").write("%d\n" % expected)
PY
}

# check_invariants NAME INPUT_DIR: every input file in exactly one place and
# the right one, every valid file's figures stored once, every recorded
# file's receipt queued exactly once and no file ever mailed twice, every
# archived or rejected file beside its report, integrity ok.
# Prints one table row; fails the test on any breach.
check_invariants() {
  local name=$1 input=$2 f d places lost=0 duplicated=0 misplaced=0 expected
  expected=$(cat "$input/../expected")
  for f in $(ls "$input"); do
    places=0
    for d in incoming processing archive rejected; do
      [ -e "$SPOOL/$d/$f" ] && places=$((places + 1))
      compgen -G "$SPOOL/$d/${f%.csv}~*" >/dev/null && places=$((places + 1))
    done
    [ $places = 0 ] && lost=$((lost + 1))
    [ $places -gt 1 ] && duplicated=$((duplicated + 1))
    case "$f" in
      *-refused.csv) [ -e "$SPOOL/rejected/$f" ] || misplaced=$((misplaced + 1)) ;;
      *) [ -e "$SPOOL/archive/$f" ] || misplaced=$((misplaced + 1)) ;;
    esac
  done
  local twice observations revisions integrity partial unmailed
  twice=$(sql "select count(*) from (select sha256 from submissions where outcome='accepted' group by actor, sha256 having count(*) > 1) twice")
  observations=$(sql "select count(*) from observations")
  revisions=$(sql "select count(*) from revisions")
  # A partial submission: accepted, but fewer revisions than its figures.
  partial=$(sql "select count(*) from submissions s where outcome='accepted' and added + changed <> (select count(*) from revisions r where r.submission = s.id)")
  # A file recorded (accepted or refused) without exactly one receipt in the
  # outbox (no two files share a name; a second mail would be a crash's
  # "déjà reçu" for a file already recorded).
  unmailed=$(sql "select count(*) from submissions s where (select count(*) from mail_queue o where replace(o.subject, ' ' || s.name || ' ', '') <> o.subject) <> 1")
  # One receipt per file, ever: no input file has two mails (a "déjà reçu"
  # sent again for a file already recorded), and every settled one has one.
  local receipts resent=0 unreported leftover
  for f in $(ls "$input"); do
    receipts=$(sql "select count(*) from mail_queue where replace(subject, ' $f ', '') <> subject")
    [ "$receipts" -gt 1 ] && resent=$((resent + 1))
    if [ -e "$SPOOL/archive/$f" ] || [ -e "$SPOOL/rejected/$f" ]; then
      [ "$receipts" = 1 ] || resent=$((resent + 1))
    fi
  done
  # Every archived or rejected file has its report, and no temporary
  # report is left behind.
  unreported=$(find "$SPOOL/archive" "$SPOOL/rejected" -maxdepth 1 -type f ! -name '.*' \
    ! -name '*.rapport.txt' | while IFS= read -r f; do [ -e "$f.rapport.txt" ] || echo "$f"; done | wc -l)
  leftover=$(find "$SPOOL/archive" "$SPOOL/rejected" -maxdepth 1 -name '.*.rapport.txt.*.tmp' | wc -l)
  integrity=$(db_integrity)
  printf '%-14s %6s %5d %10d %9d %7d %12d %9d %9s\n' "$name" "$(ls "$input" | wc -l)" "$lost" \
    "$((duplicated + twice))" "$misplaced" "$partial" "$observations" "$expected" "$integrity"
  [ "$lost" = 0 ] && [ "$duplicated" = 0 ] && [ "$twice" = 0 ] && [ "$misplaced" = 0 ] &&
    [ "$partial" = 0 ] || fail "$name: files lost, duplicated, misplaced or partially stored"
  [ "$observations" = "$expected" ] && [ "$revisions" = "$expected" ] ||
    fail "$name: $observations observations, $revisions revisions, $expected expected"
  [ "$unmailed" = 0 ] || fail "$name: $unmailed recorded files without exactly one receipt"
  [ "$resent" = 0 ] || fail "$name: $resent files without exactly one receipt ever"
  [ "$unreported" = 0 ] && [ "$leftover" = 0 ] ||
    fail "$name: $unreported settled files without their report, $leftover temporary reports left"
  [ "$integrity" = ok ] || fail "$name: integrity_check: $integrity"
}

table_header() {
  printf '%-14s %6s %5s %10s %9s %7s %12s %9s %9s\n' scenario files lost duplicated misplaced \
    partial observations expected integrity
}

# drop_all DIR: every file of DIR into incoming/, by rename.
drop_all() {
  local f
  for f in $(ls "$1"); do
    # A failed copy (disk full) is not renamed: a partner's upload that
    # fails leaves only its temporary name behind.
    if cp "$1/$f" "$SPOOL/incoming/.$f.part" 2>/dev/null; then
      mv "$SPOOL/incoming/.$f.part" "$SPOOL/incoming/$f"
    else
      rm -f "$SPOOL/incoming/.$f.part"
    fi
  done
}

drained() { [ "$(count_files "$SPOOL/incoming")" = 0 ] && [ "$(count_files "$SPOOL/processing")" = 0 ]; }
