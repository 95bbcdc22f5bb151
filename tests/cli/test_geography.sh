#!/bin/bash
# The geography as data: a file giving a quartier missing from the shipped
# 2015 list is refused by the daemon and kept in rejected/ with its report;
# a 2024 list named in the configuration (a made-up fixture) is loaded, its
# QN code accepted and exported with its name and list; check-config names
# the line of a bad list.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${RELEVED:?}" "${SRC:?}"
header='indicateur;libelle;periode;geographie;valeur;part;statut;commentaire'
fictive=$SRC/tests/fixtures/geography/qpv_2024_fictive.csv
spool=$(python3 -c 'import json,os,sys; c=json.load(open(sys.argv[1])); print(os.path.join(os.path.dirname(sys.argv[1]), c["spool"]))' "$conf")

# ---- the shipped 2015 list: QP075031 is none of its 20 quartiers --------------
mkdir -p "$spool/dasco/incoming"
printf '%s\nG08.1;x;2019;QP075012;3;;;\nG08.1;x;2019;QP075031;4;;;\n' "$header" \
  > "$spool/dasco/incoming/.quartiers.csv.part"
mv "$spool/dasco/incoming/.quartiers.csv.part" "$spool/dasco/incoming/quartiers.csv"
"$RELEVED" -c "$conf" --once > "$dir/daemon.log" 2>&1 || { cat "$dir/daemon.log" >&2; fail "releved --once failed"; }
[ -f "$spool/dasco/rejected/quartiers.csv" ] || fail "the file is not in rejected/: $(ls -R "$spool/dasco")"
report=$spool/dasco/rejected/quartiers.csv.rapport.txt
[ -f "$report" ] || fail "no report beside the refused file"
grep -q "QP075031 n'est pas un quartier de la liste QPV 2015 (20 quartiers)" "$report" ||
  { cat "$report" >&2; fail "the report does not name the code and its list"; }

# ---- no 2024 list: a QN code is accepted on its pattern, with a warning -------
printf '%s\nG08.1;x;2019;QN99901A;5;;;\n' "$header" > "$dir/qn.csv"
"$RELEVE" -c "$conf" ingest --actor dasco "$dir/qn.csv" > "$dir/out" 2>&1 ||
  { cat "$dir/out" >&2; fail "a QN code was refused without a 2024 list"; }
grep -q "QN99901A : aucune liste QPV 2024 n'est chargée" "$dir/out" ||
  { cat "$dir/out" >&2; fail "no warning that the 2024 list is not loaded"; }

# ---- a 2024 list from a configured file --------------------------------------
python3 - "$conf" "$fictive" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["geography"] = {"qpv_2024": sys.argv[2]}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
"$RELEVE" -c "$conf" check-config > "$dir/out" 2>&1 || { cat "$dir/out" >&2; fail "check-config refused the 2024 list"; }
printf '%s\nG08.1;x;2020;QN99902B;6;;;\n' "$header" > "$dir/qn2.csv"
"$RELEVE" -c "$conf" ingest --actor dasco "$dir/qn2.csv" > "$dir/out" 2>&1 ||
  { cat "$dir/out" >&2; fail "a listed QN code was refused"; }
if grep -q 'aucune liste' "$dir/out"; then fail "warned although the 2024 list is loaded"; fi
printf '%s\nG08.1;x;2020;QN99903C;6;;;\n' "$header" > "$dir/qn3.csv"
if "$RELEVE" -c "$conf" ingest --actor dasco "$dir/qn3.csv" > "$dir/out" 2>&1; then
  fail "a QN code missing from the 2024 list was accepted"
fi
grep -q "QN99903C n'est pas un quartier de la liste QPV 2024 (2 quartiers)" "$dir/out" ||
  { cat "$dir/out" >&2; fail "the refusal does not name the 2024 list"; }
"$RELEVE" -c "$conf" export --format csv -o "$dir/export.csv" || fail "export failed"
python3 - "$dir/export.csv" <<'PY' || fail "the export does not show each quartier with its list"
import csv, io, sys
text = open(sys.argv[1], encoding="utf-8-sig").read()
rows = list(csv.reader(io.StringIO(text), delimiter=";"))
col = {n: i for i, n in enumerate(rows[0])}
names = {r[col["geographie"]]: r[col["geographie_nom"]] for r in rows[1:]
         if len(r) > col["geographie_nom"]}
assert names.get("QN99902B") == "QN99902B Quartier fictif, second (liste QPV 2024)", names
assert names.get("QN99901A") == "QN99901A Quartier fictif des Essais (liste QPV 2024)", names
PY
"$RELEVE" -c "$conf" export --format html -o "$dir/export.html" || fail "html export failed"
grep -q 'QN99902B<br><small>Quartier fictif, second (liste QPV 2024)</small>' "$dir/export.html" ||
  fail "the html report does not show the quartier with its name and list"

# ---- a bad list: check-config names its file and line -------------------------
printf 'code,nom\nQN99901A,Un\nQP075001,Deux\n' > "$dir/x/mauvaise.csv"
python3 - "$conf" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["geography"] = {"qpv_2024": "mauvaise.csv"}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
if "$RELEVE" -c "$conf" check-config > "$dir/out" 2>&1; then fail "check-config took a bad list"; fi
grep -q 'mauvaise.csv:3:1: geography: error: "QP075001" is not a code of the 2024 QPV list' "$dir/out" ||
  { cat "$dir/out" >&2; fail "check-config does not name the line of the bad list"; }
echo "geography lists: 2015 refusal kept with its report, 2024 list loaded and shown: ok"
