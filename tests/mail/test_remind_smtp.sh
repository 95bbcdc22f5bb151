#!/bin/bash
# A campaign with missing figures: `releve remind` sends, over SMTP to a real
# server on loopback, one mail per actor listing exactly its missing cells by
# action, with the pre-filled template attached; the mails parse back with
# python's email package (French subject from its encoded-words, UTF-8
# quoted-printable body, base64 CSV); a dry run writes nothing; running again
# sends nothing new.
. "$(dirname "$0")/lib.sh"
start_smtp accept
# Due in February: the subjects carry an accent, hence encoded-words.
make_config 1 'c["campaigns"] = [{"period": 2022, "opens": "2023-01-02", "due": "2023-02-28"}]'

# On 2023-02-20 the step is J-14 (J-3 comes on 2023-02-25).
"$RELEVE" -c "$CONF" remind --dry-run --date 2023-02-20 > "$T/dry.txt" || fail "dry run failed"
grep -q "^3 relances seraient mises en file ;" "$T/dry.txt" || fail "dry run summary: $(tail -2 "$T/dry.txt")"
grep -q "objet : Rappel : 6 chiffres 2022 attendus d'ici le 28 février 2023" "$T/dry.txt" || fail "dry run subject"
grep -q "copie : " "$T/dry.txt" && fail "coordinator copied before the due date"
[ "$(grep -c '^    G01\.' "$T/dry.txt")" = 6 ] || fail "dry run cell lines for gip"
[ "$(received)" = 0 ] || fail "a dry run sent mail"
[ ! -e "$DB" ] || [ "$(sql 'select count(*) from mail_queue')$(sql 'select count(*) from reminders')" = 00 ] ||
  fail "a dry run wrote"

"$RELEVE" -c "$CONF" remind --date 2023-02-20 > "$T/run.txt" || fail "remind failed: $(cat "$T/run.txt")"
grep -q "^boîte d'envoi : 3 envoyés, 0 à réessayer, 0 en échec définitif$" "$T/run.txt" || fail "summary: $(tail -1 "$T/run.txt")"
[ "$(received)" = 3 ] || fail "$(received) mails received, 3 expected"

# gip: two addresses, 6 cells (G01.1-3 × QPV, QP) under their action.
M=$(mail_to "$SINK" gip@gip.example.org)
env=${M%.eml}.json
[ "$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["from"], *e["to"])' "$env")" = \
  "releve@paris.example.org gip@gip.example.org direction@gip.example.org" ] || fail "envelope: $(cat "$env")"
[ "$(parse "$M" 'm["subject"]')" = "Rappel : 6 chiffres 2022 attendus d'ici le 28 février 2023" ] ||
  fail "subject decodes to: $(parse "$M" 'm["subject"]')"
grep -q '^Subject: =?UTF-8?Q?' "$M" || fail "subject not an encoded-word"
[ "$(parse "$M" 'm["defects"]')" = "[]" ] || fail "defects: $(parse "$M" 'm["defects"]')"
[ "$(parse "$M" 'm["max_line"] <= 78 and m["crlf_only"]')" = True ] || fail "line length or line ends"
[ "$(parse "$M" 'm["to"]')" = "['gip@gip.example.org', 'direction@gip.example.org']" ] || fail "To"
[ "$(parse "$M" 'm["cc"]')" = "[]" ] || fail "Cc before the due date"
[ "$(parse "$M" 'm["reply_to"]')" = "coordination@paris.example.org" ] || fail "Reply-To"
[ "$(parse "$M" 'm["body_cte"]')" = "quoted-printable" ] || fail "body encoding"
parse "$M" 'm["body"]' > "$T/body.txt"
grep -q "^Il nous manque encore 6 chiffres de la part de" "$T/body.txt" || fail "body count"
grep -q "^Action G01 : " "$T/body.txt" || fail "action heading"
for c in "G01.1 .* : 2022, QPV" "G01.1 .* : 2022, QP" "G01.2 .* : 2022, QPV" "G01.3 .* : 2022, QP"; do
  grep -q "^  - $c\$" "$T/body.txt" || fail "cell $c not listed"
done
[ "$(grep -c '^  - ' "$T/body.txt")" = 6 ] || fail "not exactly 6 cells listed"
grep -qF "$T/conf/spool/gip/incoming/" "$T/body.txt" || fail "spool folder not given"
grep -q "coordination@paris.example.org" "$T/body.txt" || fail "coordinator not given"
[ "$(parse "$M" '[(a["name"], a["type"]) for a in m["attachments"]]')" = "[('modele_gip_2022.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')]" ] ||
  fail "attachment: $(parse "$M" '[a["name"] for a in m["attachments"]]')"
python3 "$HERE/parse.py" "$M" --save-attachment 0 "$T/attached.xlsx" >/dev/null
"$RELEVE" -c "$CONF" template --actor gip --year 2022 -o "$T/template.xlsx"
cmp -s "$T/attached.xlsx" "$T/template.xlsx" || fail "the attachment is not the template"

# ars: 2 cells; prefecture: 4.
[ "$(parse "$(mail_to "$SINK" sante@ars.example.org)" 'm["subject"]')" = "Rappel : 2 chiffres 2022 attendus d'ici le 28 février 2023" ] || fail "ars subject"
[ "$(parse "$(mail_to "$SINK" pref@prefecture.example.org)" 'm["subject"]')" = "Rappel : 4 chiffres 2022 attendus d'ici le 28 février 2023" ] || fail "prefecture subject"

# Recorded once; running again (same day, next day) sends nothing new.
[ "$(sql "select count(*) from reminders where step='J-14' and campaign=2022 and mail is not null")" = 3 ] || fail "reminders rows"
[ "$(sql "select count(*) from mail_queue where state='sent' and attempts=1")" = 3 ] || fail "outbox rows"
"$RELEVE" -c "$CONF" remind --date 2023-02-20 > "$T/again.txt" || fail "second run failed"
grep -q "^0 relance mise en file ; 0 acteur complet, 3 déjà relancés à cette étape" "$T/again.txt" || fail "second run: $(tail -2 "$T/again.txt")"
"$RELEVE" -c "$CONF" remind --date 2023-02-21 >/dev/null || fail "third run failed"
[ "$(received)" = 3 ] || fail "mail sent again"

# After the due date, from the third overdue reminder, the coordinator is copied.
"$RELEVE" -c "$CONF" remind --date 2023-03-29 >/dev/null || fail "relance-2 run failed"
[ "$(received)" = 6 ] || fail "relance-2 not sent"
M=$(mail_to "$SINK" sante@ars.example.org)
[ "$(parse "$M" 'm["cc"]')" = "['coordination@paris.example.org']" ] || fail "coordinator not copied"
[ "$(parse "$M" 'm["subject"]')" = "Relance : 2 chiffres 2022 attendus depuis le 28 février 2023" ] || fail "overdue subject"
grep -q '"coordination@paris.example.org"' "${M%.eml}.json" || fail "coordinator not in the envelope"
echo "remind over SMTP: ok"
