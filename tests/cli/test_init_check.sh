#!/bin/bash
# releve init writes a configuration that check-config passes; the CLI's
# read commands work on it before any database exists.
set -euo pipefail
: "${RELEVE:?}" "${PLUGINS:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$RELEVE" init "$dir/x" >/dev/null
# Plugins come from the build tree, as installed ones would from /usr/lib.
mkdir -p "$PLUGINS"
python3 - "$dir/x/releve.json" "$PLUGINS" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["plugins"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
"$RELEVE" -c "$dir/x/releve.json" check-config
test "$("$RELEVE" -c "$dir/x/releve.json" referentiel --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["indicators"]))')" = 392
test "$("$RELEVE" -c "$dir/x/releve.json" referentiel --json --actor caf --theme H | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["indicators"]))')" = 7
# A fresh install: everything owed is missing, nothing is given. Each
# indicator owes one cell per geography the référentiel expects for it.
"$RELEVE" -c "$dir/x/releve.json" referentiel --json >"$dir/ref.json"
"$RELEVE" -c "$dir/x/releve.json" status --year 2019 --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
ref = json.load(open(sys.argv[1]))["indicators"]
cells = sum(len(i["geographies"]) for i in ref)
assert cells == 782, cells   # 352 QPV+QP, 26 REP+REP+, 8 PARIS, 6 QPV+QP+PARIS
assert s["total"]["given"] == 0 and s["total"]["derived"] == 0, s["total"]
assert s["total"]["expected"] == cells, s["total"]
assert s["total"]["missing"] == s["total"]["expected"]
' "$dir/ref.json"
"$RELEVE" -c "$dir/x/releve.json" missing --actor caf --year 2019 --json | python3 -c '
import json, sys
m = json.load(sys.stdin)
assert m["count"] == 24 * 2, m["count"]
assert {c["geography"] for c in m["cells"]} == {"QPV", "QP"}
assert all(c["period"] == "2019" for c in m["cells"])
'
"$RELEVE" -c "$dir/x/releve.json" export --format csv -o "$dir/t.csv"
test "$(wc -l < "$dir/t.csv")" -eq 393
# init never overwrites; a broken file is reported with line and column.
if "$RELEVE" init "$dir/x" 2>/dev/null; then echo "init overwrote" >&2; exit 1; fi
printf '{\n "database": 1,\n}\n' > "$dir/bad.json"
if out=$("$RELEVE" -c "$dir/bad.json" check-config); then echo "bad config accepted" >&2; exit 1; fi
grep -q "bad.json:3:1: error: invalid JSON" <<<"$out"
echo "cli init/check-config/referentiel/status/missing/export: ok"
