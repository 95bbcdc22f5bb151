#!/bin/bash
# The placeholder address `releve init` writes (referent@example.org):
# check-config lists every actor still carrying it in one line, `releve
# remind` holds their reminders back and says why, `releve status` names
# them; once an address is replaced the actor is reminded again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$RELEVE" -c "$conf" check-config > "$dir/check" || { cat "$dir/check" >&2; fail "check-config"; }
[ "$(grep -c 'placeholder' "$dir/check")" = 1 ] || { cat "$dir/check" >&2; fail "not one line"; }
grep -q 'actors: warning: 28 actors still have the placeholder address written by `releve init` (@example.org) and get no reminder until it is replaced: ars, bailleurs, .*, dasco, .*, region$' "$dir/check" ||
  { cat "$dir/check" >&2; fail "the line does not list the actors"; }

# The campaign 2023 is overdue on 2024-04-15: every actor owes figures.
"$RELEVE" -c "$conf" remind --date 2024-04-15 > "$dir/remind" 2>"$dir/remind.err" ||
  { cat "$dir/remind" "$dir/remind.err" >&2; fail "remind"; }
grep -q '^DASCO.*campagne 2023' "$dir/remind" || grep -q 'dasco\|DASCO\|Direction des affaires scolaires' "$dir/remind" || fail "dasco not named"
grep -q 'retenue : adresse provisoire de « releve init » à remplacer' "$dir/remind" ||
  { cat "$dir/remind" >&2; fail "no reason shown"; }
grep -q '^acteurs retenus, adresse provisoire de « releve init » à remplacer : 23$' "$dir/remind" || { cat "$dir/remind" >&2; fail "no count"; }
grep -q 'referent@example.org' "$dir/x/var/outbox"/* 2>/dev/null && fail "a mail was written to the placeholder address"
grep -q 'not sent to dasco: its address is still the placeholder' "$dir/remind.err" ||
  { cat "$dir/remind.err" >&2; fail "not logged"; }
"$RELEVE" -c "$conf" status > "$dir/status"
grep -q '^Adresses provisoires à remplacer (aucune relance ne leur est envoyée) : 28 acteurs — ars, ' "$dir/status" ||
  { head -5 "$dir/status" >&2; fail "status does not name them"; }
"$RELEVE" -c "$conf" status --json | python3 -c '
import json, sys
p = json.load(sys.stdin)["placeholders"]
assert len(p) == 28 and "dasco" in p, p'

# A real address: the DASCO is reminded at the next step.
python3 - "$conf" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for a in c["actors"]:
    if a["id"] == "dasco":
        a["emails"] = ["evaluation@dasco.paris.example.fr"]
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
"$RELEVE" -c "$conf" remind --dry-run --date 2024-04-15 > "$dir/remind2" 2>/dev/null
grep -q 'evaluation@dasco.paris.example.fr' "$dir/remind2" || { cat "$dir/remind2" >&2; fail "dasco not reminded"; }
grep -q '^acteurs retenus, adresse provisoire de « releve init » à remplacer : 22$' "$dir/remind2" || fail "count not 22"
echo "placeholders listed, held back and shown: ok"
