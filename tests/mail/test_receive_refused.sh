#!/bin/bash
# What `releve receive` never ingests, one case each: an unknown sender;
# no reply address, a made-up token, a token rotated away; gip's token
# with ars's sender (a spoofed From that holds another actor's valid
# token); an envelope sender not the actor's; a message over
# mail.max_message_bytes; one to a personal-data actor (its headers kept,
# not its attachment). Each is kept in quarantine (0700) with its
# reason, counted by `releve status`, and answered with a French note
# through the mail queue: once per sender and day, never to an automatic
# message or a bounce. Nothing lands in incoming/.
. "$(dirname "$0")/lib.sh"
RECEIVE_CONFIG="c['mail']['max_message_bytes'] = 4096
c['actors'].append({'id': 'mission-locale', 'emails': ['observatoire@ml.example.org'], 'plugin': 'lines', 'personal_data': True})"
. "$HERE/receive_lib.sh"

n=0
# refused NAME FROM TO [receive args]: the message is quarantined, reason matching $WHY.
refused() {
  local name=$1 from=$2 to=$3
  shift 3
  n=$((n + 1))
  MSG_N=$n write plain "$from" "$to" "$T/$name.eml" "$T/gip.csv"
  receive "$@" <"$T/$name.eml"
  [ "$RC" = 0 ] || fail "$name: receive exited $RC: $(cat "$T/receive.err")"
  quarantined "plain.$n@partner.example" || fail "$name: not quarantined: $(cat "$T/receive.out")"
  grep -q "$WHY" "$QUARANTINE/m-plain.$n@partner.example.raison" ||
    fail "$name: reason '$(cat "$QUARANTINE/m-plain.$n@partner.example.raison")', not '$WHY'"
  [ -z "$(ls -A "$INCOMING" 2>/dev/null)" ] || fail "$name: a file was dropped: $(ls "$INCOMING")"
}
notes_to() { sql "select count(*) from mail_queue where recipients = '$1'"; }

WHY="n'est pas une adresse de l'acteur gip" refused unknown intrus@example.net "$GIP_TO"
[ "$(notes_to intrus@example.net)" = 1 ] || fail "no note to the unknown sender"
sql_blob "$T/note.eml" message "from mail_queue where recipients = 'intrus@example.net'"
grep -q "pas été pris en compte" <(parse "$T/note.eml" 'm["body"]') || fail "note: $(parse "$T/note.eml" 'm["body"]')"
grep -q "joignant le tableau rempli" <(parse "$T/note.eml" 'm["body"]') || fail "the note does not say what to do"
# To a personal-data actor (mission-locale): the quarantine keeps the
# headers, never the attachment, whose rows are about people.
WHY="ses pièces jointes ne sont pas gardées (l'acteur mission-locale envoie des données personnelles)" \
  refused personal intrus5@example.net "$("$RELEVE" -c "$CONF" mail-token mission-locale)"
grep -q "^Subject:" "$QUARANTINE/m-plain.$n@partner.example.eml" || fail "personal: the headers were not kept"
if grep -qi "gip.csv\|^Content-Disposition" "$QUARANTINE/m-plain.$n@partner.example.eml"; then
  fail "personal: the attachment was kept: $(cat "$QUARANTINE/m-plain.$n@partner.example.eml")"
fi
grep -q "gip.csv" "$QUARANTINE/m-plain.1@partner.example.eml" || fail "gip's quarantined message lost its attachment"
WHY="aucune adresse de réponse" refused no_token gip@gip.example.org depot@paris.example.org
WHY="aucune adresse de réponse" refused coordinator gip@gip.example.org coordination@paris.example.org
fake="depot+gip.$(printf 'a%.0s' $(seq 26))@paris.example.org"
WHY="n'est pas (ou plus) celui d'un acteur" refused made_up gip@gip.example.org "$fake"
# ars's sender with gip's valid token: refused, and ars's own token is another.
[ "$ARS_TO" != "$GIP_TO" ] || fail "two actors share a reply address"
WHY="sante@ars.example.org n'est pas une adresse de l'acteur gip" refused spoofed sante@ars.example.org "$GIP_TO"
WHY="l'expéditeur d'enveloppe intrus@example.net" refused envelope gip@gip.example.org "$GIP_TO" -f intrus@example.net
# Once a day per sender: the second refusal of gip's address got no second note.
[ "$(notes_to gip@gip.example.org)" = 1 ] || fail "gip got $(notes_to gip@gip.example.org) notes in a day"

# Too large: only the head is kept, the reason says so.
python3 -c 'import sys; sys.stdout.write("x" * 8000)' >"$T/big.csv"
cat "$T/gip.csv" "$T/big.csv" >"$T/big2.csv"
MSG_N=99 write plain gip@gip.example.org "$GIP_TO" "$T/big.eml" "$T/big2.csv"
receive <"$T/big.eml"
[ "$RC" = 0 ] || fail "too large: receive exited $RC"
quarantined plain.99@partner.example || fail "too large: not quarantined: $(cat "$T/receive.out")"
grep -q "au-delà de mail.max_message_bytes (4096)" "$QUARANTINE/m-plain.99@partner.example.raison" || fail "too large: reason"
[ "$(stat -c %s "$QUARANTINE/m-plain.99@partner.example.eml")" = 4096 ] || fail "too large: not cut at 4096 bytes"

# A token rotated away: the old address no longer lets gip in.
old=$GIP_TO
GIP_TO=$("$RELEVE" -c "$CONF" mail-token --rotate gip)
WHY="n'est pas (ou plus) celui d'un acteur" refused rotated gip@gip.example.org "$old"

# No note to an automatic message, nor to a bounce (null envelope sender).
HEADERS="Auto-Submitted: auto-replied" WHY="intrus" refused auto intrus2@example.net "$GIP_TO"
[ "$(notes_to intrus2@example.net)" = 0 ] || fail "an auto-replied message was answered"
HEADERS="Precedence: bulk" WHY="intrus" refused bulk intrus3@example.net "$GIP_TO"
[ "$(notes_to intrus3@example.net)" = 0 ] || fail "a bulk message was answered"
WHY="intrus4" refused bounce intrus4@example.net "$GIP_TO" -f ""
[ "$(notes_to intrus4@example.net)" = 0 ] || fail "a bounce was answered"

# The quarantine is the daemon user's alone, and `releve status` counts it.
[ "$(stat -c %a "$QUARANTINE")" = 700 ] || fail "quarantine mode $(stat -c %a "$QUARANTINE")"
count=$(sql "select count(*) from mail_messages where outcome = 'quarantined'")
"$RELEVE" -c "$CONF" status >"$T/status.txt" 2>&1 || fail "status failed"
grep -q "messages des partenaires : 0 pris, $count en quarantaine ($QUARANTINE)" "$T/status.txt" || fail "status: $(grep -i quarant "$T/status.txt" || tail -5 "$T/status.txt")"
# The same refused message again: no second note, nothing new.
receive <"$T/unknown.eml"
grep -q "déjà reçu" "$T/receive.out" || fail "a quarantined message taken twice: $(cat "$T/receive.out")"
[ "$(notes_to intrus@example.net)" = 1 ] || fail "a message delivered twice was answered twice"

# With mail.trust_authentication_results, the city's MX must have seen DKIM
# or SPF pass: a failed verdict, or a pass written by another host, is refused.
python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["mail"]["trust_authentication_results"] = "mx.paris.example.org"
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
HEADERS="Authentication-Results: mx.paris.example.org; dkim=fail header.d=gip.example.org; spf=softfail smtp.mailfrom=gip.example.org" \
  WHY="aucun en-tête Authentication-Results de mx.paris.example.org" refused auth_fail gip@gip.example.org "$GIP_TO"
HEADERS="Authentication-Results: mx.intrus.example; dkim=pass header.d=gip.example.org" \
  WHY="aucun en-tête Authentication-Results de mx.paris.example.org" refused auth_other gip@gip.example.org "$GIP_TO"
n=$((n + 1))
HEADERS="Authentication-Results: mx.paris.example.org; dkim=none; spf=pass smtp.mailfrom=gip.example.org" \
  MSG_N=$n write plain gip@gip.example.org "$GIP_TO" "$T/auth_pass.eml" "$T/gip.csv"
receive <"$T/auth_pass.eml"
grep -q "1 fichier déposé" "$T/receive.out" || fail "spf=pass refused: $(cat "$T/receive.out")"

# Nothing at all on stdin: 65, which the MTA bounces.
receive </dev/null
[ "$RC" = 65 ] || fail "empty input: exit $RC, not 65"
echo ok
