#!/bin/bash
# Delivery failures over SMTP: a 4xx answer (then a dropped connection)
# leaves the mail pending with a backoff and it is delivered exactly once
# when the server accepts; a 5xx answer fails it for good, keeps it, and
# `releve status` shows it (text and --json). Time passing is simulated by
# moving next_attempt_at back.
. "$(dirname "$0")/lib.sh"
start_smtp soft
make_config 1 'c["actors"] = [a for a in c["actors"] if a["id"] == "ars"]'

"$RELEVE" -c "$CONF" remind --date 2023-03-20 > "$T/run.txt" || fail "a 4xx made remind fail"
grep -q "^boîte d'envoi : 0 envoyé, 1 à réessayer, 0 en échec définitif" "$T/run.txt" || fail "summary: $(tail -1 "$T/run.txt")"
[ "$(received)" = 0 ] || fail "a refused mail was stored"
[ "$(sql "select state, attempts from mail_queue")" = "pending|1" ] || fail "not pending after 451: $(sql 'select * from mail_queue')"
sql "select last_error from mail_queue" | grep -q "451" || fail "last_error: $(sql 'select last_error from mail_queue')"
# The backoff: the next attempt is about a minute away.
utc_within "$(sql "select next_attempt_at from mail_queue")" 50 61 ||
  fail "backoff: $(sql 'select next_attempt_at from mail_queue')"
"$RELEVE" -c "$CONF" status --json > "$T/status.json" || fail "status failed"
[ "$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["mail"]; print(m["pending"], m["retrying"], m["failed"])' "$T/status.json")" = "1 1 0" ] ||
  fail "status mail: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mail"])' "$T/status.json")"

# Not due yet: a run now sends nothing, even if the server would accept.
smtp_mode accept
"$RELEVE" -c "$CONF" remind --date 2023-03-20 >/dev/null
[ "$(received)" = 0 ] || fail "retried before its time"

# The connection dropped at the end of DATA: still pending, second attempt.
smtp_mode drop
sql "update mail_queue set next_attempt_at = '$(utc_in -1)'"
"$RELEVE" -c "$CONF" remind --date 2023-03-20 > "$T/run.txt" || fail "a dropped connection made remind fail"
[ "$(sql "select state, attempts from mail_queue")" = "pending|2" ] || fail "not pending after a drop: $(sql 'select * from mail_queue')"
utc_within "$(sql "select next_attempt_at from mail_queue")" 110 121 ||
  fail "second backoff: $(sql 'select next_attempt_at from mail_queue')"

# The server accepts: delivered exactly once.
smtp_mode accept
sql "update mail_queue set next_attempt_at = '$(utc_in -1)'"
"$RELEVE" -c "$CONF" remind --date 2023-03-20 > "$T/run.txt" || fail "remind failed"
grep -q "^boîte d'envoi : 1 envoyé," "$T/run.txt" || fail "summary: $(tail -1 "$T/run.txt")"
[ "$(received)" = 1 ] || fail "$(received) copies received"
[ "$(sql "select state, attempts, case when last_error is null then 1 else 0 end from mail_queue")" = "sent|3|1" ] || fail "$(sql 'select * from mail_queue')"
sql "update mail_queue set next_attempt_at = '$(utc_in -1)'"
"$RELEVE" -c "$CONF" remind --date 2023-03-20 >/dev/null
[ "$(received)" = 1 ] || fail "sent twice"
# The same bytes were offered each time: one Message-ID.
[ "$(parse "$SINK/msg-1.eml" 'm["message_id"]')" = "$(sql 'select message_id from mail_queue')" ] || fail "Message-ID changed"

# A 5xx answer: failed for good, kept, shown by status; remind exits 1.
smtp_mode hard
rc=0
"$RELEVE" -c "$CONF" remind --date 2023-03-28 > "$T/run.txt" || rc=$?
[ "$rc" = 1 ] || fail "remind exited $rc after a 5xx"
grep -q "^boîte d'envoi : 0 envoyé, 0 à réessayer, 1 en échec définitif" "$T/run.txt" || fail "summary: $(tail -1 "$T/run.txt")"
[ "$(sql "select state, attempts, case when next_attempt_at is null then 1 else 0 end from mail_queue where id = 2")" = "failed|1|1" ] || fail "$(sql 'select * from mail_queue')"
sql "select last_error from mail_queue where id = 2" | grep -q "554" || fail "last_error: $(sql 'select last_error from mail_queue')"
"$RELEVE" -c "$CONF" status > "$T/status.txt" || fail "status failed"
grep -q "^mails en échec : 1$" "$T/status.txt" || fail "status text: $(tail -5 "$T/status.txt")"
grep -q "sante@ars.example.org.*554" "$T/status.txt" || fail "status does not show the failure"
"$RELEVE" -c "$CONF" status --json > "$T/status.json"
python3 - "$T/status.json" <<'PY' || fail "status --json mail: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mail"])' "$T/status.json")"
import json, sys
m = json.load(open(sys.argv[1]))["mail"]
f = m["failures"]
ok = (m["failed"] == 1 and m["sent"] == 1 and m["pending"] == 0 and len(f) == 1
      and f[0]["recipients"] == "sante@ars.example.org" and "554" in f[0]["error"]
      and f[0]["subject"] == "Rappel : 2 chiffres 2022 attendus d'ici le 31 mars 2023")
sys.exit(0 if ok else 1)
PY
# A failed mail is not retried, and its step is not sent again.
smtp_mode accept
"$RELEVE" -c "$CONF" remind --date 2023-03-28 >/dev/null
[ "$(received)" = 1 ] || fail "a failed mail was retried"
echo "SMTP retry, backoff and hard failure: ok"
