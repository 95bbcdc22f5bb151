#!/bin/bash
# Crash loop: files (valid, refused, large) are fed to releved while it is
# killed with SIGKILL at random moments and restarted. After the last
# restart has drained the spool, every input file must be in exactly one
# place (incoming, processing, archive or rejected), every accepted file's
# figures must be in SQLite exactly once, and the database intact.
#   KILLS=N (default 50)   SEED=S (default: random, printed)
. "$(dirname "$0")/../daemon/lib.sh"
KILLS=${KILLS:-50}
SEED=${SEED:-$RANDOM}
RANDOM=$SEED
make_config
INPUT=$T/input
mkdir -p "$SPOOL/incoming"
mkdir -p "$INPUT"

# Every figure cell is used by one file only, so that each accepted file
# adds exactly its own figures: caf's yearly counts × years × geographies.
python3 - "$INPUT" "$SEED" <<'PY'
import random, sys
out, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
ind = "G04.1 G07.1 G15.1 G24.1 G24.2 G25.1 G25.2 G25.3 G26.1 G27.1 G28.1 G32.1 G33.1 G34.1 G35.1 G48.1 G58.2 H04.1 H05.1 H07.1 H07.2 H13.1".split()
geo = ["751%02d" % i for i in range(1, 21)] + ["PARIS", "QP", "QPV", "QVA"]
cells = [(i, y, g) for i in ind for y in range(2015, 2024) for g in geo]
rnd.shuffle(cells)
# Parts stay below their totals (QPV, QVA < QP < PARIS), as relevé checks.
def value(g):
    return {"PARIS": 1000000, "QP": 100000}.get(g, 0) + rnd.randrange(1000)
head = "indicateur;libelle;periode;geographie;valeur;part;statut;commentaire\n"
expected = 0
n = 0
while cells and n < 400:
    n += 1
    kind = rnd.choices(["valid", "refused", "large"], [70, 20, 10])[0]
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
EXPECTED=$(cat "$T/expected")
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
wait_for 120 '[ "$(count_files "$SPOOL/incoming")" = 0 ] && [ "$(count_files "$SPOOL/processing")" = 0 ]' ||
  fail "spool not drained"
stop_daemon

lost=0 duplicated=0 misplaced=0
for f in "${FILES[@]}"; do
  places=0
  for d in incoming processing archive rejected; do
    [ -e "$SPOOL/$d/$f" ] && places=$((places + 1))
    # A name met twice in one folder gets a ~N suffix: that would be a duplicate.
    compgen -G "$SPOOL/$d/${f%.csv}~*" >/dev/null && places=$((places + 1))
  done
  [ $places = 0 ] && lost=$((lost + 1))
  [ $places -gt 1 ] && duplicated=$((duplicated + 1))
  case "$f" in
    *-refused.csv) [ -e "$SPOOL/rejected/$f" ] || misplaced=$((misplaced + 1)) ;;
    *) [ -e "$SPOOL/archive/$f" ] || misplaced=$((misplaced + 1)) ;;
  esac
done
stored_twice=$(sql "select count(*) from (select sha256 from submissions where outcome='accepted' group by actor, sha256 having count(*) > 1)")
revisions=$(sql "select count(*) from revisions")
observations=$(sql "select count(*) from observations")
integrity=$(sql "pragma integrity_check")
printf '%-12s %6s %6s %5s %10s %9s %12s %12s %9s\n' suite kills files lost duplicated misplaced observations expected integrity
printf '%-12s %6d %6d %5d %10d %9d %12d %12d %9s\n' crash-loop "$KILLS" "${#FILES[@]}" "$lost" \
  "$((duplicated + stored_twice))" "$misplaced" "$observations" "$EXPECTED" "$integrity"
[ "$lost" = 0 ] && [ "$duplicated" = 0 ] && [ "$stored_twice" = 0 ] && [ "$misplaced" = 0 ] ||
  fail "files lost, duplicated or misplaced (seed $SEED)"
[ "$observations" = "$EXPECTED" ] && [ "$revisions" = "$EXPECTED" ] ||
  fail "figures: $observations observations, $revisions revisions, $EXPECTED expected (seed $SEED)"
[ "$integrity" = ok ] || fail "integrity_check: $integrity"
echo "crash loop: $KILLS kills, ${#FILES[@]} files, 0 lost, 0 duplicated (seed $SEED)"
