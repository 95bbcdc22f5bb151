# pg.sh -- a private PostgreSQL 15 server for the tests of the PostgreSQL
# engine (sourced; bash).
#
# pg_start: initdb in a folder of its own (mktemp), the server on a free
# port of 127.0.0.1 (and its socket in that folder), trust authentication,
# fsync off; creates the database "releve" and exports PG_URI, a
# postgresql:// URI naming it, and PG_DIR. Run as root (CI), the server
# runs as the postgres user, which initdb requires, on a folder it owns.
# pg_stop: stops it and removes its folder; does nothing when none runs.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

have_pg() { [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; }

# pg_as CMD...: CMD as the server's owner.
pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local try port
  PG_DIR=$(mktemp -d /tmp/releve-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-locale \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # A free port may be taken by another test before the server binds it:
  # a few tries.
  for try in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
         -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
         start >/dev/null 2>&1; then
      export PG_URI="postgresql://postgres@127.0.0.1:$port/releve" PG_DIR
      psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'CREATE DATABASE releve' \
        >/dev/null || return 1
      return 0
    fi
  done
  cat "$PG_DIR/server.log" >&2
  return 1
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ] || return 0
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
