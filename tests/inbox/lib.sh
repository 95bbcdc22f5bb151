# lib.sh -- shared helpers of the polled mailbox tests (sourced).
#
# Every test gets a private Dovecot (tests/imapd.sh) with one user, a fresh
# configuration from `releve init` with one mailbox on it, and
# tests/inbox/imap_poll, which polls it with inbox/imap.c and keeps each
# message it is handed in $OUT. Every wait is bounded.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../imapd.sh"
: "${RELEVE:?}" "${IMAP_POLL:?}" "${SRC:?}"
if ! have_imapd; then
  echo "skipped: dovecot not installed (dovecot-imapd)"
  exit 0
fi

T=$(mktemp -d /tmp/releve-inbox-test.XXXXXX)
CONF=$T/conf/releve.json
OUT=$T/out
LOG=$T/poll.log
PPID_=
IMAPD_PID=

cleanup() {
  if [ -n "$PPID_" ] && kill -0 "$PPID_" 2>/dev/null; then
    { kill -9 "$PPID_" && wait "$PPID_"; } 2>/dev/null || true
  fi
  stop_imapd
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  echo "--- poll log (last 40 lines)" >&2
  tail -n 40 "$LOG" >&2 2>/dev/null || true
  echo "--- dovecot log (last 10 lines)" >&2
  tail -n 10 "$T/imapd/dovecot.log" >&2 2>/dev/null || true
  exit 1
}

# make_config URL [python statements on m, the mailbox dict]
make_config() {
  printf 'releve:%s\n' "$IMAPD_PASSWORD" > "$T/login"
  chmod 600 "$T/login"
  "$RELEVE" init "$T/conf" >/dev/null
  python3 - "$CONF" "$1" "$T/login" "${2:-}" <<'PY'
import json, sys
p, url, login, extra = sys.argv[1:5]
c = json.load(open(p))
m = {"id": "depot", "url": url, "credentials_file": login, "schedule": "2s",
     "retry_seconds": 1}
exec(extra)
c["mailboxes"] = [m]
json.dump(c, open(p, "w"), indent=2)
PY
  mkdir -p "$OUT"
}

# start_poll / stop_poll: imap_poll on $CONF, its output appended to $LOG.
start_poll() { start_bg PPID_ imap_poll "$IMAP_POLL" "$CONF" "$OUT"; }
stop_poll() { stop_bg PPID_ imap_poll; }

# polls WORDS: how many log lines of the mailbox say WORDS.
polls() { grep -c "mailbox depot: $1" "$LOG" || true; }

# wait_polls WORDS N: until N more lines say WORDS than now.
wait_polls() {
  local n
  n=$(( $(polls "$1") + $2 ))
  wait_for 20 "[ \$(polls '$1') -ge $n ]" || fail "no $2 more \"$1\" lines"
}

taken() { find "$OUT" -name '*.eml' | wc -l; }

# message N: a reply with a small attachment, Message-ID <N@partner.test>.
message() {
  python3 - "$1" <<'PY'
import sys
from email.message import EmailMessage
n = sys.argv[1]
m = EmailMessage()
m["From"] = "referent@caf.test"
m["To"] = "releve+caf.token@paris.test"
m["Subject"] = f"Re: tableau {n}"
m["Message-ID"] = f"<{n}@partner.test>"
m.set_content("Voici le tableau rempli.\n")
m.add_attachment(b"PK\x03\x04" + n.encode() * 64, maintype="application",
                 subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 filename="tableau.xlsx")
sys.stdout.write(m.as_string())
PY
}

# put N: message N delivered into the INBOX.
put() {
  message "$1" > "$T/msg$1.eml"
  deliver "$T/msg$1.eml"
}

# flags UID: the message's flags, such as "(\Seen)" or "()".
flags() { imap_cmd "UID FETCH $1 FLAGS" | sed -n 's/.*FLAGS \(([^)]*)\).*/\1/p'; }
