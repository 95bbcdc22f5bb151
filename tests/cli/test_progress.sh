#!/bin/bash
# `releve ingest` shows its progress on a terminal (a pseudo-terminal made
# by script(1) here) and stays quiet when its error output is a file.
set -euo pipefail
: "${RELEVE:?}" "${PLUGINS:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v script >/dev/null || { echo "skipped: script(1) not installed (bsdutils)"; exit 0; }
"$RELEVE" init "$dir/x" >/dev/null
python3 - "$dir/x/releve.json" "$PLUGINS" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["plugins"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
{
  echo 'indicateur;libelle;periode;geographie;valeur;part;statut;commentaire'
  for y in 2015 2016 2017; do for a in $(seq 1 20); do
    printf 'G08.1;x;%s;751%02d;%s;;;\n' "$y" "$a" "$a"
  done; done
} > "$dir/dasco.csv"
cp "$dir/dasco.csv" "$dir/again.csv"

# Piped: the report on stdout, nothing on stderr.
"$RELEVE" -c "$dir/x/releve.json" ingest --actor dasco --dry-run "$dir/dasco.csv" \
  > "$dir/out.txt" 2> "$dir/err.txt" || fail "ingest failed: $(cat "$dir/err.txt")"
grep -q "60 valeurs reçues" "$dir/out.txt" || fail "report: $(head -5 "$dir/out.txt")"
[ ! -s "$dir/err.txt" ] || fail "progress written to a file: $(od -c "$dir/err.txt" | head -3)"

# On a terminal: "[1/2] …dasco.csv  100 %", redrawn in place, then erased.
script -qec "'$RELEVE' -c '$dir/x/releve.json' ingest --actor dasco --dry-run '$dir/dasco.csv' '$dir/again.csv'" \
  /dev/null > "$dir/tty.txt" < /dev/null || fail "ingest on a terminal failed: $(cat "$dir/tty.txt")"
grep -aq $'\r\\[1/2\\] .*dasco.csv  100 %' "$dir/tty.txt" || fail "no progress for file 1: $(od -c "$dir/tty.txt" | head)"
grep -aq $'\r\\[2/2\\] .*again.csv  100 %' "$dir/tty.txt" || fail "no progress for file 2"
grep -aq $'\r\033\\[K' "$dir/tty.txt" || fail "the progress line is not erased"
echo "cli ingest progress on a terminal, quiet when piped: ok"
