#!/bin/bash
# What the coordinator sees on the demo files (scripts/run-demo's): status
# with each actor's last file, refused files not replaced and files
# waiting; submissions and their reports; missing grouped by actor;
# history. Tables in French, numbers in French form, columns aligned with
# accented text.
set -euo pipefail
: "${RELEVE:?}" "${RELEVED:?}" "${PLUGINS:?}" "${SRC:?}"
. "$(dirname "$0")/lib.sh"
R() { "$RELEVE" -c "$conf" "$@"; }
SP=$'\u00a0' # the no-break space of French numbers

# The demo's files (conf/demo/files.txt, as scripts/run-demo drops them), and
# a file of the DASCO's that is refused (G01.1 is the GIP's).
grep -v '^#' "$SRC/conf/demo/files.txt" | while read -r actor file; do
  mkdir -p "$dir/x/spool/$actor/incoming"
  cp "$SRC/$file" "$dir/x/spool/$actor/incoming/"
done
"$RELEVED" -c "$conf" --once 2> "$dir/releved.log" || fail "releved: $(tail -5 "$dir/releved.log")"
grep -q "stopped: 7 accepted, 0 refused" "$dir/releved.log" || fail "demo ingest: $(tail -3 "$dir/releved.log")"
# One file through the command line (channel cli), then one refused
# (G01.1 is the GIP's), then one left waiting.
printf 'indicateur;periode;territoire;valeur\r\nG08.1;2018;QPV;80\r\n' > "$dir/dasco_2018.csv"
R ingest --actor dasco "$dir/dasco_2018.csv" > /dev/null || fail "ingest"
printf 'indicateur;periode;territoire;valeur\r\nG01.1;2019;QPV;12\r\n' > "$dir/x/spool/dasco/incoming/dasco_faux.csv"
"$RELEVED" -c "$conf" --once 2> "$dir/releved.log" || fail "releved: $(tail -5 "$dir/releved.log")"
grep -q "stopped: 0 accepted, 1 refused" "$dir/releved.log" || fail "refused file: $(tail -3 "$dir/releved.log")"
cp "$SRC/plugins/caf/fixtures/caf_current_reconstructed.csv" "$dir/x/spool/caf/incoming/caf_2023.csv"

# --- status -------------------------------------------------------------
R status > "$dir/status.txt" || fail "status"
grep -q "^Fichiers reçus : 8 acceptés, 1 refusé ; 1 en attente dans les dossiers de dépôt$" \
  "$dir/status.txt" || fail "status: files line: $(sed -n 3p "$dir/status.txt")"
grep -q "^Acteur  *attendues  *reçues  *dérivées  *manquantes  *en retard  *complétude$" "$dir/status.txt" ||
  fail "status: French header"
grep -q "sur 7${SP}038 " "$dir/status.txt" || fail "status: 7 038 in French form: $(sed -n 2p "$dir/status.txt")"
grep -A3 "^CAF de Paris " "$dir/status.txt" > "$dir/caf.txt"
grep -q "^  dernier fichier : caf_current_reconstructed.csv — [0-9/]* [0-9:]*, dépôt, accepté (n° [0-9]*)$" \
  "$dir/caf.txt" || fail "status: caf's last file: $(cat "$dir/caf.txt")"
grep -q "^  en attente : 1 fichier (1 dans incoming/, 0 dans processing/)$" "$dir/caf.txt" ||
  fail "status: caf's waiting file: $(cat "$dir/caf.txt")"
grep -A3 "^Ville de Paris – DASCO " "$dir/status.txt" > "$dir/dasco.txt"
grep -q "^  dernier fichier : dasco_faux.csv — .*, dépôt, refusé (n° [0-9]*)$" "$dir/dasco.txt" ||
  fail "status: dasco's last file: $(cat "$dir/dasco.txt")"
grep -q "^  à remplacer : dasco_faux.csv, refusé le .* (releve submissions --show [0-9]*)$" \
  "$dir/dasco.txt" || fail "status: dasco's refused file: $(cat "$dir/dasco.txt")"
grep -q "^Campagne " "$dir/status.txt" && grep -q "^2022, à rendre le 31/03/2023 " "$dir/status.txt" ||
  fail "status: campaigns"
# Every row of the completeness tables has the header's width, counted in
# characters (accents, the dash and the narrow spaces are one each).
python3 - "$dir/status.txt" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
heads = [i for i, l in enumerate(lines) if l.endswith("complétude")]
assert len(heads) == 3, heads
for h in heads:
    rows = [l for l in lines[h + 1:] if l and not l.startswith("  ")]
    rows = rows[:rows.index(next(l for l in rows if l.endswith("complétude")))] if h != heads[-1] else rows
    rows = [l for l in rows if l.endswith("%")]
    assert rows, lines[h]
    for l in rows:
        assert len(l) == len(lines[h]), (lines[h], l)
PY

R status --json > "$dir/status.json" || fail "status --json"
python3 - "$dir/status.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["files"] == {"accepted": 8, "refused": 1, "waiting": 1}, s["files"]
a = {x["id"]: x for x in s["actors"]}
for key in ("id", "name", "expected", "given", "missing", "late"):   # kept as they were
    assert key in a["caf"], key
caf = a["caf"]
assert caf["last_file"]["name"] == "caf_current_reconstructed.csv", caf["last_file"]
assert caf["last_file"]["channel"] == "spool" and caf["last_file"]["outcome"] == "accepted"
assert caf["waiting"] == {"incoming": 1, "processing": 0}, caf["waiting"]
assert caf["refused_pending"] == []
dasco = a["dasco"]
assert dasco["last_file"]["channel"] == "spool" and dasco["last_file"]["name"] == "dasco_faux.csv"
assert [x["name"] for x in dasco["refused_pending"]] == ["dasco_faux.csv"], dasco["refused_pending"]
assert dasco["refused_pending"][0]["problems"] == 1
assert a["ars"]["last_file"] is None
assert {c["year"]: c["due"] for c in s["campaigns"]}[2022] == "2023-03-31", s["campaigns"]
assert sum(c["expected"] for c in s["campaigns"]) == s["total"]["expected"]
assert "periods" in s and "themes" in s
PY

# --- submissions ----------------------------------------------------------
R submissions > "$dir/subs.txt" || fail "submissions"
grep -q "^9 dépôts$" "$dir/subs.txt" || fail "submissions count: $(tail -1 "$dir/subs.txt")"
# A long file name is cut to its column.
grep -q "^ *[0-9]* [0-9/]* [0-9:]* CAF de Paris  *caf_current_reconstructe…  *dépôt  *accepté  *20 valeurs$" \
  "$dir/subs.txt" || fail "submissions: caf's row: $(grep CAF "$dir/subs.txt")"
grep -q " dasco_2018.csv  *import  *accepté  *1 valeur$" "$dir/subs.txt" || fail "submissions: cli row"
grep -q " dasco_faux.csv  *dépôt  *refusé  *1 problème$" "$dir/subs.txt" || fail "submissions: refused row"
# The columns line up whatever the accents (canal starts at one offset).
python3 - "$dir/subs.txt" <<'PY'
import sys
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
col = lines[0].index("canal")
for l in lines[1:-1]:
    assert l[col - 1] == " " and l[col] != " ", (col, l)
    assert l[col:].split()[0] in ("dépôt", "import", "collecte"), l
PY
R submissions --outcome refused --json > "$dir/refused.json"
python3 - "$dir/refused.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["count"] == 1 and s["submissions"][0]["name"] == "dasco_faux.csv", s
assert s["submissions"][0]["actor"] == "dasco" and s["submissions"][0]["outcome"] == "refused"
PY
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["submissions"][0]["id"])' "$dir/refused.json")
# The table gives the stored UTC time in Paris time.
paris=$(python3 -c '
import datetime, json, sys, zoneinfo
t = json.load(open(sys.argv[1]))["submissions"][0]["received_at"]
t = datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
print(t.astimezone(zoneinfo.ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M"))' "$dir/refused.json")
grep -q "^ *$id $paris .* dasco_faux.csv " "$dir/subs.txt" ||
  fail "submissions: dasco_faux.csv not shown at $paris (Paris time): $(grep dasco_faux "$dir/subs.txt")"
[ "$(R submissions --actor caf --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["count"], *sorted(x["name"] for x in s["submissions"]))')" = \
  "2 caf_2019.csv caf_current_reconstructed.csv" ] || fail "submissions --actor caf"
[ "$(R submissions --since 2099-01-01 | tail -1)" = "0 dépôt" ] || fail "submissions --since"
[ "$(R submissions --since 2000-01-01 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')" = 9 ] ||
  fail "submissions --since 2000"
R submissions --show "$id" > "$dir/report.txt" || fail "submissions --show"
grep -q "^Résultat : REFUSÉ — 1 problème à corriger" "$dir/report.txt" || fail "show: $(cat "$dir/report.txt")"
cmp -s "$dir/report.txt" "$dir/x/spool/dasco/rejected/dasco_faux.csv.rapport.txt" ||
  fail "show: not the report kept beside the file"
R submissions --show "$id" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["outcome"] == "refused" and "REFUSÉ" in s["report"], s' || fail "show --json"
if R submissions --show 999 2> "$dir/err.txt"; then fail "--show of no submission succeeded"; fi
grep -q "aucun dépôt n° 999" "$dir/err.txt" || fail "show 999: $(cat "$dir/err.txt")"
set +e
R submissions --outcome nope 2> "$dir/err.txt"; rc=$?
R submissions --since 2023-02-30 2>> "$dir/err.txt"; rc2=$?
set -e
[ "$rc" = 2 ] && [ "$rc2" = 2 ] || fail "bad flags: exit $rc, $rc2"
grep -q "accepted ou refused est attendu" "$dir/err.txt" && grep -q "AAAA-MM-JJ" "$dir/err.txt" ||
  fail "bad flags: $(cat "$dir/err.txt")"

# A spool folder that cannot be read is said, and the rest still shown.
rmdir "$dir/x/spool/ars/processing" && touch "$dir/x/spool/ars/processing"
R status --json 2> "$dir/err.txt" | python3 -c '
import json, sys
a = {x["id"]: x for x in json.load(sys.stdin)["actors"]}
assert a["ars"]["waiting"] is None and a["caf"]["waiting"]["incoming"] == 1, a["ars"]' ||
  fail "status with an unreadable spool folder"
grep -q "dossier de dépôt de ars illisible" "$dir/err.txt" || fail "unreadable spool: $(cat "$dir/err.txt")"
rm "$dir/x/spool/ars/processing" && mkdir "$dir/x/spool/ars/processing"

# A file accepted after the refused one replaces it.
printf 'indicateur;periode;territoire;valeur\r\nG08.1;2017;QPV;79\r\n' > "$dir/dasco_2017.csv"
R ingest --actor dasco "$dir/dasco_2017.csv" > /dev/null || fail "ingest 2017"
R status --json | python3 -c '
import json, sys
d = {x["id"]: x for x in json.load(sys.stdin)["actors"]}["dasco"]
assert d["refused_pending"] == [] and d["last_file"]["name"] == "dasco_2017.csv", d
assert d["last_file"]["channel"] == "cli", d' || fail "an accepted file does not replace the refused one"
R status > "$dir/status2.txt"
grep -q "^  à remplacer" "$dir/status2.txt" && fail "status still lists a replaced file"

# --- missing --------------------------------------------------------------
# (2020: the demo's collection tables fill 2019.)
R missing --actor caf --year 2020 > "$dir/missing.txt" || fail "missing"
[ "$(sed -n 1p "$dir/missing.txt")" = "CAF de Paris (Caisse d'allocations familiales)" ] ||
  fail "missing: heading: $(sed -n 1p "$dir/missing.txt")"
[ "$(sed -n 2p "$dir/missing.txt")" = "  48 cellules manquantes, dont 48 en retard ; première échéance : 30/06/2021" ] ||
  fail "missing: total: $(sed -n 2p "$dir/missing.txt")"
[ "$(sed -n 3p "$dir/missing.txt")" = "  contact : referent-evaluation@caf-paris.example.org (acteur caf)" ] ||
  fail "missing: contact: $(sed -n 3p "$dir/missing.txt")"
grep -q "^  indic\. période   territoire échéance   en retard libellé$" "$dir/missing.txt" ||
  fail "missing: header: $(sed -n 4p "$dir/missing.txt")"
[ "$(grep -c "^  [GHT][0-9.]*  *2020  *Q[PV]*  *30/06/2021 oui  *" "$dir/missing.txt")" = 48 ] ||
  fail "missing: cell rows: $(sed -n 5,6p "$dir/missing.txt")"
[ "$(tail -1 "$dir/missing.txt")" = "48 cellules manquantes" ] || fail "missing: end: $(tail -1 "$dir/missing.txt")"
want=$(R missing --year 2019 --json | python3 -c '
import json, sys
m = json.load(sys.stdin)
print("%d cellules manquantes pour %d acteurs" % (m["count"], len({c["actor"] for c in m["cells"]}))
      + (" ; %d autre%s dérivée%s de cellules reçues" % (m["derived"], "s" * (m["derived"] > 1), "s" * (m["derived"] > 1)) if m["derived"] else ""))')
[ "$(R missing --year 2019 | tail -1)" = "$want" ] || fail "missing, all actors: $(R missing --year 2019 | tail -1), not $want"
want=$(R missing --json | python3 -c 'import json, sys; print("{:,}".format(json.load(sys.stdin)["count"]).replace(",", "\u00a0"))')
case $want in *"$SP"*) ;; *) fail "fewer than 1 000 cells missing: $want";; esac
[ "$(R missing | tail -1 | cut -d' ' -f1)" = "$want" ] || fail "missing: $want in French form: $(R missing | tail -1)"

# --- remind: held back for the actor whose file waits ------------------------
R remind --dry-run --date 2023-03-20 > "$dir/remind.txt" || fail "remind --dry-run"
grep -A1 "^CAF de Paris : campagne 2022, étape " "$dir/remind.txt" |
  grep -q "^  retenue : un fichier attend dans son dossier de dépôt" || fail "remind: caf not held back"
grep -q "^acteurs avec un fichier en attente de traitement : 1$" "$dir/remind.txt" ||
  fail "remind summary: $(tail -3 "$dir/remind.txt")"
python3 - "$dir/remind.txt" <<'PY' || fail "remind: a line wider than 100 columns"
import sys
wide = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if len(l) > 100]
assert not wide, wide
PY

# --- history --------------------------------------------------------------
R history H07.1 > "$dir/history.txt" || fail "history"
grep -q "^  acteur : CAF de Paris (Caisse d'allocations familiales) ; unité : nombre$" "$dir/history.txt" ||
  fail "history: heading: $(sed -n 2p "$dir/history.txt")"
grep -q "^  2022  *75101  *1${SP}360 définitif  *[0-9/]* [0-9:]* n° [0-9]*, ligne 6, caf_current_" \
  "$dir/history.txt" || fail "history: 1 360 row: $(sed -n 4p "$dir/history.txt")"
grep -q "^[0-9]* valeurs reçues$" "$dir/history.txt" || fail "history: end: $(tail -1 "$dir/history.txt")"
# A file name holding an escape sequence is refused for its name, kept in
# rejected/ under a safe one, recorded escaped: shown, never sent to the
# terminal.
esc=$(printf 'esc\033[31mred.csv')
printf 'indicateur;periode;territoire;valeur\r\nG08.1;2016;QPV;78\r\n' > "$dir/x/spool/dasco/incoming/$esc"
"$RELEVED" -c "$conf" --once 2> "$dir/releved.log" || fail "releved: $(tail -5 "$dir/releved.log")"
[ -f "$dir/x/spool/dasco/rejected/esc_[31mred.csv.rapport.txt" ] || fail "the escape-named file is not in rejected/"
R submissions > "$dir/subs2.txt" && R status > "$dir/status3.txt" || fail "submissions, status"
grep -q ' esc\\x1b\[31mred.csv  *dépôt  *refusé' "$dir/subs2.txt" || fail "escaped name: $(tail -3 "$dir/subs2.txt")"
grep -q '^  dernier fichier : esc\\x1b\[31mred.csv — ' "$dir/status3.txt" || fail "escaped name in status: $(grep -A2 DASCO "$dir/status3.txt")"
if grep -q $'\033' "$dir/subs2.txt" "$dir/status3.txt"; then fail "an escape sequence reached the terminal"; fi
echo "cli coordinator: status, submissions, missing, history, remind: ok"
