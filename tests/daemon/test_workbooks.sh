#!/bin/bash
# Spreadsheets in the spool: a collection table saved as .xlsx by openpyxl
# and another converted to .ods by LibreOffice headless are accepted by
# `releved --once` and their figures land in SQLite; a workbook whose
# formula has no saved value, an old .xls and a truncated .xlsx are refused
# with their reason, kept in rejected/ with their report, nothing stored.
# Then the round trip: the workbook `releve template` writes, filled by a
# program (openpyxl) and also converted to .ods, is accepted in the
# `releve init` configuration and `releve status --json` shows the cells.
. "$(dirname "$0")/lib.sh"
: "${PLUGINS:?}"
PY=/usr/bin/python3 # Debian's, with python3-openpyxl
make_config "c['plugins'] = '$PLUGINS'
for a in c['actors']:
    if a['id'] == 'caf':
        a['plugin'] = 'template'"

# make_book PATH ROWS...: a "Mode d'emploi" sheet, then "Collecte" with the
# header and one row per argument "period;value" (a value starting with '='
# is a formula, saved by openpyxl without its value).
make_book() {
  "$PY" - "$@" <<'PYTHON'
import sys, openpyxl
wb = openpyxl.Workbook()
wb.active.title = "Mode d'emploi"
wb.active["A1"] = "Une ligne par chiffre"
ws = wb.create_sheet("Collecte")
ws.append(["indicateur", "libelle", "periode", "geographie", "valeur", "part", "statut",
           "commentaire"])
for arg in sys.argv[2:]:
    period, value = arg.split(";")
    if not value.startswith("=") and value.replace(".", "").isdigit():
        value = float(value)
    ws.append(["G04.1", "Nombre de bénévoles formés par an", period, "QPV", value])
wb.save(sys.argv[1])
PYTHON
}

make_book "$T/collecte.xlsx" "2019;12" "2018;1 234"
make_book "$T/converti.xlsx" "2017;5" "2016;6"
timeout 180 soffice "-env:UserInstallation=file://$T/lo-profile" --headless \
  --convert-to ods --outdir "$T" "$T/converti.xlsx" >/dev/null 2>&1 ||
  fail "LibreOffice could not convert the workbook"
[ -s "$T/converti.ods" ] || fail "no .ods written"
make_book "$T/formule.xlsx" "2015;3" "2014;=E2+1"
printf '\320\317\021\340\241\261\032\341%01024d' 0 > "$T/ancien.xls"
head -c 600 "$T/collecte.xlsx" > "$T/tronque.xlsx"

mkdir -p "$SPOOL/incoming"
for f in collecte.xlsx converti.ods formule.xlsx ancien.xls tronque.xlsx; do
  cp "$T/$f" "$SPOOL/incoming/.$f.part"
  mv "$SPOOL/incoming/.$f.part" "$SPOOL/incoming/$f"
done
"$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"

value() { sql "select value from observations where indicator='G04.1' and period='$1' and geography='QPV'"; }
[ "$(value 2019)" = 12 ] || fail "2019 from the .xlsx: $(value 2019)"
[ "$(value 2018)" = 1234 ] || fail "2018 (a number typed as text) from the .xlsx: $(value 2018)"
[ "$(value 2017)" = 5 ] || fail "2017 from the .ods: $(value 2017)"
[ "$(value 2016)" = 6 ] || fail "2016 from the .ods: $(value 2016)"
[ -z "$(value 2015)$(value 2014)" ] || fail "a refused workbook stored figures"
[ "$(sql_joined ', ' "select name || ' ' || outcome from submissions order by name")" = \
  "ancien.xls refused, collecte.xlsx accepted, converti.ods accepted, formule.xlsx refused, tronque.xlsx refused" ] ||
  fail "outcomes: $(sql 'select name, outcome from submissions')"

A=$SPOOL/archive R=$SPOOL/rejected
grep -q "ACCEPTÉ" "$A/collecte.xlsx.rapport.txt" || fail "collecte.xlsx report"
grep -q "ACCEPTÉ" "$A/converti.ods.rapport.txt" || fail "converti.ods report"
grep -q "cellule Collecte!E3 : formule sans valeur calculée (cellule E3)" "$R/formule.xlsx.rapport.txt" ||
  fail "formula report: $(cat "$R/formule.xlsx.rapport.txt")"
grep -q "enregistrez au format .xlsx ou .ods" "$R/ancien.xls.rapport.txt" || fail ".xls report"
grep -q "archive du classeur abîmée ou tronquée" "$R/tronque.xlsx.rapport.txt" || fail "truncated report"
for f in formule.xlsx ancien.xls tronque.xlsx; do
  cmp -s "$T/$f" "$R/$f" || fail "$f not kept as sent in rejected/"
done

# The round trip, each form in a configuration of its own.
"$RELEVE" init "$T/rt" >/dev/null
"$RELEVE" -c "$T/rt/releve.json" template --actor caf --year 2019 -o "$T/modele.xlsx" ||
  fail "releve template"
"$PY" - "$T/modele.xlsx" "$T/rempli.xlsx" <<'PYTHON'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Tableau"]
head = [c.value for c in ws[1]]
unit, value = head.index("Unité"), head.index("Valeur")
for row in ws.iter_rows(min_row=2):
    if row[unit].value:
        row[value].value = "oui" if row[unit].value == "texte" else 12
wb.save(sys.argv[2])
PYTHON
timeout 180 soffice "-env:UserInstallation=file://$T/lo-profile" --headless \
  --convert-to ods --outdir "$T" "$T/rempli.xlsx" >/dev/null 2>&1 || fail "LibreOffice: rempli.ods"
for f in rempli.xlsx rempli.ods; do
  conf=$T/rt-${f##*.}
  "$RELEVE" init "$conf" >/dev/null
  mkdir -p "$conf/spool/caf/incoming"
  cp "$T/$f" "$conf/spool/caf/incoming/$f"
  # Dropped a while before this run: past the quiet period of releve init's configuration.
  touch -d '1 minute ago' "$conf/spool/caf/incoming/$f"
  "$RELEVED" -c "$conf/releve.json" --once >>"$LOG" 2>&1 || fail "releved --once ($f)"
  grep -q "ACCEPTÉ" "$conf/spool/caf/archive/$f.rapport.txt" || fail "$f: $(cat "$conf"/spool/caf/*/"$f".rapport.txt)"
  given=$("$RELEVE" -c "$conf/releve.json" status --json --year 2019 | "$PY" -c '
import json, sys
a = [a for a in json.load(sys.stdin)["actors"] if a["id"] == "caf"][0]
print(a["given"], a["expected"])')
  read -r g e <<<"$given"
  [ "$e" -gt 0 ] && [ "$g" = "$e" ] || fail "$f: caf's 2019 cells given $g of $e"
done
echo "ok"
