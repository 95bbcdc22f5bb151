#!/bin/bash
# Spreadsheets in the spool: a collection table saved as .xlsx by openpyxl
# and another converted to .ods by LibreOffice headless are accepted by
# `releved --once` and their figures land in SQLite; a workbook whose
# formula has no saved value, an old .xls and a truncated .xlsx are refused
# with their reason, kept in rejected/ with their report, nothing stored.
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
[ "$(value 2019)" = 12.0 ] || fail "2019 from the .xlsx: $(value 2019)"
[ "$(value 2018)" = 1234.0 ] || fail "2018 (a number typed as text) from the .xlsx: $(value 2018)"
[ "$(value 2017)" = 5.0 ] || fail "2017 from the .ods: $(value 2017)"
[ "$(value 2016)" = 6.0 ] || fail "2016 from the .ods: $(value 2016)"
[ -z "$(value 2015)$(value 2014)" ] || fail "a refused workbook stored figures"
[ "$(sql "select group_concat(name || ' ' || outcome, ', ') from (select name, outcome from submissions order by name)")" = \
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
echo "ok"
