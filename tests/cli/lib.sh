# lib.sh -- what the CLI tests share (sourced): a temporary folder $dir,
# removed at exit; a configuration written by `releve init` in $dir/x that
# takes the build's plugins and takes files at once (daemon.quiet_seconds
# 0), $conf; and fail MESSAGE.
: "${RELEVE:?}" "${PLUGINS:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
"$RELEVE" init "$dir/x" >/dev/null
python3 - "$dir/x/releve.json" "$PLUGINS" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["plugins"] = sys.argv[2]
# Files are put in place whole before `releved --once` runs: no quiet period.
c["daemon"]["quiet_seconds"] = 0
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
conf=$dir/x/releve.json
