# receive_lib.sh -- what the `releve receive` tests share (sourced after
# lib.sh): a configuration with mail.reply_to whose plugin folder holds the
# "lines" test plugin and the collection table's reader; the reply
# addresses of gip and ars ($GIP_TO, $ARS_TO); a gip CSV file for "lines"
# ($T/gip.csv) and a collection table ($T/modele.xlsx);
#   write KIND FROM TO OUT [FILE...]   a message by Python's email (write_message.py)
#   receive [ARGS] < MSG              releve receive, its exit status in $RC, its
#                                     output in $T/receive.out
#   quarantined KEY                   the message KEY is in quarantine (files and row)
: "${PLUGINS:?}"
mkdir -p "$T/plugins"
cp "$TEST_PLUGINS/lines.so" "$PLUGINS/template.so" "$T/plugins/"
make_config 0 "c['plugins'] = '$T/plugins'; c['mail']['reply_to'] = 'depot@paris.example.org'; ${RECEIVE_CONFIG:-}"
GIP_TO=$("$RELEVE" -c "$CONF" mail-token gip)
ARS_TO=$("$RELEVE" -c "$CONF" mail-token ars)
printf 'indicateur;periode;geographie;valeur;part;statut;commentaire\nG01.1;2022;QPV;3;;;\n' > "$T/gip.csv"
"$RELEVE" -c "$CONF" template --actor gip --year 2022 -o "$T/modele.xlsx" 2>"$T/template.err" ||
  fail "template: $(cat "$T/template.err")"
QUARANTINE=$T/conf/var/quarantine
INCOMING=$T/conf/spool/gip/incoming

write() { python3 "$HERE/write_message.py" "$@" || fail "write_message.py $*"; }
receive() {
  RC=0
  "$RELEVE" -c "$CONF" receive "$@" >"$T/receive.out" 2>"$T/receive.err" || RC=$?
}
quarantined() {
  [ -f "$QUARANTINE/m-$1.eml" ] && [ -f "$QUARANTINE/m-$1.raison" ] &&
    [ "$(sql "select outcome from mail_messages where message_id = '$1'")" = quarantined ]
}
