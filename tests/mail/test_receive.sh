#!/bin/bash
# `releve receive`: a partner's reply with the filled table attached, as
# Python's email writes it in each of the forms mail clients use (the
# table's own type, application/octet-stream with a .xlsx name, RFC 2231
# and RFC 2047 names, quoted-printable, a forwarded message in nested
# multiparts, 8-bit headers), is dropped into the actor's incoming/; the
# same message again changes nothing; releved ingests the file with
# channel "mail" and its Message-ID, and the receipt answers in the thread.
# A message with only a signature logo is no submission. A real mail
# client: mutt in batch mode.
. "$(dirname "$0")/lib.sh"
. "$HERE/receive_lib.sh"
: "${RELEVED:?}"

write plain gip@gip.example.org "$GIP_TO" "$T/plain.eml" "$T/gip.csv"
receive -f gip@gip.example.org <"$T/plain.eml"
[ "$RC" = 0 ] || fail "receive exited $RC: $(cat "$T/receive.err")"
grep -q "plain.1@partner.example de gip : 1 fichier déposé" "$T/receive.out" || fail "output: $(cat "$T/receive.out")"
[ -f "$INCOMING/gip.csv" ] || fail "gip.csv not dropped: $(ls -R "$T/conf/spool/gip")"
# A text part travels with CRLF line ends (RFC 2046): the lines are the file's.
cmp -s <(tr -d '\r' <"$INCOMING/gip.csv") "$T/gip.csv" || fail "the dropped file is not the attachment"
receive -f gip@gip.example.org <"$T/plain.eml"
[ "$RC" = 0 ] || fail "second receive exited $RC"
grep -q "déjà reçu" "$T/receive.out" || fail "second receive: $(cat "$T/receive.out")"
[ "$(ls "$INCOMING" | wc -l)" = 1 ] || fail "the same message dropped twice: $(ls "$INCOMING")"

# The daemon takes it: channel "mail", the Message-ID, a receipt in the thread.
timeout 60 "$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "releved --once failed"
[ "$(sql "select channel || ' ' || message_id || ' ' || outcome from submissions")" = "mail plain.1@partner.example accepted" ] ||
  fail "submission: $(sql 'select channel, message_id, outcome from submissions')"
"$RELEVE" -c "$CONF" submissions >"$T/subs.txt" 2>&1 || fail "releve submissions failed"
grep -q "courriel" "$T/subs.txt" || fail "the channel is not shown: $(cat "$T/subs.txt")"
M=$T/receipt.eml
sql_blob "$M" message "from mail_queue where recipients = 'gip@gip.example.org,direction@gip.example.org' order by id desc limit 1"
[ -s "$M" ] || fail "no receipt queued: $(sql 'select recipients, subject from mail_queue')"
grep -q "^In-Reply-To: <plain.1@partner.example>" "$M" || fail "receipt not in the thread: $(head -20 "$M")"
grep -q "^References: <plain.1@partner.example>" "$M" || fail "receipt without References"
[ "$(parse "$M" 'm["reply_to"]')" = "$GIP_TO" ] || fail "receipt Reply-To: $(parse "$M" 'm["reply_to"]')"
grep -q "ACCEPTÉ" <(parse "$M" 'm["body"]') || fail "the report is not the receipt's body"

# Each form a mail client writes; each message a new Message-ID.
n=1
for kind in octet rfc2231 rfc2047 forward; do
  n=$((n + 1))
  file=$T/modele.xlsx
  [ "$kind" = rfc2231 ] || [ "$kind" = forward ] && { file=$T/g$n.csv; sed "s/;3;/;$n;/" "$T/gip.csv" >"$file"; }
  write "$kind" gip@gip.example.org "$GIP_TO" "$T/$kind.eml" "$file"
  receive -f gip@gip.example.org <"$T/$kind.eml"
  [ "$RC" = 0 ] || fail "$kind: receive exited $RC: $(cat "$T/receive.err")"
  grep -q "1 fichier déposé" "$T/receive.out" || fail "$kind: $(cat "$T/receive.out")"
done
ls "$INCOMING" >"$T/names"
grep -qx "modele.xlsx" "$T/names" || fail "octet-stream .xlsx not dropped: $(cat "$T/names")"
grep -qx "données_été_1.csv" "$T/names" || fail "RFC 2231 name not decoded: $(cat "$T/names")"
grep -qx "tableau_réalisé.xlsx" "$T/names" || fail "RFC 2047 name not decoded: $(cat "$T/names")"
grep -qx "g5.csv" "$T/names" || fail "forwarded attachment not dropped: $(cat "$T/names")"
cmp -s "$INCOMING/modele.xlsx" "$T/modele.xlsx" || fail "the base64 .xlsx is not the file sent"
cmp -s <(tr -d '\r' <"$INCOMING/données_été_1.csv") "$T/g3.csv" ||
  fail "the quoted-printable CSV is not the file sent"

# A signature logo and an HTML body are not a submission.
write signature gip@gip.example.org "$GIP_TO" "$T/signature.eml"
receive -f gip@gip.example.org <"$T/signature.eml"
[ "$RC" = 0 ] || fail "signature: receive exited $RC"
quarantined signature.1@partner.example || fail "a message without a table is not quarantined"
grep -q "aucune pièce jointe" "$QUARANTINE/m-signature.1@partner.example.raison" || fail "reason: $(cat "$QUARANTINE"/*.raison)"
[ "$(ls "$INCOMING" | wc -l)" = 4 ] || fail "the logo was dropped: $(ls "$INCOMING")"

# mutt, in batch mode, as a partner's mail client: its "sendmail" keeps the message.
cat >"$T/sendmail" <<SH
#!/bin/sh
cat >"$T/mutt.eml"
SH
chmod +x "$T/sendmail"
sed "s/;3;/;9;/" "$T/gip.csv" >"$T/mutt.csv"
printf 'Bonjour,\nle tableau rempli.\n' |
  HOME=$T mutt -n -F /dev/null -e "set from=gip@gip.example.org" -e "set sendmail=$T/sendmail" \
    -e "set use_from=yes" -e "set charset=utf-8" -s "Re: relance" -a "$T/mutt.csv" -- "$GIP_TO" ||
  fail "mutt failed"
[ -s "$T/mutt.eml" ] || fail "mutt wrote nothing"
receive -f gip@gip.example.org <"$T/mutt.eml"
[ "$RC" = 0 ] || fail "mutt's message: receive exited $RC: $(cat "$T/receive.err")"
grep -q "1 fichier déposé" "$T/receive.out" || fail "mutt's message: $(cat "$T/receive.out")"
[ -f "$INCOMING/mutt.csv" ] || fail "mutt's attachment not dropped: $(ls "$INCOMING")"
echo ok
