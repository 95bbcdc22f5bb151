#!/bin/bash
# The collection table as a partner's spreadsheet, both ways: with the
# configuration `releve init` writes, for caf, academie, pole-emploi,
# mission-locale and dasco, `releve template -o t.xlsx` filled by openpyxl,
# and the same filled table converted to .ods by LibreOffice, each dropped
# into the actor's spool, are accepted by `releved --once` through the
# "template" reader; `releve status --json` then shows the actor's 2019
# cells given. Without LibreOffice (scripts/install-deps brings it) the test
# fails: the .ods half is what State bodies send.
set -euo pipefail
: "${RELEVED:?}"
. "$(dirname "$0")/lib.sh"
HERE=$(dirname "$0")
R() { "$RELEVE" -c "$conf" "$@"; }
PYXL=python3
$PYXL -c 'import openpyxl' 2>/dev/null || PYXL=/usr/bin/python3
command -v soffice >/dev/null || fail "no LibreOffice (soffice): run scripts/install-deps"
lo=(soffice --headless "-env:UserInstallation=file://$dir/lo")

ACTORS="caf academie pole-emploi mission-locale dasco"
for a in $ACTORS; do
  R template --actor "$a" --year 2019 -o "$dir/blank_$a.xlsx"
  $PYXL "$HERE/fill_template.py" "$dir/blank_$a.xlsx" "$dir/modele_${a}_2019.xlsx" >/dev/null
done
# One LibreOffice run converts them all.
(cd "$dir" && "${lo[@]}" --convert-to ods --outdir "$dir/ods" modele_*_2019.xlsx >/dev/null 2>&1)
for a in $ACTORS; do
  [ -f "$dir/ods/modele_${a}_2019.ods" ] || fail "$a: LibreOffice wrote no .ods"
  mkdir -p "$dir/x/spool/$a/incoming" # releved makes them; this is its first run
  cp "$dir/modele_${a}_2019.xlsx" "$dir/x/spool/$a/incoming/"
done
"$RELEVED" -c "$conf" --once 2>"$dir/releved.log" || { cat "$dir/releved.log" >&2; fail "releved --once"; }
for a in $ACTORS; do
  rep=$dir/x/spool/$a/archive/modele_${a}_2019.xlsx.rapport.txt
  [ -f "$rep" ] || { cat "$dir/x/spool/$a/rejected/"*.rapport.txt >&2 || true; fail "$a: .xlsx not accepted"; }
  grep -q "(module de lecture « template »)" "$rep" || fail "$a: .xlsx not read by template: $(head -5 "$rep")"
done
R status --year 2019 --json > "$dir/status.json"
python3 - "$dir/status.json" $ACTORS <<'PY'
import json, sys
by = {a["id"]: a for a in json.load(open(sys.argv[1]))["actors"]}
for a in sys.argv[2:]:
    assert by[a]["expected"] > 0 and by[a]["given"] == by[a]["expected"], (a, by[a])
PY
# The .ods: accepted, every figure already there.
for a in $ACTORS; do
  cp "$dir/ods/modele_${a}_2019.ods" "$dir/x/spool/$a/incoming/"
done
"$RELEVED" -c "$conf" --once 2>>"$dir/releved.log" || { cat "$dir/releved.log" >&2; fail "releved --once (ods)"; }
for a in $ACTORS; do
  rep=$dir/x/spool/$a/archive/modele_${a}_2019.ods.rapport.txt
  [ -f "$rep" ] || { cat "$dir/x/spool/$a/rejected/"*.rapport.txt >&2 || true; fail "$a: .ods not accepted"; }
  grep -q "(module de lecture « template »)" "$rep" || fail "$a: .ods not read by template"
  grep -q "^Résultat : ACCEPTÉ — .* 0 ajoutée, 0 modifiée" "$rep" || fail "$a: .ods figures differ: $(grep Résultat "$rep")"
done
echo "workbook round trip: .xlsx (openpyxl) and .ods (LibreOffice) accepted for $ACTORS"
