#!/bin/bash
# `releve migrate-store`: the demo's files ingested, then the whole
# database copied into a new one; every row of every table comes through
# (compared table by table, in key order), the copy's next submission gets
# a fresh number, and a second copy into the same target is refused with
# nothing written. With RELEVE_TEST_PG_URI set (tests/pg.sh), the target is
# that PostgreSQL database instead of a file.
set -euo pipefail
: "${RELEVE:?}" "${PLUGINS:?}" "${SRC:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# The built-in configuration, on this folder's database and spool.
config() {
  python3 - "$SRC/conf/releve.json" "$PLUGINS" "$1" "$dir/spool" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.update(plugins=sys.argv[2], database=sys.argv[3], spool=sys.argv[4])
print(json.dumps(c, indent=2))
PY
}
config "$dir/var/releve.db" > "$dir/releve.json"
# All the demo's files but the last, which goes to the moved database.
grep -v '^#' "$SRC/conf/demo/files.txt" > "$dir/files.txt"
head -n -1 "$dir/files.txt" | while read -r actor file; do
  "$RELEVE" -c "$dir/releve.json" ingest --actor "$actor" "$SRC/$file" > /dev/null ||
    fail "ingest of $file refused"
done
# Reminders for the actors still missing: mails in the queue, as blobs.
"$RELEVE" -c "$dir/releve.json" remind --date 2023-01-16 > "$dir/remind.txt" 2>&1 ||
  fail "remind: $(cat "$dir/remind.txt")"
[ "$(sqlite3 "$dir/var/releve.db" "SELECT count(*) FROM mail_queue")" -gt 0 ] ||
  fail "no mail queued: $(cat "$dir/remind.txt")"

target=${RELEVE_TEST_PG_URI:-$dir/copy.db}
"$RELEVE" -c "$dir/releve.json" migrate-store "$target" > "$dir/out.txt" 2> "$dir/err.txt" ||
  fail "migrate-store: $(cat "$dir/err.txt")"
grep -q '^Copie terminée : .* lignes, comptées des deux côtés' "$dir/out.txt" ||
  fail "no summary: $(cat "$dir/out.txt")"
grep -Eq '^  observations +[1-9][0-9 ]* lignes$' "$dir/out.txt" || fail "$(cat "$dir/out.txt")"

# Each table read back from both, every column, in the SQLite file's order
# of its columns (a column PostgreSQL added later is its last one there):
# the same text on both sides.
dump() {
  local db=$1 table=$2 cols
  cols=$(sqlite3 "$dir/var/releve.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$table')")
  # A whole real reads "11.0" from SQLite and "11" from PostgreSQL: the
  # same number, written one way on both sides.
  case $db in
    postgres*)
      # A bytea reads as hex: as text instead, the way sqlite3 shows a blob.
      cols=$(psql -X -At "$db" -c "SELECT string_agg(CASE WHEN c.data_type = 'bytea' THEN
        'convert_from(' || c.column_name || ', ''UTF8'')' ELSE c.column_name END, ', '
        ORDER BY array_position(string_to_array('$cols', ', '), c.column_name::text))
        FROM information_schema.columns c WHERE c.table_name = '$table'")
      psql -X -At -F'|' "$db" -c "SELECT $cols FROM $table ORDER BY $cols" ;;
    *) sqlite3 "$db" "SELECT $cols FROM $table ORDER BY $cols" ;;
  esac | sed -E 's/(^|[|])(-?[0-9]+)\.0([|]|$)/\1\2\3/g; s/(^|[|])(-?[0-9]+)\.0([|]|$)/\1\2\3/g'
}
rows=0
for table in $(sqlite3 "$dir/var/releve.db" \
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"); do
  dump "$dir/var/releve.db" "$table" > "$dir/a.txt"
  dump "$target" "$table" > "$dir/b.txt"
  cmp -s "$dir/a.txt" "$dir/b.txt" || fail "table $table differs: $(diff "$dir/a.txt" "$dir/b.txt" | head -5)"
  rows=$((rows + $(wc -l < "$dir/a.txt")))
done
[ "$rows" -gt 1000 ] || fail "only $rows rows compared"

# Copying again into the same target writes nothing.
! "$RELEVE" -c "$dir/releve.json" migrate-store "$target" > /dev/null 2> "$dir/err.txt" ||
  fail "a second copy was accepted"
grep -q "la base cible n'est pas vide" "$dir/err.txt" || fail "$(cat "$dir/err.txt")"

# The moved database serves: a new file gets the next submission number.
config "$target" > "$dir/moved.json"
read -r actor file < <(tail -n 1 "$dir/files.txt")
"$RELEVE" -c "$dir/moved.json" ingest --actor "$actor" "$SRC/$file" > "$dir/ingest.txt" ||
  fail "ingest into the moved database: $(cat "$dir/ingest.txt")"
last=$(sqlite3 "$dir/var/releve.db" "SELECT max(id) FROM submissions")
"$RELEVE" -c "$dir/moved.json" submissions --json > "$dir/subs.json"
python3 - "$dir/subs.json" "$last" <<'PY'
import json, sys
subs = json.load(open(sys.argv[1]))
subs = subs["submissions"] if isinstance(subs, dict) else subs
ids = [s["id"] for s in subs]
assert max(ids) == int(sys.argv[2]) + 1, (ids, sys.argv[2])
PY
echo "ok: $rows rows compared"
