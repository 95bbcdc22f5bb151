#!/bin/bash
# Without mail.smtp, mails are written as .eml files in the outbox folder
# (parsed back here). Figures that arrive between two steps (`releve ingest`
# of a collection file, "lines" plugin) shrink the next reminder to what is
# still missing; a complete actor gets none.
. "$(dirname "$0")/lib.sh"
make_config 0
HEADER='indicateur;periode;geographie;valeur;part;statut;commentaire'

"$RELEVE" -c "$CONF" remind --date 2023-03-20 > "$T/run.txt" || fail "remind failed"
grep -q "^boîte d'envoi : 3 envoyés (écrits dans le dossier mail.outbox)" "$T/run.txt" || fail "summary: $(tail -1 "$T/run.txt")"
[ "$(ls "$OUTBOX" | grep -c '\.eml$')" = 3 ] || fail "not 3 .eml files: $(ls -a "$OUTBOX")"
[ "$(ls -a "$OUTBOX" | grep -c 'tmp')" = 0 ] || fail "temporary files left: $(ls -a "$OUTBOX")"
for f in "$OUTBOX"/*.eml; do
  [ "$(parse "$f" 'm["defects"] == [] and m["crlf_only"] and m["max_line"] <= 78')" = True ] || fail "$f is not a clean message"
  id=$(parse "$f" 'm["message_id"]')
  [ "$(basename "$f")" = "$(echo "$id" | tr -d '<>').eml" ] || fail "$f not named after $id"
  [ "$(sql "select state from mail_queue where message_id = '$id'")" = sent ] || fail "$id not marked sent"
done
M=$(mail_to "$OUTBOX" gip@gip.example.org)
[ "$(parse "$M" 'm["subject"]')" = "Rappel : 6 chiffres 2022 attendus d'ici le 31 mars 2023" ] || fail "first gip subject"

# gip sends two of its six figures; ars a file that is refused.
printf '%s\nG01.1;2022;QPV;3;;;\nG01.1;2022;QP;4;;;\n' "$HEADER" > "$T/gip_2022.csv"
"$RELEVE" -c "$CONF" ingest --actor gip "$T/gip_2022.csv" > "$T/ingest.txt" || fail "ingest refused: $(cat "$T/ingest.txt")"
printf '%s\nH49.1;2022;QPV;beaucoup;;;\n' "$HEADER" > "$T/ars.csv"
"$RELEVE" -c "$CONF" ingest --actor ars "$T/ars.csv" > /dev/null && fail "a bad figure was accepted"

# J-3: gip is reminded of the four cells left, the others of all theirs.
"$RELEVE" -c "$CONF" remind --date 2023-03-28 > "$T/run.txt" || fail "second remind failed"
[ "$(ls "$OUTBOX" | grep -c '\.eml$')" = 6 ] || fail "not 3 more mails"
M=$(mail_to "$OUTBOX" gip@gip.example.org)
[ "$(parse "$M" 'm["subject"]')" = "Rappel : 4 chiffres 2022 attendus d'ici le 31 mars 2023" ] || fail "second gip subject: $(parse "$M" 'm["subject"]')"
parse "$M" 'm["body"]' > "$T/body.txt"
grep -q "^  - G01\.1" "$T/body.txt" && fail "a figure received is still asked for"
[ "$(grep -c '^  - G01\.[23] ' "$T/body.txt")" = 4 ] || fail "the four missing cells are not listed"
[ "$(sql "select cells from reminders where actor='gip' and step='J-3'")" = 4 ] || fail "reminders.cells"
python3 "$HERE/parse.py" "$M" --save-attachment 0 "$T/attached.xlsx" >/dev/null
"$RELEVE" -c "$CONF" template --actor gip --year 2022 -o "$T/template.xlsx"
cmp -s "$T/attached.xlsx" "$T/template.xlsx" || fail "the attachment is not the template"
[ "$(parse "$(mail_to "$OUTBOX" sante@ars.example.org)" 'm["subject"]')" = "Rappel : 2 chiffres 2022 attendus d'ici le 31 mars 2023" ] || fail "ars subject"

# gip completes (a suppressed and a not-available figure count as given).
printf '%s\nG01.2;2022;QPV;10;;;\nG01.2;2022;QP;s;;;\nG01.3;2022;QPV;5;0.4;;\nG01.3;2022;QP;nd;;;\n' "$HEADER" > "$T/gip_rest.csv"
"$RELEVE" -c "$CONF" ingest --actor gip "$T/gip_rest.csv" > "$T/ingest.txt" || fail "second ingest refused: $(cat "$T/ingest.txt")"
"$RELEVE" -c "$CONF" remind --date 2023-04-01 > "$T/run.txt" || fail "third remind failed"
grep -q "^2 relances mises en file ; 1 acteur complet," "$T/run.txt" || fail "third run: $(tail -2 "$T/run.txt")"
[ "$(sql "select count(*) from reminders where actor='gip' and step='J+1'")" = 0 ] || fail "a complete actor was reminded"
echo "outbox folder and shrinking reminders: ok"
