#!/bin/bash
# Spool hygiene:
#   1. an upload left under a temporary name for more than
#      daemon.stale_upload_hours is shown by `releve status` and named in
#      the next reminder, and holds no reminder back;
#   2. a file the daemon cannot read (mode 000, releved running as an
#      unprivileged user) is refused with its reason after a few rescans,
#      with one receipt, instead of being retried and logged forever.
. "$(dirname "$0")/lib.sh"
make_config 'c["daemon"]["stale_upload_hours"] = 24'
R() { "$RELEVE" -c "$CONF" "$@"; }
INCOMING=$T/conf/spool/caf/incoming
mkdir -p "$INCOMING"

# 1. Two interrupted uploads (25 h old) and one in progress.
figure 2019 5 > "$INCOMING/.caf-2022.csv.part"
figure 2019 6 > "$INCOMING/caf-bis.csv.part"
figure 2019 7 > "$INCOMING/.en-cours.csv.part"
touch -d '25 hours ago' "$INCOMING/.caf-2022.csv.part" "$INCOMING/caf-bis.csv.part"
R status > "$T/status.txt" || fail "status failed"
grep -q "dépôts interrompus" "$T/status.txt" || fail "status shows no interrupted upload: $(cat "$T/status.txt")"
grep -q "caf : .caf-2022.csv.part" "$T/status.txt" || fail "status does not name .caf-2022.csv.part"
grep -q "caf : caf-bis.csv.part" "$T/status.txt" || fail "status does not name caf-bis.csv.part"
! grep -q "en-cours" "$T/status.txt" || fail "status names an upload in progress"
[ "$(R status --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["spool"]["stale_uploads"]))')" = 2 ] ||
  fail "status --json: not 2 stale uploads"
# The 2022 campaign opens on 2023-01-16 in the configuration of releve init.
R remind --date 2023-01-16 > "$T/remind.txt" || fail "remind failed: $(cat "$T/remind.txt")"
: > "$T/mail.txt"
for id in $(sql "select id from mail_queue where recipients like '%caf%' order by id"); do
  sql_blob "$T/mail.eml" message "from mail_queue where id = $id"
  python3 - "$T/mail.eml" >> "$T/mail.txt" <<'PY'
import email, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
for part in m.walk():
    if part.get_content_type() == "text/plain":
        print(part.get_payload(decode=True).decode())
PY
done
grep -q "Des dépôts interrompus attendent dans votre dossier : .caf-2022.csv.part, caf-bis.csv.part" "$T/mail.txt" ||
  fail "the reminder does not name the interrupted uploads: $(cat "$T/mail.txt")"
! grep -q "en-cours" "$T/mail.txt" || fail "the reminder names an upload in progress"
rm -f "$INCOMING"/*.part "$INCOMING"/.*.part

# 2. releved as nobody on a state tree it owns; a file it cannot read.
chmod 755 "$T"
chown -R nobody:nogroup "$T/conf"
figure 2018 8 > "$INCOMING/ferme.csv"
chmod 000 "$INCOMING/ferme.csv"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$RELEVED" -c "$CONF" >>"$LOG" 2>&1 &
DPID=$!
wait_for 10 "grep -q 'ready:' '$LOG'" || fail "releved did not start as nobody"
wait_for 15 "test -f '$SPOOL/rejected/ferme.csv.rapport.txt'" ||
  fail "the unreadable file was not refused: $(ls -l "$SPOOL/processing" "$SPOOL/incoming")"
grep -q "le serveur ne peut pas lire ce fichier" "$SPOOL/rejected/ferme.csv.rapport.txt" || fail "no reason in the report"
[ "$(grep -c 'ferme.csv: cannot be ingested now' "$LOG")" = 3 ] ||
  fail "expected 3 failed tries logged, got $(grep -c 'ferme.csv: cannot be ingested now' "$LOG")"
sleep 3 # a rescan more: nothing more is tried
[ "$(grep -c 'ferme.csv: cannot be ingested now' "$LOG")" = 3 ] || fail "still retried after its refusal"
[ "$(sql "select count(*) from submissions where name = 'ferme.csv' and outcome = 'refused'")" = 1 ] ||
  fail "ferme.csv not recorded as refused"
[ "$(sql "select count(*) from mail_queue where replace(subject, ' ferme.csv ', '') <> subject")" = 1 ] || fail "ferme.csv: not one receipt"
stop_daemon
echo "daemon spool hygiene (interrupted uploads in status and reminders, unreadable files refused): ok"
