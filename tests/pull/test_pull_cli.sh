#!/bin/bash
# `releve pull` against a local HTTPS server with a test CA: check-config
# explains a wrong source; a pull drops the file into incoming/ under its
# name, durably, with nothing left in the staging folder; the next pull
# sends the validators and gets a 304; a server without validators gives
# an identical body that is not dropped again; a headers_file is sent and
# never printed; a server the CA does not vouch for, a refused redirection
# to http:// and an unknown source fail with a reason, and `releve status`
# lists the failing source.
. "$(dirname "$0")/lib.sh"
start_server
printf 'Authorization: Bearer tok-%s\nX-Test: yes\n' "$RANDOM$RANDOM" > "$T/caf.headers"
chmod 600 "$T/caf.headers"
TOKEN=$(sed -n 's/^Authorization: //p' "$T/caf.headers")

make_config "[
  {\"id\": \"caf-data\", \"actor\": \"caf\", \"url\": \"$BASE/files/caf.csv\", \"schedule\": \"0 6 * * 1\",
   \"ca_file\": \"$CA\", \"headers_file\": \"$T/caf.headers\"},
  {\"id\": \"caf-plain\", \"actor\": \"caf\", \"url\": \"$BASE/plain/caf.csv\", \"schedule\": \"1d\",
   \"ca_file\": \"$CA\", \"file_name\": \"caf-plain.csv\"},
  {\"id\": \"caf-no-ca\", \"actor\": \"caf\", \"url\": \"$BASE/files/caf.csv\", \"schedule\": \"1d\"},
  {\"id\": \"caf-to-http\", \"actor\": \"caf\", \"url\": \"$BASE/to-http/caf.csv\", \"schedule\": \"1d\",
   \"ca_file\": \"$CA\"}
]"
R() { "$RELEVE" -c "$CONF" "$@"; }

# 1. check-config accepts these, and explains a wrong schedule and URL.
R check-config >/dev/null 2>"$T/check.err" || { cat "$T/check.err" >&2; fail "check-config refused good sources"; }
cp "$CONF" "$T/good.json"
edit_config 'c["sources"][0]["schedule"] = "0 6 * * 8"; c["sources"][1]["url"] = "http://example.org/x.csv"'
if R check-config >"$T/check.out" 2>&1; then fail "check-config accepted a bad schedule"; fi
grep -q 'sources\[0\].schedule: error: day-of-week field "8": 8 is out of range' "$T/check.out" ||
  fail "bad schedule not explained: $(cat "$T/check.out")"
grep -q 'sources\[1\].url: error: scheme "http" is not allowed' "$T/check.out" ||
  fail "bad URL not explained: $(cat "$T/check.out")"
cp "$T/good.json" "$CONF"

# 2. The first pull drops the file; nothing is left in the staging folder.
publish caf.csv "$(figure 2019 12)"
R pull caf-data >"$T/out" 2>&1 || fail "first pull failed: $(cat "$T/out")"
grep -q "^caf-data: dropped $SPOOL/incoming/caf.csv (" "$T/out" || fail "first pull: $(cat "$T/out")"
cmp -s "$SPOOL/incoming/caf.csv" "$WWW/caf.csv" || fail "dropped file differs from the served one"
[ "$(count_files "$SPOOL/pulls/caf-data")" = 0 ] || fail "staging folder not empty"
[ "$(requests /files/caf.csv 200)" = 1 ] || fail "expected one 200"

# 3. The headers file was sent, and is never printed.
python3 - "$SLOG" "$TOKEN" <<'PY' || fail "headers_file not sent"
import json, sys
e = [json.loads(l) for l in open(sys.argv[1])][-1]
assert e["authorization"] == sys.argv[2] and e["x_test"] == "yes", e
assert e["user_agent"].startswith("releve/"), e
PY

# 4. The second pull sends the validators and gets a 304: nothing written.
R pull caf-data >"$T/out" 2>&1 || fail "second pull failed: $(cat "$T/out")"
grep -q "^caf-data: not modified (304)" "$T/out" || fail "second pull: $(cat "$T/out")"
[ "$(requests /files/caf.csv 304)" = 1 ] || fail "no 304 served"
python3 - "$SLOG" <<'PY' || fail "validators not sent"
import json, sys
e = [json.loads(l) for l in open(sys.argv[1])][-1]
assert e["if_none_match"] and e["if_modified_since"], e
PY
[ "$(count_files "$SPOOL/incoming")" = 1 ] || fail "a 304 wrote something"

# 5. Without validators, the same body is recognised and not dropped again.
R pull caf-plain >"$T/out" 2>&1 || fail "plain pull failed: $(cat "$T/out")"
grep -q "^caf-plain: dropped $SPOOL/incoming/caf-plain.csv" "$T/out" || fail "plain: $(cat "$T/out")"
R pull caf-plain >"$T/out" 2>&1 || fail "plain pull 2 failed: $(cat "$T/out")"
grep -q "^caf-plain: unchanged (same sha256" "$T/out" || fail "plain 2: $(cat "$T/out")"
[ "$(count_files "$SPOOL/incoming")" = 2 ] || fail "an identical body was dropped again"
# A changed body is dropped beside the one not yet ingested, never over it.
publish caf.csv "$(figure 2019 13)" 1
R pull caf-plain >"$T/out" 2>&1 || fail "plain pull 3 failed: $(cat "$T/out")"
grep -q "^caf-plain: dropped $SPOOL/incoming/caf-plain~2.csv" "$T/out" || fail "plain 3: $(cat "$T/out")"

# 6. Failures: a certificate from an unknown CA, a redirection to http://.
if R pull caf-no-ca >"$T/out" 2>&1; then fail "a pull without the CA succeeded"; fi
grep -q "^caf-no-ca: failed (1 in a row): TLS error" "$T/out" || fail "no-ca: $(cat "$T/out")"
if R pull caf-to-http >"$T/out" 2>&1; then fail "a redirection to http:// was followed"; fi
grep -q "^caf-to-http: failed (1 in a row): " "$T/out" || fail "to-http: $(cat "$T/out")"
[ "$(requests /files/caf.csv)" = 2 ] || fail "the redirection reached the server"
if R pull nope >"$T/out" 2>&1; then fail "an unknown source was pulled"; fi
grep -q 'no source "nope"' "$T/out" || fail "unknown source: $(cat "$T/out")"

# 7. status: the failing sources, human and JSON; secrets never shown.
R status >"$T/status.txt" || fail "status failed"
grep -q "^Collectes programmées : 4 sources, 2 en échec$" "$T/status.txt" || fail "status: $(tail -5 "$T/status.txt")"
grep -q "^  EN ÉCHEC caf-no-ca (.*) : 1 échec d'affilée, dernier : TLS error" "$T/status.txt" ||
  fail "status does not show caf-no-ca: $(tail -5 "$T/status.txt")"
R status --json >"$T/status.json" || fail "status --json failed"
python3 - "$T/status.json" <<'PY' || fail "status --json sources"
import json, sys
s = {x["id"]: x for x in json.load(open(sys.argv[1]))["sources"]}
assert s["caf-no-ca"]["failing"] and s["caf-no-ca"]["failures"] == 1, s
assert s["caf-no-ca"]["last_error"].startswith("TLS error"), s
assert not s["caf-data"]["failing"] and s["caf-data"]["last_success"], s
assert s["caf-data"]["last_error"] is None, s
PY
if grep -rq "$TOKEN" "$T/out" "$T/status.txt" "$T/status.json" "$DB"; then fail "the token leaked"; fi

# 8. A transfer shows its progress on a terminal (script(1)), never when piped.
publish caf.csv "$(figure 2019 14)" 2
R pull caf-plain >"$T/out" 2>&1 || fail "piped pull failed: $(cat "$T/out")"
if grep -aq $'\r' "$T/out"; then fail "progress written to a pipe: $(od -c "$T/out" | head -3)"; fi
if command -v script >/dev/null; then
  publish caf.csv "$(figure 2019 15)" 3
  script -qec "'$RELEVE' -c '$CONF' pull caf-plain" /dev/null > "$T/tty.txt" < /dev/null ||
    fail "pull on a terminal failed: $(cat "$T/tty.txt")"
  grep -aq $'\rcaf-plain  [0-9.]* ' "$T/tty.txt" || fail "no progress on a terminal: $(od -c "$T/tty.txt" | head)"
  grep -aq "caf-plain: dropped $SPOOL/incoming/caf-plain~" "$T/tty.txt" || fail "tty pull: $(cat "$T/tty.txt")"
fi
echo "releve pull: drop, 304, unchanged, headers, TLS and redirect failures, status, progress: ok"
