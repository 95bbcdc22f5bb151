#!/bin/bash
# The collection table, from `releve template` to accepted figures, with the
# configuration `releve init` writes: for caf, academie, pole-emploi,
# mission-locale and dasco the CSV table filled by a script and dropped into
# the actor's spool is read by the "template" reader, whatever the actor's
# own plugin, and fills that actor's 2019 cells. A file no reader of the
# actor recognises is refused naming its formats; `releve ingest --plugin`
# forces one. The workbooks: what openpyxl and LibreOffice see in them.
set -euo pipefail
: "${RELEVED:?}" "${SRC:?}"
. "$(dirname "$0")/lib.sh"
T=$dir
HERE=$(dirname "$0")
CONF=$conf
R() { "$RELEVE" -c "$CONF" "$@"; }
# openpyxl is Debian's python3-openpyxl: the system interpreter's.
PYXL=python3
$PYXL -c 'import openpyxl' 2>/dev/null || PYXL=/usr/bin/python3

R check-config >/dev/null || fail "the init configuration is refused"

# ---- the CSV table in every actor's spool -----------------------------------
ACTORS="caf academie pole-emploi mission-locale dasco"
for a in $ACTORS; do
  R template --actor "$a" --year 2019 > "$T/blank_$a.csv"
  head -c 3 "$T/blank_$a.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "$a: no BOM"
  head -1 "$T/blank_$a.csv" | grep -q "^.action;indicateur;libelle;unite;periode;geographie;nom_du_territoire;cible_2020;valeur_recue_2015;valeur_recue_2018;valeur;part;statut;commentaire"$'\r'"\$" ||
    fail "$a: header $(head -1 "$T/blank_$a.csv")"
  n=$(python3 "$HERE/fill_template.py" "$T/blank_$a.csv" "$T/modele_${a}_2019.csv")
  [ "$n" -gt 0 ] || fail "$a: nothing to fill"
  cp "$T/modele_${a}_2019.csv" "$T/x/spool/$a/incoming/" 2>/dev/null ||
    { mkdir -p "$T/x/spool/$a/incoming" && cp "$T/modele_${a}_2019.csv" "$T/x/spool/$a/incoming/"; }
done
"$RELEVED" -c "$CONF" --once 2>"$T/releved.log" || { cat "$T/releved.log" >&2; fail "releved --once"; }
for a in $ACTORS; do
  rep=$T/x/spool/$a/archive/modele_${a}_2019.csv.rapport.txt
  [ -f "$rep" ] || { ls -R "$T/x/spool/$a" >&2; cat "$T/x/spool/$a/rejected/"*.rapport.txt >&2 || true; fail "$a: not accepted"; }
  grep -q "^Lu comme : tableau de collecte du référentiel (CSV, .xlsx ou .ods) (module de lecture « template »)$" "$rep" ||
    fail "$a: the report does not name the template reader: $(head -5 "$rep")"
  grep -q "^Résultat : ACCEPTÉ" "$rep" || fail "$a: $(grep Résultat "$rep")"
done
R status --year 2019 --json > "$T/status.json"
python3 - "$T/status.json" $ACTORS <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
by = {a["id"]: a for a in s["actors"]}
for a in sys.argv[2:]:
    assert by[a]["expected"] > 0 and by[a]["given"] == by[a]["expected"], (a, by[a])
PY

# The receipt names the reader too, in French.
grep -l "modele_caf_2019.csv" "$T/x/var/outbox/"*.eml >/dev/null 2>&1 &&
  { grep -rq "Lu comme : tableau de collecte" "$T/x/var/outbox/" || fail "the receipt does not name the reader"; }

# ---- the reference columns: what was received, the year after ---------------
R template --actor caf --year 2020 > "$T/caf_2020.csv"
python3 - "$T/caf_2020.csv" "$T/modele_caf_2019.csv" <<'PY'
import csv, io, sys
rows = lambda p: list(csv.DictReader(io.StringIO(open(p, encoding="utf-8-sig").read()), delimiter=";"))
new, old = rows(sys.argv[1]), rows(sys.argv[2])
assert len(new) == len(old) == 48
for n, o in zip(new, old):
    assert n["valeur_recue_2019"] == o["valeur"], (n, o)
    assert n["periode"] == "2020" and n["valeur"] == ""
PY

# ---- a file no reader of the actor recognises; a forced reader ---------------
cp "$SRC/plugins/mission-locale/fixtures/imilo_jeunes_reconstructed.json" "$T/x/spool/caf/incoming/jeunes.json"
"$RELEVED" -c "$CONF" --once 2>>"$T/releved.log"
rep=$T/x/spool/caf/rejected/jeunes.json.rapport.txt
[ -f "$rep" ] || fail "a JSON file was not refused for the CAF"
grep -q "ce fichier n'est dans aucun des formats que cet acteur peut envoyer : export open data de la CAF par commune (CSV, .xlsx ou .ods) (module « caf »), tableau de collecte du référentiel (CSV, .xlsx ou .ods) (module « template »)" "$rep" ||
  fail "the refusal does not name the formats: $(cat "$rep")"
grep -q "^Lu comme : aucun format reconnu$" "$rep" || fail "refused file: reader line"
# The CAF's own export still goes to its plugin, with its mapping.
out=$(R ingest --actor caf --dry-run "$SRC/plugins/caf/fixtures/caf_current_reconstructed.csv") || true
grep -q "Lu comme : export open data de la CAF par commune (CSV, .xlsx ou .ods) (module de lecture « caf »)" <<<"$out" ||
  fail "the CAF export is not read by the caf plugin: $out"
# Forced: the template reader on the table, and a name that does not exist.
out=$(R ingest --actor caf --plugin template --dry-run "$T/modele_caf_2019.csv") || fail "forced ingest: $out"
grep -q "module de lecture « template » imposé par l'administrateur" <<<"$out" || fail "forced: $out"
if R ingest --actor caf --plugin nope "$T/modele_caf_2019.csv" 2>"$T/err"; then fail "--plugin nope accepted"; fi
grep -q 'no plugin "nope"' "$T/err" || fail "--plugin nope: $(cat "$T/err")"

# `releve plugins --json` gives each reader's format as reports name it.
R plugins --json | python3 -c '
import json, sys
p = {x["name"]: x for x in json.load(sys.stdin)["plugins"] if x["loaded"]}
assert p["template"]["format"] == "tableau de collecte du référentiel (CSV, .xlsx ou .ods)", p["template"]
assert all(x["recognises"] for x in p.values()), p
'

# ---- check-config and "plugins" ----------------------------------------------
# set_plugins LIST: the CAF's "plugins", then check-config's verdict in check.txt.
set_plugins() {
  python3 - "$CONF" "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for a in c["actors"]:
    if a["id"] == "caf":
        a.pop("plugin", None); a["plugins"] = json.loads(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
  ! R check-config > "$T/check.txt" 2>/dev/null
}
set_plugins '["caf", "template", "caf"]' || fail "check-config accepted a plugin listed twice"
grep -q 'actors\[0\]\.plugins\[2\]: error: "caf" is listed twice' "$T/check.txt" || fail "duplicate: $(cat "$T/check.txt")"
set_plugins '["caf", "cafe"]' || fail "check-config accepted an unknown plugin"
grep -q 'actors\[0\]\.plugins: error: actor "caf": no plugin "cafe" in' "$T/check.txt" || fail "unknown: $(cat "$T/check.txt")"
set_plugins '["template", "caf"]' && fail "check-config refused a good list: $(cat "$T/check.txt")"

# ---- the workbooks ------------------------------------------------------------
R template --actor academie --year 2019 -o "$T/t.xlsx"
R template --actor academie --year 2019 -o "$T/t.ods"
R template --actor academie --year 2019 --format ods -o "$T/t2.bin"
cmp -s "$T/t.ods" "$T/t2.bin" || fail "--format ods differs from -o t.ods"
file -b "$T/t.ods" | grep -q "OpenDocument Spreadsheet" || fail "ods: $(file -b "$T/t.ods")"
# ODF packaging: "mimetype" first, stored, holding the type.
[ "$(head -c 38 "$T/t.ods" | tail -c 8)" = "mimetype" ] || fail "mimetype is not the first entry"
[ "$(head -c 9 "$T/t.ods" | tail -c 1 | od -An -tu1 | tr -d ' ')" = 0 ] || fail "mimetype is compressed"
[ "$(head -c 84 "$T/t.ods" | tail -c 46)" = "application/vnd.oasis.opendocument.spreadsheet" ] || fail "mimetype content"
$PYXL - "$T/t.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Mode d'emploi", "Tableau"], wb.sheetnames
assert wb.active.title == "Mode d'emploi"
notes = [r[0].value for r in wb["Mode d'emploi"].iter_rows() if r[0].value]
assert notes[0] == "Tableau de collecte 2019 — Académie de Paris (Éducation nationale)", notes[0]
for start in ("Ce qui est demandé", "À remplir", "Date limite", "Renvoi", "Contact"):
    assert any(n.startswith(start) for n in notes), start
assert any("(année scolaire 2019-2020" in n for n in notes)
ws = wb["Tableau"]
head = [c.value for c in ws[1]]
assert head == ["Action", "Indicateur", "Libellé", "Unité", "Période", "Géographie",
                "Nom du territoire", "Cible 2020", "Valeur reçue 2015", "Valeur reçue 2018",
                "Valeur", "Part (%)", "Statut", "Commentaire"], head
assert ws.max_row == 49, ws.max_row
row = [c.value for c in ws[2]]
assert row[4] == "2019-2020" and row[5] in ("REP", "REP+") and row[6].startswith(row[5] + " — "), row
dv = ws.data_validations.dataValidation
assert len(dv) == 1 and dv[0].type == "list" and str(dv[0].sqref) == "M2:M49", dv
assert dv[0].formula1 == '"définitif,provisoire,estimé,secret,non disponible"', dv[0].formula1
assert ws.protection.sheet
assert ws["B2"].protection.locked and not ws["K2"].protection.locked and not ws["M2"].protection.locked
assert ws["B2"].fill.fgColor.rgb.endswith("E7E6E6") and ws["K2"].fill.fill_type is None
assert ws.freeze_panes == "A2", ws.freeze_panes
assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
assert ws["L2"].number_format == '0.0" %"' or ws["L2"].number_format == "General"
PY
# The table filled by openpyxl keeps its shape.
$PYXL "$HERE/fill_template.py" "$T/t.xlsx" "$T/filled.xlsx" >/dev/null
# LibreOffice opens both: printed landscape, one page wide; the ods read back
# as a workbook holds the same table.
if command -v soffice >/dev/null; then
  lo=(soffice --headless "-env:UserInstallation=file://$T/lo")
  cp "$T/t.ods" "$T/tods.ods"
  "${lo[@]}" --convert-to pdf --outdir "$T/pdf" "$T/t.xlsx" "$T/tods.ods" >/dev/null 2>&1
  for p in t tods; do
    pdfinfo "$T/pdf/$p.pdf" | grep -q "Page size:.*841.89 x 595.\(28\|3\)" || fail "$p: not A4 landscape"
  done
  "${lo[@]}" --convert-to xlsx --outdir "$T/back" "$T/tods.ods" >/dev/null 2>&1
  $PYXL - "$T/back/tods.xlsx" "$T/t.xlsx" <<'PY'
import sys, openpyxl
a, b = (openpyxl.load_workbook(p) for p in sys.argv[1:3])
assert a.sheetnames == b.sheetnames, a.sheetnames
rows = lambda wb: [[c.value for c in r] for r in wb["Tableau"].iter_rows(max_col=14)]
assert rows(a) == rows(b), (rows(a)[:2], rows(b)[:2])
ws = a["Tableau"]
assert ws.protection.sheet and not ws["K2"].protection.locked and ws["B2"].protection.locked
# (A headless LibreOffice has no view, so it writes no frozen panes.)
assert ws.data_validations.dataValidation[0].type == "list"
assert ws.page_setup.orientation == "landscape"
PY
fi
echo "collection table: CSV accepted for $ACTORS, workbooks checked"
