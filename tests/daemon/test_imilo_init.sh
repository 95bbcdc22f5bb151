#!/bin/bash
# An i-milo export dropped into the Mission Locale spool of the configuration
# `releve init` writes (its personal-data settings as written; the plugin folder
# and one presence indicator added): 2,000 dossiers for
# 1,988 young people, with names, e-mails and birth dates. None of them is
# found anywhere in the state tree (database and its WAL while the daemon
# runs, archive/, rejected/, personal/, the log, the outbox); T26.1 counts
# people present in each year by the overlap of their CEJ, each once.
# Then the entry's "personal_data" is removed: check-config is an error,
# and the daemon still handles the next file as personal data because the
# plugin declares it.
. "$(dirname "$0")/lib.sh"
: "${PLUGINS:?}"
[ -f "$PLUGINS/mission-locale.so" ] || { echo "skipped: partner plugins not built"; exit 0; }
ML=$T/conf/spool/mission-locale
# The CAF back on its own plugin (lib.sh gives it a test plugin from elsewhere);
# the Mission Locale's mapping as written, plus the one line that counts
# young people present in each year (T26.1, by the overlap of their CEJ).
make_config "
c['plugins'] = '$PLUGINS'
for a in c['actors']:
    if a['id'] == 'caf':
        a['plugin'] = 'caf'
    if a['id'] == 'mission-locale':
        m = a['mapping']
        for spec in m['indicators'].values():
            spec.setdefault('period', m['period'])
        m['period'] = {'start': 'cej_annee_debut', 'end': 'cej_annee_fin', 'format': 'year'}
        m['indicators']['T26.1'] = {'op': 'count_distinct', 'key': 'id_jeune'}
"
"$RELEVE" -c "$CONF" check-config > "$T/check.out" || { cat "$T/check.out" >&2; fail "check-config refused the init configuration"; }

# The export and the truth it holds (written beside it, read back below).
python3 - "$T/export.json" "$T/truth.json" <<'PY'
import json, random, sys
rnd = random.Random(16)
def letters(i):
    s = ""
    for _ in range(4):
        s += chr(ord("A") + i % 26); i //= 26
    return s
people, dossiers = [], []
for i in range(1988):
    start = rnd.randint(2016, 2023)
    end = None if rnd.random() < 0.3 else min(start + rnd.randint(0, 2), 2024)
    people.append((i, start, end))
# Twelve young people come back for a second CEJ.
for i in range(12):
    start = people[i][1] + 1
    people.append((i, start, None))
for k, (i, start, end) in enumerate(people):
    dossiers.append({
        "idDossier": "D%07d" % (5000000 + k), "idJeune": "JPRIV%05d" % i,
        "nom": "NOMPRIVE" + letters(i), "prenom": "Prenomprive" + letters(i).lower(),
        "email": "prive.%s@courriel-jeune.example.net" % letters(i).lower(),
        "telephone": "06%08d" % (31415926 + i),
        "adresse": {"numero": str(1 + i % 90), "libelleVoie": "Rue Secretepriv" + letters(i),
                    "complement": None, "codePostal": "75018", "commune": "Paris"},
        "dateNaissance": "2003-%02d-%02d" % (1 + i % 12, 1 + i % 28),
        "structureRattachement": {"codeStructure": "75001"},
        "accompagnementCEJ": {"accompagnementCEJ": True, "dateDebut": "%d-03-14" % start,
                              "dateFinPrevue": "%d-03-13" % (start + 1),
                              "dateFinReelle": None if end is None else "%d-12-20" % end},
        "situations": [{"etat": "EN_COURS", "categorieSituation": "Emploi",
                        "dateDebut": "2023-01-09", "dateFin": None}]})
json.dump({"dateExport": "2024-01-31", "jeunes": dossiers}, open(sys.argv[1], "w"),
          ensure_ascii=False, indent=1)
truth = {}
for y in range(2015, 2024):
    truth[str(y)] = len({i for i, s, e in people if s <= y <= (2023 if e is None else e)})
truth["starts2019"] = len({i for i, s, e in people if s == 2019})
json.dump(truth, open(sys.argv[2], "w"))
PY
SECRETS='NOMPRIVE Prenomprive courriel-jeune JPRIV Secretepriv D500000 063141'

start_daemon
mkdir -p "$ML/incoming"
cp "$T/export.json" "$ML/incoming/.imilo.json.part"
mv "$ML/incoming/.imilo.json.part" "$ML/incoming/imilo.json"
wait_for 60 "test -f '$ML/archive/imilo.json.rapport.txt'" || fail "no report for the export"
grep -q 'ACCEPTÉ' "$ML/archive/imilo.json.rapport.txt" ||
  fail "not accepted: $(cat "$ML/archive/imilo.json.rapport.txt")"
[ -z "$(find "$ML" -type f ! -name '*.rapport.txt')" ] ||
  fail "the export is still in the spool: $(find "$ML" -type f)"
# The database's own files are searched too: SQLite's WAL beside it, or
# the PostgreSQL server's folder (its tables and WAL).
case $DB in
  postgresql://*) STORE_FILES=$PG_DIR ;;
  *) ls "$DB"-wal >/dev/null 2>&1 || fail "no WAL to search while the daemon runs"; STORE_FILES= ;;
esac
no_personal_data "$T/conf" "$LOG" $STORE_FILES
stop_daemon
no_personal_data "$T/conf" "$LOG" $STORE_FILES

# People present each year, once each, whatever their number of dossiers.
for y in 2016 2019 2022 2023; do
  want=$(python3 -c "import json; print(json.load(open('$T/truth.json'))['$y'])")
  got=$(sql "SELECT CAST(value AS INTEGER) FROM observations WHERE indicator='T26.1' AND period='$y' AND geography='PARIS'")
  [ "$got" = "$want" ] || fail "T26.1 $y: $got, expected $want"
done
starts=$(python3 -c "import json; print(json.load(open('$T/truth.json'))['starts2019'])")
[ "$(sql "SELECT CAST(value AS INTEGER) FROM observations WHERE indicator='T26.1' AND period='2019'")" -gt "$starts" ] ||
  fail "T26.1 2019 counts starts ($starts), not presence"

# Without "personal_data": an error for check-config, personal data all the same.
python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for a in c["actors"]:
    if a["id"] == "mission-locale":
        a.pop("personal_data"); a.pop("keep_days")
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
if "$RELEVE" -c "$CONF" check-config > "$T/check.out"; then fail "check-config accepted the actor without personal_data"; fi
grep -q 'error: actor "mission-locale": plugin "mission-locale" decodes person-level records; add "personal_data": true' "$T/check.out" ||
  { cat "$T/check.out" >&2; fail "check-config does not say what is missing"; }
python3 - "$T/export.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["jeunes"] = d["jeunes"][:50]
d["jeunes"][0]["accompagnementCEJ"]["dateDebut"] = "hier"  # a refused file this time
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False)
PY
cp "$T/export.json" "$ML/incoming/imilo-2.json"
"$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"
grep -q 'REFUSÉ' "$ML/rejected/imilo-2.json.rapport.txt" ||
  fail "the broken export was not refused: $(find "$ML" -type f)"
[ -z "$(find "$ML" -type f ! -name '*.rapport.txt')" ] ||
  fail "the export was kept although the plugin declares personal data: $(find "$ML" -type f)"
grep -q 'plugin "mission-locale" decodes person-level records' "$LOG" || fail "no warning in the log"
no_personal_data "$T/conf" "$LOG"
echo "i-milo export through the init configuration: nothing personal in the state; T26.1 by presence: ok"
