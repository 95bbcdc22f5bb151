# lib.sh -- shared helpers of the daemon integration tests (sourced).
#
# Every test gets a fresh configuration from `releve init`, with the caf
# actor decoding the long template through the test plugin (crashtest.so,
# see crashtest.c) so that these tests exercise the daemon, not a partner
# format. Every wait is bounded; TIME_FACTOR (default 1) stretches the
# bounds for a slowed-down daemon (tests/valgrind/run).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
: "${RELEVE:?}" "${RELEVED:?}" "${TEST_PLUGINS:?}"

T=$(mktemp -d /tmp/releve-daemon-test.XXXXXX)
CONF=$T/conf/releve.json
SPOOL=$T/conf/spool/caf
DB=$T/conf/var/releve.db
LOG=$T/releved.log
test_engine
DPID=
HEADER='indicateur;libelle;periode;geographie;valeur;part;statut;commentaire'

# make_config [python statements on c, the config dict]
make_config() {
  "$RELEVE" init "$T/conf" >/dev/null
  python3 - "$CONF" "$TEST_PLUGINS" "${1:-}" <<'PY'
import json, sys
p, plugins, extra = sys.argv[1], sys.argv[2], sys.argv[3]
c = json.load(open(p))
c["plugins"] = plugins
c["daemon"].update(rescan_seconds=2, quiet_seconds=0, decode_timeout_seconds=10)
for a in c["actors"]:
    if a["id"] == "caf":
        a["plugin"] = "crashtest"
        a.pop("mapping", None)
        a.pop("options", None)
exec(extra)
json.dump(c, open(p, "w"), indent=2)
PY
  engine_config "$CONF"
}

# drop NAME CONTENT: writes a temporary name in incoming/ and renames it, as
# partners are asked to.
drop() {
  printf '%s' "$2" > "$SPOOL/incoming/.$1.part"
  mv "$SPOOL/incoming/.$1.part" "$SPOOL/incoming/$1"
}

# figure YEAR VALUE [COMMENT]: a one-figure long template for caf.
figure() { printf '%s\nG04.1;Nombre de bénévoles formés par an;%s;QPV;%s;;;%s\n' "$HEADER" "$1" "$2" "${3:-}"; }

count_files() { find "$1" -maxdepth 1 -type f ! -name '.*' ! -name '*.rapport.txt' | wc -l; }

# no_personal_data WHERE...: none of the words of $SECRETS (names, e-mails,
# identifiers, streets a test put in a personal-data file) in those files
# or folders.
no_personal_data() {
  local w hits
  for w in $SECRETS; do
    hits=$(grep -rail -- "$w" "$@" 2>/dev/null || true)
    [ -z "$hits" ] || fail "\"$w\" found in: $hits"
  done
}
