#!/bin/bash
# Files that send nothing are refused as "fichier sans données" (a header
# alone, an empty i-milo list) and do not count as an answer; a file that
# starts with a UTF-8 BOM but holds Windows-1252 bytes is accepted with a
# warning naming the line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
header='indicateur;libelle;periode;geographie;valeur;part;statut;commentaire'

printf '%s\n' "$header" > "$dir/entete.csv"
if "$RELEVE" -c "$conf" ingest --actor dasco "$dir/entete.csv" > "$dir/out" 2>&1; then
  cat "$dir/out" >&2; fail "a header-only file was accepted"
fi
grep -q 'REFUSÉ' "$dir/out" || { cat "$dir/out" >&2; fail "not refused"; }
grep -q 'fichier sans données' "$dir/out" || { cat "$dir/out" >&2; fail "no 'fichier sans données'"; }

printf '[]\n' > "$dir/vide.json"
if "$RELEVE" -c "$conf" ingest --actor mission-locale "$dir/vide.json" > "$dir/out" 2>&1; then
  cat "$dir/out" >&2; fail "an empty JSON list was accepted"
fi
grep -q 'fichier sans données' "$dir/out" || { cat "$dir/out" >&2; fail "no 'fichier sans données' for []"; }
# Neither counts as an answer.
given=$("$RELEVE" -c "$conf" status --year 2019 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["given"])')
[ "$given" = 0 ] || fail "$given figures given after two empty files"

# A BOM, UTF-8 on line 2, Windows-1252 on line 3 ("é" as the byte E9).
printf '\xef\xbb\xbf%s\nG08.1;x;2019;QPV;3;;;d\xc3\xa9j\xc3\xa0\nG08.1;x;2019;QP;4;;;r\xe9vis\xe9\n' "$header" > "$dir/bom.csv"
"$RELEVE" -c "$conf" ingest --actor dasco "$dir/bom.csv" > "$dir/out" 2>&1 ||
  { cat "$dir/out" >&2; fail "the BOM file was refused"; }
grep -q 'ACCEPTÉ' "$dir/out" || { cat "$dir/out" >&2; fail "not accepted"; }
grep -q "ligne 3 : .*marque de l'UTF-8 (BOM) mais contient.*Windows-1252" "$dir/out" ||
  { cat "$dir/out" >&2; fail "the report does not say the encoding was mixed"; }
# A file in UTF-8 throughout says nothing of it.
printf '\xef\xbb\xbf%s\nG08.1;x;2020;QPV;3;;;d\xc3\xa9j\xc3\xa0\n' "$header" > "$dir/bom-ok.csv"
"$RELEVE" -c "$conf" ingest --actor dasco "$dir/bom-ok.csv" > "$dir/out" 2>&1 || { cat "$dir/out" >&2; fail "refused"; }
if grep -q 'Windows-1252' "$dir/out"; then fail "a clean UTF-8 file was warned about"; fi
echo "empty files refused, mixed BOM file warned: ok"
