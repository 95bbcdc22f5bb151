#!/bin/bash
# releved sends mail without blocking its loop: the reminder ladder at
# start-up (a campaign opened days ago gets its opening mail), a receipt for
# each file taken from the spool (accepted or refused, with its report),
# and no reminder twice across a restart.
. "$(dirname "$0")/lib.sh"
: "${RELEVED:?}"
start_smtp accept
today=$(date +%F)
opens=$(date -d "$today - 5 days" +%F)
due=$(date -d "$today + 30 days" +%F)
make_config 1 "c['campaigns'] = [{'period': 2022, 'opens': '$opens', 'due': '$due'}]"
HEADER='indicateur;periode;geographie;valeur;part;statut;commentaire'

start_daemon
wait_for 15 "[ \$(received) -ge 3 ]" || fail "no reminders at start-up ($(received) mails)"
M=$(mail_to "$SINK" gip@gip.example.org)
due_fr=$(python3 -c '
import sys
m = ["janvier","février","mars","avril","mai","juin","juillet","août","septembre","octobre","novembre","décembre"]
y, mo, d = map(int, sys.argv[1].split("-"))
print(("1er" if d == 1 else str(d)) + " " + m[mo - 1] + " " + str(y))' "$due")
[ "$(parse "$M" 'm["subject"]')" = "Ouverture de la collecte 2022 du contrat de ville : 6 chiffres attendus d'ici le $due_fr" ] ||
  fail "opening subject: $(parse "$M" 'm["subject"]')"
grep -q "La collecte des chiffres 2022 .* est ouverte" <(parse "$M" 'm["body"]') || fail "opening body"

# A file accepted, a file refused: each sender gets its report.
printf '%s\nG01.1;2022;QPV;3;;;\n' "$HEADER" > "$T/conf/spool/gip/incoming/.gip_2022.csv.part"
mv "$T/conf/spool/gip/incoming/.gip_2022.csv.part" "$T/conf/spool/gip/incoming/gip_2022.csv"
wait_for 15 "[ \$(received) -ge 4 ]" || fail "no receipt for an accepted file"
M=$(mail_to "$SINK" gip@gip.example.org)
[ "$(parse "$M" 'm["subject"]')" = "relevé : fichier gip_2022.csv accepté" ] || fail "receipt subject: $(parse "$M" 'm["subject"]')"
grep -q '^Subject: =?UTF-8?Q?relev=C3=A9_' "$M" || fail "receipt subject not encoded"
parse "$M" 'm["body"]' > "$T/receipt.txt"
grep -q "ACCEPTÉ" "$T/receipt.txt" || fail "the report is not in the receipt"
grep -q "« gip_2022.csv »" "$T/receipt.txt" || fail "the file is not named in the receipt"
[ "$(parse "$M" 'm["attachments"]')" = "[]" ] || fail "a receipt has an attachment"

printf '%s\nH49.1;2022;QPV;beaucoup;;;\n' "$HEADER" > "$T/conf/spool/ars/incoming/.ars.csv.part"
mv "$T/conf/spool/ars/incoming/.ars.csv.part" "$T/conf/spool/ars/incoming/ars.csv"
wait_for 15 "[ \$(received) -ge 5 ]" || fail "no receipt for a refused file"
M=$(mail_to "$SINK" sante@ars.example.org)
[ "$(parse "$M" 'm["subject"]')" = "relevé : fichier ars.csv refusé" ] || fail "refusal subject: $(parse "$M" 'm["subject"]')"
grep -q "REFUSÉ" <(parse "$M" 'm["body"]') || fail "the refusal report is not in the receipt"
grep -q "beaucoup" <(parse "$M" 'm["body"]') || fail "the refused value is not quoted"
stop_daemon

# A restart runs the ladder again: nothing new is sent.
n=$(received)
start_daemon
wait_for 15 "grep -q 'reminders for $today: 1 campaign with a step due, 0 queued' '$LOG'" ||
  fail "the restart's ladder run is not logged as sending nothing"
stop_daemon
[ "$(received)" = "$n" ] || fail "a reminder was sent twice across a restart"
[ "$(sql "select count(*) from mail_queue where state != 'sent'")" = 0 ] || fail "mail left unsent"
echo "daemon reminders and receipts: ok"
