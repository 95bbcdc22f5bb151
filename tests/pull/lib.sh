# lib.sh -- shared helpers of the scheduled pull tests (sourced).
#
# Every test gets a test CA and a server certificate for 127.0.0.1 made by
# openssl, the HTTPS server of server.py on a free port of 127.0.0.1, and a
# fresh configuration from `releve init` in which the caf actor's files are
# decoded by the "lines" test plugin (the long template, ';'). Every wait is
# bounded.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
: "${RELEVE:?}" "${RELEVED:?}" "${TEST_PLUGINS:?}" "${SRC:?}"

T=$(mktemp -d /tmp/releve-pull-test.XXXXXX)
CONF=$T/conf/releve.json
SPOOL=$T/conf/spool/caf
DB=$T/conf/var/releve.db
LOG=$T/releved.log
WWW=$T/www
SLOG=$T/server.log
DPID=
SPID=
PORT=
HEADER='indicateur;periode;geographie;valeur;part;statut;commentaire'
test_engine

# What fail shows besides the daemon's log: the test server's.
fail_logs() {
  echo "--- server log (last 20 lines)"
  tail -n 20 "$SLOG" 2>/dev/null || true
}

# A CA, and a certificate for 127.0.0.1 signed by it.
make_tls() {
  local d=$T/tls
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=releve test CA" \
    -keyout "$d/ca.key" -out "$d/ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    > "$d/ext.cnf"
  openssl x509 -req -days 2 -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
    -CAcreateserial -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
  CA=$d/ca.pem
}

start_server() {
  make_tls
  mkdir -p "$WWW"
  python3 "$SRC/tests/pull/server.py" "$T/tls/server.pem" "$T/tls/server.key" "$WWW" \
    "$T/port" "$SLOG" 2>>"$T/server.err" &
  SPID=$!
  wait_for 10 "test -s '$T/port'" || fail "the test server did not start: $(cat "$T/server.err")"
  PORT=$(cat "$T/port")
  BASE=https://127.0.0.1:$PORT
}

# make_config SOURCES_JSON [python statements on c, the config dict]
make_config() {
  "$RELEVE" init "$T/conf" >/dev/null
  python3 - "$CONF" "$TEST_PLUGINS" "$1" "${2:-}" <<'PY'
import json, os, sys
p, plugins, sources, extra = sys.argv[1:5]
c = json.load(open(p))
c["plugins"] = plugins
c["daemon"].update(rescan_seconds=2, quiet_seconds=0, decode_timeout_seconds=10)
# Only caf, on "lines": the other actors' plugins are not in this folder.
c["actors"] = [a for a in c["actors"] if a["id"] == "caf"]
for a in c["actors"]:
    if a["id"] == "caf":
        a["plugin"] = "lines"
        a.pop("mapping", None)
        a.pop("options", None)
    elif a.get("plugin") and not os.path.exists(f"{plugins}/{a['plugin']}.so"):
        # check-config refuses a plugin the folder lacks: this actor keeps
        # the collection table only.
        for k in ("plugin", "mapping", "options"):
            a.pop(k, None)
c["sources"] = json.loads(sources)
exec(extra)
json.dump(c, open(p, "w"), indent=2)
PY
  engine_config "$CONF"
}

# edit_config PYTHON: python statements on c, the config dict, saved back.
edit_config() {
  python3 - "$CONF" "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"))
PY
}

# publish NAME CONTENT: what the server serves at /files/NAME, written by
# rename so that it never serves half a file; the mtime is moved forward so
# that Last-Modified changes even within the same second.
publish() {
  printf '%s' "$2" > "$WWW/.$1.tmp"
  touch -d "@$(( $(date +%s) + ${3:-0} ))" "$WWW/.$1.tmp"
  mv "$WWW/.$1.tmp" "$WWW/$1"
}

# figure YEAR VALUE: a one-figure long template for caf.
figure() { printf '%s\nG04.1;%s;QPV;%s;;;\n' "$HEADER" "$1" "$2"; }

# requests PATH_PREFIX [STATUS]: how many requests the server logged.
requests() {
  python3 - "$SLOG" "$1" "${2:-}" <<'PY'
import json, sys
log, prefix, status = sys.argv[1], sys.argv[2], sys.argv[3]
n = 0
try:
    for line in open(log):
        e = json.loads(line)
        if e["path"].startswith(prefix) and (not status or str(e["status"]) == status):
            n += 1
except FileNotFoundError:
    pass
print(n)
PY
}

count_files() { find "$1" -maxdepth 1 -type f | wc -l; }
