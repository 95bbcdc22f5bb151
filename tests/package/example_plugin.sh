#!/bin/bash
# The example plugin (examples/plugin-minimal), built by CMake with the
# project's warnings, is loaded by `releve plugins` like any plugin, and
# decodes a file through `releve ingest --dry-run`. Keeps the example in
# step with the ABI in every build; tests/package/run.sh builds it with its
# own Makefile against the installed header.
set -euo pipefail
: "${RELEVE:?}" "${EXAMPLE_PLUGINS:?}"
T=$(mktemp -d /tmp/releve-example-plugin.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

"$RELEVE" init "$T/conf" >/dev/null
python3 - "$T/conf/releve.json" "$EXAMPLE_PLUGINS" <<'PY'
import json, sys
path, plugins = sys.argv[1:]
c = json.load(open(path, encoding="utf-8"))
c["plugins"] = plugins
for a in c["actors"]:
    if a["id"] == "caf":
        a["plugin"] = "minimal"
        a["options"] = {"separator": "|"}
        a.pop("mapping", None)
json.dump(c, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
"$RELEVE" -c "$T/conf/releve.json" plugins --json >"$T/plugins.json" || fail "releve plugins"
python3 - "$T/plugins.json" <<'PY' || fail "the example plugin is not loaded: $(cat "$T/plugins.json")"
import json, sys
p = [x for x in json.load(open(sys.argv[1]))["plugins"] if x.get("name") == "minimal"]
assert p and p[0]["loaded"] and p[0]["options"][0]["name"] == "separator", p
PY
printf 'indicateur|periode|geographie|valeur\nH07.1|2019|QPV|1234\nH07.1|2019|QP|s\n' >"$T/caf.txt"
"$RELEVE" -c "$T/conf/releve.json" ingest --actor caf --dry-run "$T/caf.txt" >"$T/report.txt" 2>&1 ||
  { cat "$T/report.txt" >&2; fail "ingest --dry-run through the example plugin"; }
echo "example plugin: loaded, option table listed, a file decoded: ok"
