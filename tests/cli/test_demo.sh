#!/bin/bash
# The demo's files (conf/demo/files.txt) on the built-in default
# configuration (conf/releve.json), through the real releved: every file is
# accepted; the collection tables fill their actors' 2019 cells, one QP
# derived from QPV + QVA (shown so in the next year's table); the open-data
# files' figures are context, said so in their reports and receipts.
set -euo pipefail
: "${RELEVE:?}" "${RELEVED:?}" "${PLUGINS:?}" "${SRC:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
python3 - "$SRC/conf/releve.json" "$dir/releve.json" "$PLUGINS" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["plugins"] = sys.argv[3]
json.dump(c, open(sys.argv[2], "w"), indent=2)
PY
grep -v '^#' "$SRC/conf/demo/files.txt" | while read -r actor file; do
  mkdir -p "$dir/spool/$actor/incoming"
  cp "$SRC/$file" "$dir/spool/$actor/incoming/"
  # Dropped a while before this run: past the built-in quiet period.
  touch -d '1 minute ago' "$dir/spool/$actor/incoming/$(basename "$file")"
done
TZ=UTC "$RELEVED" -c "$dir/releve.json" --once 2>"$dir/releved.log" ||
  fail "releved: $(tail -5 "$dir/releved.log")"
[ "$(ls "$dir"/spool/*/archive/*.rapport.txt | wc -l)" = 7 ] ||
  fail "not all accepted: $(ls "$dir"/spool/*/*/)"
"$RELEVE" -c "$dir/releve.json" status --year 2019 --json > "$dir/status.json"
python3 - "$dir/status.json" <<'PY'
import json, sys
s = {a["id"]: a for a in json.load(open(sys.argv[1]))["actors"]}
for a in ("caf", "mission-locale", "dasco", "pole-emploi", "academie"):
    assert s[a]["missing"] == 0 and s[a]["given"] == s[a]["expected"] > 0, s[a]
assert s["dasco"]["derived"] == 1, s["dasco"]
PY
"$RELEVE" -c "$dir/releve.json" template --actor dasco --year 2020 --format csv > "$dir/t.csv"
grep -q ";G10.1;.*;QP;.*;23 (dérivée);;;;" "$dir/t.csv" || fail "template: derived value not marked"
report() {
  case $1 in
    caf) cat "$dir"/spool/caf/archive/caf_current_reconstructed.csv.rapport.txt ;;
    mission-locale) cat "$dir"/spool/mission-locale/archive/imilo_*.rapport.txt ;;
    *) cat "$dir"/spool/"$1"/archive/*.rapport.txt ;;
  esac
}
grep -q "hors référentiel : 20 valeurs par arrondissement, conservées pour information" <(report caf) ||
  fail "caf report: $(report caf)"
grep -q "0 ajoutée" <(report caf) || fail "caf figures counted as added: $(report caf)"
grep -q "(heure de Paris)" <(report caf) || fail "caf report not in Paris time: $(report caf)"
grep -q "hors référentiel : 2 valeurs pour l'ensemble de Paris" <(report mission-locale) ||
  fail "mission-locale report: $(report mission-locale)"
grep -q "48 valeurs reçues : 48 ajoutées" <(report academie) || fail "academie: $(report academie)"
# The receipts, queued by --once: the first line says what the file filled.
sqlite3 "$dir/var/releve.db" "SELECT subject, message FROM mail_queue" > "$dir/outbox.txt"
grep -q "^Ce fichier a rempli 0 case attendue du r=C3=A9f=C3=A9rentiel" "$dir/outbox.txt" ||
  fail "caf open-data receipt: $(head -40 "$dir/outbox.txt")"
grep -q "^Ce fichier a rempli 48 cases attendues du r=C3=A9f=C3=A9rentiel" "$dir/outbox.txt" ||
  fail "academie receipt: $(head -40 "$dir/outbox.txt")"
echo "demo: 7 files accepted, 5 actors' 2019 cells filled (1 derived), context said: ok"
