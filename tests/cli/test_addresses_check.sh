#!/bin/bash
# `releve addresses check FILE [--json]`: every row placed as the daemon
# would (level, zone and its list, BAN id), a French summary, nothing
# stored; a QVA code in the city's own spelling; progress on a terminal
# only.
set -euo pipefail
: "${SRC:?}"
. "$(dirname "$0")/lib.sh"
cp "$SRC/tests/fixtures/addresses/messy/reference.csv" "$dir/x/adresses.csv"
python3 - "$conf" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["addresses"] = {"file": "adresses.csv", "format": "ban"}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
CONF=$conf

# A partner's file in the plain layout, with a complement and a city.
cat > "$dir/jeunes.csv" <<'CSV'
numero;voie;complement;code_postal;ville
12;Rue Myrha;;75018;Paris
;BAT. C 30 r Julia Bartet;;75014;
7;Rue Myrrha;;75018;
3;av de la Pte de Montmartre;;75018;
37;Rue Archereau;;;Paris
12;Rue de Belleville;;;Paris
120;rue Stephenson;;75018;
;Chez Mme Diallo;13 rue Polonceau;75018;

6 ter;R. Myrha;;75018;
CSV
"$RELEVE" -c "$CONF" addresses check "$dir/jeunes.csv" > "$dir/out.txt" 2> "$dir/err.txt" ||
  fail "check failed: $(cat "$dir/err.txt")"
[ ! -s "$dir/err.txt" ] || fail "stderr not empty when piped: $(od -c "$dir/err.txt" | head -3)"
expect() { grep -Eq "$1" "$dir/out.txt" || fail "no line matching '$1' in: $(cat "$dir/out.txt")"; }
expect '^2 +exacte +QP075012 \(QPV 2015\) +75118_6654_00012 +RUE MYRHA \(75118\)$'
expect '^3 +exacte +QP075007 \(QPV 2015\) +75114_X000_00030 +RUE JULIA BARTET \(75114\)$'
expect '^4 +voie approchée +QP075012 \(QPV 2015\) +75118_6654_00007 +RUE MYRHA \(75118\)$'
expect '^5 +exacte +QP075010 \(QPV 2015\) +75118_X006_00003 +AVENUE PORTE MONTMARTRE \(75118\)$'
expect '^6 +exacte +QVA075001 \(QVA Ville\) +75119_X014_00037 +RUE ARCHEREAU \(75119\)$'
expect "^7 +non située +— +— +code postal absent, et la voie n'est pas dans un seul arrondissement$"
expect '^8 +non située +— +— +voie partagée entre plusieurs quartiers'
expect '^9 +exacte +QP075012 \(QPV 2015\) +75118_7580_00013 +RUE POLONCEAU \(75118\)$'
expect '^11 +numéro +QP075012 \(QPV 2015\) +— +RUE MYRHA \(75118\)$'
expect '^9 adresses lues, 7 situées \(77,8 %\) :$'
expect '^  5 exactes, 1 au numéro sans son suffixe, 0 par la voie seule, 1 sur une voie approchée \(faute de frappe\), 2 non situées ;$'
expect '^  6 en QPV, 1 en QVA, 0 hors QPV et QVA\.$'
expect "^Rien n'a été enregistré\.$"
# Nothing stored: no database, no spool written.
db=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["database"])' "$CONF")
case "$db" in /*) ;; *) db="$dir/x/$db" ;; esac
[ ! -e "$db" ] || fail "the check created the database $db"

# JSON: the same rows and summary.
"$RELEVE" -c "$CONF" addresses check --json "$dir/jeunes.csv" | python3 -c '
import json, sys
d = json.load(sys.stdin)
rows = {r["line"]: r for r in d["rows"]}
assert len(rows) == 9, rows
assert rows[4] == {"line": 4, "level": "near", "zone": "QP075012", "zone_kind": "QPV",
                   "zone_list": "2015", "ban_id": "75118_6654_00007", "street": "RUE MYRHA",
                   "commune": "75118"}, rows[4]
assert rows[6]["zone_kind"] == "QVA" and rows[6]["zone_list"] == "city", rows[6]
assert rows[7] == {"line": 7, "level": "unmatched", "miss": "commune"}, rows[7]
assert rows[8]["miss"] == "split", rows[8]
assert rows[11]["level"] == "number" and rows[11]["ban_id"] is None, rows[11]
s = d["summary"]
assert (s["rows"], s["exact"], s["number"], s["street"], s["near"], s["unmatched"]) == (9, 5, 1, 0, 1, 2), s
assert (s["qpv"], s["qva"], s["outside"]) == (6, 1, 0), s
assert s["misses"] == {"empty": 0, "commune": 1, "street": 0, "split": 1}, s
' || fail "JSON output"

# A file without a street column is refused, naming the columns found.
printf 'nom;cp\nx;75018\n' > "$dir/bad.csv"
if "$RELEVE" -c "$CONF" addresses check "$dir/bad.csv" > /dev/null 2> "$dir/err.txt"; then
  fail "a file without a street column was accepted"
fi
grep -q 'bad.csv:1.*no street column "nom_voie" in the header; columns found: nom, cp' "$dir/err.txt" ||
  fail "error message: $(cat "$dir/err.txt")"

# A line the CSV reader refuses stops the check, naming file and line.
{ echo 'numero;voie'; printf '1;%.0s' $(seq 10000); echo; } > "$dir/wide.csv"
if "$RELEVE" -c "$CONF" addresses check "$dir/wide.csv" > /dev/null 2> "$dir/err.txt"; then
  fail "a line of 10001 fields was accepted"
fi
grep -q 'wide.csv:2.*more than 10000 fields' "$dir/err.txt" ||
  fail "error message: $(cat "$dir/err.txt")"

# On a terminal, with the rows kept for the JSON: how far the file is read.
if command -v script >/dev/null; then
  script -qec "'$RELEVE' -c '$CONF' addresses check --json '$dir/jeunes.csv'" /dev/null \
    > "$dir/tty.txt" < /dev/null || fail "check on a terminal failed"
  grep -aq $'\r.*jeunes.csv : ligne [0-9]*, *[0-9]* %' "$dir/tty.txt" ||
    fail "no progress on a terminal: $(od -c "$dir/tty.txt" | head)"
  grep -aq $'\r\033\\[K' "$dir/tty.txt" || fail "the progress line is not erased"
fi
echo "cli addresses check: rows, summary, JSON, nothing stored, progress: ok"
