#!/bin/bash
# `releve mail-token [--rotate] ACTOR`: the actor's reply address, made
# once and kept, another for each actor, replaced by --rotate; the
# reminders then give the current one as their Reply-To and say to reply
# with the table, naming the spool folder only to an actor that uses it.
# Without mail.reply_to the command says what to set.
. "$(dirname "$0")/lib.sh"
make_config 0
"$RELEVE" -c "$CONF" mail-token gip >"$T/out" 2>"$T/err" && fail "mail-token without mail.reply_to succeeded"
grep -q 'mail.reply_to is not set' "$T/err" || fail "no word of mail.reply_to: $(cat "$T/err")"
python3 - "$CONF" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["mail"]["reply_to"] = "depot@paris.example.org"
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
a=$("$RELEVE" -c "$CONF" mail-token gip)
[[ "$a" =~ ^depot\+gip\.[a-z2-7]{26}@paris\.example\.org$ ]] || fail "address: $a"
[ "$("$RELEVE" -c "$CONF" mail-token gip)" = "$a" ] || fail "the token changed without --rotate"
b=$("$RELEVE" -c "$CONF" mail-token ars)
[ "${b#depot+ars.}" != "${a#depot+gip.}" ] || fail "two actors share a token"
"$RELEVE" -c "$CONF" mail-token nobody 2>"$T/err" && fail "an unknown actor got a token"
grep -q 'no actor "nobody"' "$T/err" || fail "unknown actor: $(cat "$T/err")"
r=$("$RELEVE" -c "$CONF" mail-token --rotate gip)
[[ "$r" =~ ^depot\+gip\.[a-z2-7]{26}@paris\.example\.org$ ]] || fail "rotated address: $r"
[ "$r" != "$a" ] || fail "--rotate kept the token"
[ "$("$RELEVE" -c "$CONF" mail-token gip)" = "$r" ] || fail "the rotated token was not kept"
"$RELEVE" -c "$CONF" remind --date 2023-03-20 >/dev/null 2>"$T/err" || fail "remind: $(cat "$T/err")"
M=$(mail_to "$OUTBOX" gip@gip.example.org)
[ "$(parse "$M" 'm["reply_to"]')" = "$r" ] || fail "Reply-To of the reminder: $(parse "$M" 'm["reply_to"]')"
M=$(mail_to "$OUTBOX" sante@ars.example.org)
[ "$(parse "$M" 'm["reply_to"]')" = "$b" ] || fail "Reply-To of ars's reminder: $(parse "$M" 'm["reply_to"]')"
# The reply by mail is the way in; the spool folder is named only to an
# actor that sent a file through it.
grep -q "répondez à ce message en joignant le tableau rempli" <(parse "$M" 'm["body"]') ||
  fail "the reminder does not say to reply: $(parse "$M" 'm["body"]')"
grep -q "dossier de dépôt" <(parse "$M" 'm["body"]') && fail "the spool folder named to an actor that never used it"
sql "insert into submissions(actor, channel, name, size, sha256, plugin, received_at, outcome, report)
     values ('ars', 'spool', 'f.csv', 1, 'x', 'lines', '2023-02-01T00:00:00Z', 'refused', '')"
"$RELEVE" -c "$CONF" remind --date 2023-03-28 >/dev/null 2>"$T/err" || fail "remind: $(cat "$T/err")"
M=$(mail_to "$OUTBOX" sante@ars.example.org)
grep -q "dossier de dépôt" <(parse "$M" 'm["body"]') || fail "the spool folder not named to an actor that uses it"
grep -q "$T/conf/spool/ars/incoming/" <(parse "$M" 'm["body"]') || fail "the folder is not ars's"
M=$(mail_to "$OUTBOX" gip@gip.example.org)
grep -q "dossier de dépôt" <(parse "$M" 'm["body"]') && fail "the spool folder named to gip"
echo ok
