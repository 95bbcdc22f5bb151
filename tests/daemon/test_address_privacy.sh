#!/bin/bash
# A beneficiary-level extract (one row per young person, with a name and an
# address) goes through `releve ingest` and through releved: rows are
# placed in their QPV through the address reference, only counts reach
# SQLite, and no name or street of the input is found in the database,
# the logs, the spool (archive/, rejected/), the outbox or the reports.
# The file is deleted once counted (keep_days 0), or kept in personal/
# (0700) and deleted after keep_days. Exports blank small counts.
#
# Decoded by the test plugin "lines" (a CSV with the Mission Locale
# plugin's output columns plus the names an export carries); when the
# mission-locale plugin is built, the same people as an i-milo JSON
# extract go through it too.
. "$(dirname "$0")/lib.sh"
: "${SRC:?}"
LINES_PLUGINS=$(dirname "$TEST_PLUGINS")/test-plugins
[ -f "$LINES_PLUGINS/lines.so" ] || fail "no test plugin lines.so in $LINES_PLUGINS"
ML=$T/conf/spool/mission-locale

# config PLUGIN_DIR PLUGIN KEEP_DAYS
config() {
  make_config "
import shutil
shutil.copy('$SRC/tests/fixtures/addresses/ban_paris_zoned.csv', '$T/conf/adresses.csv')
c['plugins'] = '$1'
c['addresses'] = {'file': 'adresses.csv', 'format': 'ban'}
import os
for a in c['actors']:
    if a['id'] != 'mission-locale' and not os.path.exists('$1/%s.so' % a.get('plugin')):
        # check-config refuses a plugin the folder lacks: the collection table only.
        for k in ('plugin', 'mapping', 'options'):
            a.pop(k, None)
    if a['id'] == 'mission-locale':
        a['plugin'] = '$2'
        a.pop('options', None)
        a['personal_data'] = True
        a['keep_days'] = $3
        a['mapping'] = {
            'kind': 'rows',
            'period': {'column': 'cej_annee_debut', 'format': 'year'},
            'filters': {'cej': 'oui'},
            'geography': {'address': {'number': 'adresse_numero', 'street': 'adresse_voie',
                                      'complement': 'adresse_complement',
                                      'postcode': 'code_postal', 'city': 'commune'},
                          'levels': ['quartier', 'QPV', 'QP', 'PARIS']},
            'indicators': {'T27.2': {'op': 'count'}}}
"
}

# The people: line 2..10 of the CSV, records 1..9 of the JSON. Expected:
# exact 5 (lines 2-6), number 1 (line 9), unmatched 2 (line 7: a typo with
# a number its street lacks, so not trusted,
# line 8: split street without a number); QP075012 4, QP075014 1,
# outside 1; line 10 is not in the CEJ and is filtered out.
PEOPLE='ZORGLUBIAN|Camille|12|Rue Myrha||75018|Paris|oui|2022
QUINTAVALLE|Philomène|3|Rue de Tanger||75019|PARIS 19|oui|2022
ABERCROMBIE|Sacha||40 bis rue Myrha, Bât B|||Paris 18e|oui|2022
VANDERSTRAETEN|Yann|60|rue Stephenson||75018|Paris|oui|2022
OKONKWOLU|Inès|13|R. POLONCEAU|Escalier 2|75018|Paris|oui|2022
FITZWILLIAMS|Noé|97|Rue Myrrha||75018|Paris|oui|2022
BRAGANZAVIC|Lou||Rue Stephenson||75018|Paris|oui|2022
KOWALCZYKOS|Eden|6 ter|rue Myrha||75018|Paris|oui|2022
TREMBLAYNOR|Alix|7|rue Polonceau||75018|Paris|non|'
SECRETS='ZORGLUBIAN QUINTAVALLE ABERCROMBIE VANDERSTRAETEN OKONKWOLU FITZWILLIAMS BRAGANZAVIC KOWALCZYKOS TREMBLAYNOR Camille Philom Sacha Yann Inès Eden Alix Myrha Myrrha Tanger Stephenson Polonceau'

csv_extract() {
  echo 'nom;prenom;annee_naissance;adresse_numero;adresse_voie;adresse_complement;code_postal;commune;structure;cej;cej_annee_debut;cej_annee_fin;situation;sortie_positive'
  printf '%s\n' "$PEOPLE" | awk -F'|' -v extra="${1:-}" '{
    printf "%s;%s;2003;%s;%s;%s;%s;%s;75001;%s;%s;;Emploi;oui\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
  [ -z "${1:-}" ] || echo "$1"
}

json_extract() {
  printf '%s\n' "$PEOPLE" | python3 -c '
import json, sys
out = []
for i, l in enumerate(sys.stdin.read().splitlines()):
    nom, prenom, num, voie, compl, cp, commune, cej, annee = l.split("|")
    out.append({"idDossier": str(1900000 + i), "idJeune": "j-%04d" % i, "nom": nom,
                "prenom": prenom,
                "adresse": {"numero": num, "libelleVoie": voie, "complement": compl,
                            "codePostal": cp, "commune": commune},
                "dateNaissance": "2003-05-17",
                "structureRattachement": {"codeStructure": "75001"},
                "accompagnementCEJ": {"accompagnementCEJ": cej == "oui",
                                      "dateDebut": annee + "-03-14" if annee else None,
                                      "dateFinReelle": None},
                "situations": [{"etat": "EN_COURS", "categorieSituation": "Emploi",
                                "dateDebut": "2023-01-09", "dateFin": None}]})
# One record a line, as i-milo writes them, so that record k is on line k+1.
print("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in out) + "\n]")'
}

value() { sql "SELECT value FROM observations WHERE indicator='T27.2' AND period='2022' AND geography='$1'"; }

check_counts() {
  [ "$(value QP075012)" = 4 ] || fail "QP075012: $(value QP075012), expected 4"
  [ "$(value QP075014)" = 1 ] || fail "QP075014: $(value QP075014), expected 1"
  [ "$(value QPV)" = 5 ] || fail "QPV: $(value QPV), expected 5"
  [ "$(value QP)" = 5 ] || fail "QP: $(value QP), expected 5"
  [ "$(value PARIS)" = 8 ] || fail "PARIS: $(value PARIS), expected 8"
}

# ---- releve ingest, the lines plugin ------------------------------------------
config "$LINES_PLUGINS" lines 0
"$RELEVE" -c "$CONF" check-config >/dev/null || fail "check-config refused the configuration"
csv_extract > "$T/jeunes.csv"
"$RELEVE" -c "$CONF" ingest --actor mission-locale "$T/jeunes.csv" > "$T/ingest.out" 2>&1 ||
  { cat "$T/ingest.out" >&2; fail "releve ingest refused the extract"; }
check_counts
grep -q 'adresses : 8 lignes, 5 retrouvées exactement, 1 au numéro sans son suffixe, 0 par la voie seule, 0 sur une voie approchée (faute de frappe), 2 non retrouvées ; 5 en QPV, 0 en QVA, 1 hors QPV et QVA' "$T/ingest.out" ||
  { cat "$T/ingest.out" >&2; fail "no matching summary in the report"; }
grep -q 'voie inconnue dans cette commune.*: ligne 7$' "$T/ingest.out" || fail "line 7 not reported"
grep -q 'le numéro est nécessaire.*: ligne 8$' "$T/ingest.out" || fail "line 8 not reported"
"$RELEVE" -c "$CONF" history T27.2 > "$T/history.out" 2>&1 || fail "history failed"
"$RELEVE" -c "$CONF" export --format csv -o "$T/export.csv" || fail "export failed"
no_personal_data "$DB"* "$T/ingest.out" "$T/history.out" "$T/export.csv"

# Exports: 4 and 1 are below the threshold; the rest is shown.
grep -aE '^([^;]*;){6}T27.2;' "$T/export.csv" > "$T/t272.csv"
for g in QP075012 QP075014; do
  grep -q ";$g;2022;secret;" "$T/t272.csv" || fail "$g not blanked in the export: $(cat "$T/t272.csv")"
done
grep -q ';QPV;2022;5;' "$T/t272.csv" || fail "QPV blanked in the export"
grep -q ';PARIS;2022;8;' "$T/t272.csv" || fail "PARIS blanked in the export"

# ---- releved, keep_days 0: the file is deleted once counted --------------------
csv_extract 'NOUVELLEPERSONNE;Zoé;2004;1;Rue Myrha;;75018;Paris;75001;oui;2022;;Emploi;oui' \
  > "$T/drop.csv"
SECRETS="$SECRETS NOUVELLEPERSONNE"
mkdir -p "$ML/incoming"
cp "$T/drop.csv" "$ML/incoming/.jeunes-2.csv.part"
mv "$ML/incoming/.jeunes-2.csv.part" "$ML/incoming/jeunes-2.csv"
"$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"
[ -f "$ML/archive/jeunes-2.csv.rapport.txt" ] || fail "no report in archive/"
grep -q 'ACCEPTÉ' "$ML/archive/jeunes-2.csv.rapport.txt" || fail "not accepted: $(cat "$ML/archive/jeunes-2.csv.rapport.txt")"
[ "$(find "$ML" -type f ! -name '*.rapport.txt' | wc -l)" = 0 ] ||
  fail "the personal-data file is still somewhere: $(find "$ML" -type f)"
[ "$(value QP075012)" = 5 ] || fail "QP075012 after the daemon: $(value QP075012), expected 5"
grep -q 'file deleted' "$LOG" || fail "the log does not say the file was deleted"
no_personal_data "$DB"* "$LOG" "$T/conf/spool" "$T/conf/var"

# ---- keep_days 2: kept in personal/, 0700, then deleted -------------------------
python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for a in c["actors"]:
    if a["id"] == "mission-locale":
        a["keep_days"] = 2
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
csv_extract 'AUTREPERSONNE;Lina;2004;2;Rue Myrha;;75018;Paris;75001;oui;2022;;Emploi;oui' \
  > "$ML/incoming/jeunes-3.csv"
SECRETS="$SECRETS AUTREPERSONNE"
"$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"
[ -f "$ML/personal/jeunes-3.csv" ] || fail "not kept in personal/: $(find "$ML" -type f)"
[ "$(stat -c %a "$ML/personal")" = 700 ] || fail "personal/ is $(stat -c %a "$ML/personal"), not 700"
[ "$(stat -c %a "$ML/personal/jeunes-3.csv")" = 600 ] || fail "the kept file is not 0600"
[ -f "$ML/archive/jeunes-3.csv.rapport.txt" ] || fail "no report in archive/"
no_personal_data "$DB"* "$LOG" "$ML/archive" "$ML/rejected" "$ML/incoming" "$ML/processing" \
  "$T/conf/var"
touch -d '3 days ago' "$ML/personal/jeunes-3.csv"
"$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"
[ ! -e "$ML/personal/jeunes-3.csv" ] || fail "not deleted after keep_days"
grep -q 'personal-data file deleted after 2 days' "$LOG" || fail "the deletion is not logged"

# ---- a refused personal-data file: the report holds no value --------------------
csv_extract 'MAUVAISEANNEE;Ana;2004;3;Rue Myrha;;75018;Paris;75001;oui;deux mille;;Emploi;oui' \
  > "$ML/incoming/jeunes-4.csv"
SECRETS="$SECRETS MAUVAISEANNEE"
"$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"
grep -q 'REFUSÉ' "$ML/rejected/jeunes-4.csv.rapport.txt" || fail "the bad year was not refused"
grep -q 'ligne 11, colonne 11 : période illisible' "$ML/rejected/jeunes-4.csv.rapport.txt" ||
  fail "the refusal does not point at the cell: $(cat "$ML/rejected/jeunes-4.csv.rapport.txt")"
grep -q 'deux mille' "$ML/rejected/jeunes-4.csv.rapport.txt" && fail "the refusal repeats the value"
no_personal_data "$DB"* "$LOG" "$ML/archive" "$ML/rejected" "$T/conf/var"

# ---- the i-milo JSON extract through the mission-locale plugin --------------------
if [ -f "${PLUGINS:-/nonexistent}/mission-locale.so" ]; then
  rm -rf "$T/conf"
  config "$PLUGINS" mission-locale 0
  json_extract > "$T/jeunes.json"
  "$RELEVE" -c "$CONF" ingest --actor mission-locale "$T/jeunes.json" > "$T/ingest-json.out" 2>&1 ||
    { cat "$T/ingest-json.out" >&2; fail "the i-milo extract was refused"; }
  check_counts
  grep -q 'voie inconnue dans cette commune.*: ligne 7$' "$T/ingest-json.out" ||
    { cat "$T/ingest-json.out" >&2; fail "record on line 7 not reported"; }
  no_personal_data "$DB"* "$T/ingest-json.out"
  echo "i-milo JSON extract through the mission-locale plugin: ok"
else
  echo "mission-locale plugin not built: JSON path not run (CSV path through \"lines\" done)"
fi
echo "ok"
