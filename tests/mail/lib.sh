# lib.sh -- shared helpers of the mail integration tests (sourced).
#
# Every test writes its configuration with `releve init` and edits it with
# python3: three actors with addresses (ars owes 1 indicator, prefecture 2,
# gip 3, two scopes each), a coordinator, and campaigns the test chooses
# relative to the --date it passes. The SMTP server is smtpd.py (aiosmtpd)
# on 127.0.0.1; every wait is bounded.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
: "${RELEVE:?}" "${TEST_PLUGINS:?}" "${SRC:?}"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d /tmp/releve-mail-test.XXXXXX)
CONF=$T/conf/releve.json
DB=$T/conf/var/releve.db
OUTBOX=$T/conf/var/outbox
SINK=$T/sink
LOG=$T/releved.log
SPID=
DPID=
mkdir -p "$SINK"
test_engine

# What fail shows besides the daemon's log: the SMTP server's answers.
fail_logs() {
  [ -f "$SINK/log" ] || return 0
  echo "--- SMTP server answers"
  cat "$SINK/log"
}

# A python3 that has aiosmtpd (Debian's, when python3 on PATH is another).
SMTPD_PY=python3
python3 -c 'import aiosmtpd' 2>/dev/null || SMTPD_PY=/usr/bin/python3

start_smtp() {
  echo "${1:-accept}" > "$SINK/mode"
  "$SMTPD_PY" "$HERE/smtpd.py" "$SINK" 2>"$T/smtpd.err" &
  SPID=$!
  wait_for 10 "test -f '$SINK/port'" || { cat "$T/smtpd.err" >&2; fail "SMTP server did not start"; }
  PORT=$(cat "$SINK/port")
}

smtp_mode() { echo "$1" > "$SINK/mode"; }
received() { find "$SINK" -name 'msg-*.eml' | wc -l; }

# make_config SMTP(0|1) [python statements on c, the config dict]
make_config() {
  "$RELEVE" init "$T/conf" >/dev/null
  python3 - "$CONF" "$TEST_PLUGINS" "$1" "${PORT:-0}" "${2:-}" <<'PY'
import json, sys
p, plugins, smtp, port, extra = sys.argv[1:6]
c = json.load(open(p))
c["plugins"] = plugins
c["mail"] = {"from": "releve@paris.example.org",
             "coordinator": "coordination@paris.example.org",
             "outbox": "var/outbox", "timeout_seconds": 5}
if smtp == "1":
    c["mail"].update(smtp="smtp://127.0.0.1:%s/releve.test" % port, starttls=False)
emails = {"ars": ["sante@ars.example.org"], "prefecture": ["pref@prefecture.example.org"],
          "gip": ["gip@gip.example.org", "direction@gip.example.org"]}
c["actors"] = [{"id": a, "emails": e, "plugin": "lines"} for a, e in emails.items()]
c["campaigns"] = [{"period": 2022, "opens": "2023-01-16", "due": "2023-03-31"}]
c["daemon"] = {"rescan_seconds": 2, "quiet_seconds": 0, "decode_timeout_seconds": 10}
exec(extra)
json.dump(c, open(p, "w"), indent=2)
PY
  engine_config "$CONF"
  "$RELEVE" -c "$CONF" check-config >/dev/null 2>"$T/check.err" || { cat "$T/check.err" >&2; fail "config refused"; }
}

# parse FILE.eml EXPR: evaluates a python expression on the parsed mail m
# (see parse.py) and prints it.
parse() {
  local j="$T/parsed/$(echo "$1" | tr / _).json"
  mkdir -p "$T/parsed"
  [ -f "$j" ] || python3 "$HERE/parse.py" "$1" > "$j" || fail "$1 does not parse"
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$j" "$2"
}

# The received (or outbox-folder) mail whose envelope or To names ADDRESS, newest.
mail_to() {
  local f best=
  for f in $(ls -tr "$1"/*.eml 2>/dev/null); do
    grep -q "^To: .*$2\|^ $2" "$f" && best=$f
  done
  [ -n "$best" ] || fail "no mail to $2 in $1"
  echo "$best"
}
