#!/bin/bash
# Two contracts in one configuration, as a city has while it evaluates the
# end of its 2015 contract and collects for the 2024 one: paris-2015 on the
# built-in référentiel and the 2015 QPV list, paris-2024 on a référentiel
# file whose actors are its own (dasco-2024) and the 2024 list (a made-up
# fixture). The same indicator code G10.1 is filled in both; each figure is
# stored under its contract and its own vintage, a year or a quartier of the
# other contract is refused with its report kept; check-config, referentiel,
# status, missing, export, history and template speak of one contract when
# told which (--contract, or an actor's), and refuse to guess.
. "$(dirname "$0")/lib.sh"
: "${PLUGINS:?}" "${SRC:?}"
cp "$SRC/tests/fixtures/geography/qpv_2024_fictive.csv" "$T/qpv_2024.csv"
make_config "import os, shutil
d = os.path.dirname(p)
c['plugins'] = '$PLUGINS'
next(a for a in c['actors'] if a['id'] == 'caf')['plugin'] = 'caf'
c['geography'] = {'qpv_2024': '$T/qpv_2024.csv'}
# The 2024 référentiel: the built-in one, each actor under a 2024 id.
ref = json.load(open('$SRC/conf/referentiel.json'))
def rename(o):
    if isinstance(o, dict):
        return {k: v + '-2024' if k == 'actor' else rename(v) for k, v in o.items()}
    return [rename(x) for x in o] if isinstance(o, list) else o
ref = rename(ref)
for a in ref['actors']:
    a['id'] += '-2024'
json.dump(ref, open(d + '/r2024.json', 'w'), ensure_ascii=False)
old = {'id': 'paris-2015', 'name': 'Contrat de ville de Paris 2015-2023', 'first_year': 2015,
       'last_year': 2023, 'geography': 'qpv_2015', 'actors': c.pop('actors'),
       'campaigns': c.pop('campaigns')}
c.pop('contract')
c.pop('referentiel', None)
new = {'id': 'paris-2024', 'name': 'Engagements Quartiers 2030 de Paris', 'first_year': 2024,
       'last_year': 2030, 'referentiel': 'r2024.json', 'geography': 'qpv_2024',
       'actors': [{'id': 'dasco-2024', 'emails': ['evaluation@dasco.example.fr'],
                   'plugin': 'template'}],
       'campaigns': [{'period': 2024, 'opens': '2025-01-15', 'due': '2025-03-31'}]}
c['contracts'] = [old, new]"
releve() { "$RELEVE" -c "$CONF" "$@"; }
SP=$T/conf/spool

# ---- check-config: one line per contract -------------------------------------
releve check-config > "$T/check" 2>&1 || { cat "$T/check" >&2; fail "check-config refused two contracts"; }
grep -q '^  contract paris-2015 (2015-2023, qpv_2015): 392 indicators, 32 actors, 2 campaigns$' "$T/check" &&
  grep -q '^  contract paris-2024 (2024-2030, qpv_2024): 392 indicators, 32 actors, 1 campaign$' "$T/check" ||
  { cat "$T/check" >&2; fail "check-config does not sum up each contract"; }

# ---- the same indicator code in both contracts, each with its vintage --------
# put ACTOR NAME ROWS: a long collection table dropped as partners are asked.
put() {
  mkdir -p "$SP/$1/incoming"
  printf '%s\n%s\n' "$HEADER" "$3" > "$SP/$1/incoming/.$2.part"
  mv "$SP/$1/incoming/.$2.part" "$SP/$1/incoming/$2"
}
L='Nombre de centres de loisirs dans les QPV'
put dasco old.csv "G10.1;$L;2022;QPV;12;;;
G10.1;$L;2022;QP075012;3;;;"
put dasco-2024 new.csv "G10.1;$L;2024;QPV;14;;;
G10.1;$L;2024;QN99901A;2;;;"
# A year of the other contract, and a quartier of the other list.
put dasco-2024 year.csv "G10.1;$L;2022;QPV;99;;;"
put dasco-2024 vintage.csv "G10.1;$L;2025;QP075012;98;;;"
"$RELEVED" -c "$CONF" --once >> "$LOG" 2>&1 || fail "releved --once failed"
grep -q 'configuration .*: 2 contracts, 784 indicators' "$LOG" || fail "the log does not name the contracts"
for f in dasco/archive/old.csv dasco-2024/archive/new.csv dasco-2024/rejected/year.csv \
         dasco-2024/rejected/vintage.csv; do
  [ -f "$SP/$f" ] && [ -f "$SP/$f.rapport.txt" ] || fail "$f and its report are not there: $(find "$SP" -name '*.csv')"
done
grep -q '2022' "$SP/dasco-2024/rejected/year.csv.rapport.txt" &&
  grep -q '2024' "$SP/dasco-2024/rejected/year.csv.rapport.txt" ||
  { cat "$SP/dasco-2024/rejected/year.csv.rapport.txt" >&2; fail "the report does not say the contract's years"; }
grep -q 'QP075012' "$SP/dasco-2024/rejected/vintage.csv.rapport.txt" ||
  { cat "$SP/dasco-2024/rejected/vintage.csv.rapport.txt" >&2; fail "the report does not name the quartier"; }
got=$(sql "SELECT contract, indicator, period, geography, value FROM observations
           ORDER BY contract, geography")
want='paris-2015|G10.1|2022|QP075012|3
paris-2015|G10.1|2022|QPV|12
paris-2024|G10.1|2024|QN99901A|2
paris-2024|G10.1|2024|QPV|14'
[ "$got" = "$want" ] || fail "observations: $got"
[ "$(sql "SELECT count(*) FROM revisions WHERE value IN (98, 99)")" = 0 ] || fail "a refused figure was stored"
[ "$(sql "SELECT contract || ':' || count(*) FROM indicators GROUP BY contract ORDER BY contract" | tr '\n' ' ')" \
  = 'paris-2015:392 paris-2024:392 ' ] || fail "indicators by contract: $(sql "SELECT contract, count(*) FROM indicators GROUP BY contract")"
[ "$(db_integrity)" = ok ] || fail "integrity_check: $(db_integrity)"

# ---- the CLI: one contract when told which, never a guess ----------------------
for cmd in "export --format csv -o $T/x.csv" "history G10.1" "referentiel"; do
  # shellcheck disable=SC2086
  if releve $cmd > "$T/out" 2>&1; then fail "$cmd chose a contract by itself"; fi
  grep -q 'plusieurs contrats (« paris-2015 », « paris-2024 ») : dites lequel avec --contract ID' "$T/out" ||
    { cat "$T/out" >&2; fail "$cmd does not ask which contract"; }
done
if releve status --contract lyon-2024 > "$T/out" 2>&1; then fail "an unknown contract was taken"; fi
grep -q 'aucun contrat « lyon-2024 » ; la configuration a « paris-2015 », « paris-2024 »' "$T/out" ||
  { cat "$T/out" >&2; fail "no French error for an unknown contract"; }
if releve missing --contract paris-2024 --actor dasco > "$T/out" 2>&1; then fail "an actor of the other contract was taken"; fi
grep -q "l'acteur « dasco » relève du contrat « paris-2015 », pas de « paris-2024 »" "$T/out" ||
  { cat "$T/out" >&2; fail "no French error for an actor of another contract"; }

releve referentiel --contract paris-2024 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["contract"] == "paris-2024", d["contract"]
assert {i["actor"] for i in d["indicators"]} >= {"dasco-2024"}, "actors"
assert not [i for i in d["indicators"] if not i["actor"].endswith("-2024")]' ||
  fail "referentiel --contract paris-2024 is not the 2024 référentiel"
releve referentiel --actor dasco-2024 | grep -q '^  G10.1  dasco-2024' || fail "referentiel --actor does not choose the actor's contract"

# status: every contract counted apart, or one alone.
releve status --json --year 2024 > "$T/all.json" || fail "status --year 2024 failed"
releve status --json --contract paris-2024 --year 2024 > "$T/new.json" || fail "status --contract failed"
releve status --json --contract paris-2015 --year 2022 > "$T/old.json" || fail "status --contract paris-2015 failed"
python3 - "$T/all.json" "$T/new.json" "$T/old.json" <<'PY' || fail "status by contract is wrong"
import json, sys
every, new, old = (json.load(open(f)) for f in sys.argv[1:])
assert every["contract"] is None, every["contract"]
ids = [k["id"] for k in every["contracts"]]
assert ids == ["paris-2024"], ids  # 2024 lies outside paris-2015
assert new["contract"] == "paris-2024" and old["contract"] == "paris-2015"
def actor(s, a):
    return next(x for x in s["actors"] if x["id"] == a)
# G10.1 expects QPV and QP; QP is derived from the quartiers given.
d24 = actor(new, "dasco-2024")
assert d24["given"] >= 1, d24
assert "dasco" not in [a["id"] for a in new["actors"]], "paris-2015's actor in paris-2024"
d15 = actor(old, "dasco")
assert d15["given"] >= 1, d15
assert "dasco-2024" not in [a["id"] for a in old["actors"]]
assert [c["contract"] for c in new["campaigns"]] == ["paris-2024"], new["campaigns"]
assert new["total"]["expected"] == every["total"]["expected"], (new["total"], every["total"])
# Both référentiels have a theme G: each counted in its contract.
assert {t["contract"] for t in every["themes"]} == {"paris-2024"}, every["themes"]
assert [t["expected"] for t in new["themes"]] == [t["expected"] for t in every["themes"]]
PY
releve status --json > "$T/years.json" || fail "status (every year) failed"
python3 - "$T/years.json" <<'PY' || fail "status sums two contracts' themes"
import json, sys
s = json.load(open(sys.argv[1]))
g = {t["contract"]: t for t in s["themes"] if t["id"] == "G"}
assert set(g) == {"paris-2015", "paris-2024"}, s["themes"]
assert sum(t["expected"] for t in s["themes"]) == s["total"]["expected"]
PY
releve status --year 2024 > "$T/status.txt" || fail "status failed"
grep -q 'paris-2024' "$T/status.txt" || { cat "$T/status.txt" >&2; fail "status does not name the contract"; }
releve status > "$T/status.txt" || fail "status (every year) failed"
grep -q '^paris-2015 · G — ' "$T/status.txt" && grep -q '^paris-2024 · G — ' "$T/status.txt" ||
  { cat "$T/status.txt" >&2; fail "status does not count each contract's theme G apart"; }

# missing: G10.1 2024 is given in paris-2024, G10.2 is not.
releve missing --json --actor dasco-2024 --year 2024 > "$T/missing.json" || fail "missing failed"
python3 - "$T/missing.json" <<'PY' || fail "missing for dasco-2024 is wrong"
import json, sys
m = json.load(open(sys.argv[1]))
cells = m["cells"] if isinstance(m, dict) else m
keys = {(c["indicator"], c["geography"]) for c in cells}
assert ("G10.1", "QPV") not in keys, keys
assert ("G10.2", "QPV") in keys, keys
assert {c["contract"] for c in cells} == {"paris-2024"}, {c["contract"] for c in cells}
PY

# export: each contract's own figures, each quartier under its own list.
releve export --contract paris-2024 --format csv -o "$T/new.csv" || fail "export paris-2024 failed"
releve export --contract paris-2015 --format csv -o "$T/old.csv" || fail "export paris-2015 failed"
grep -q 'QN99901A' "$T/new.csv" || fail "the 2024 export lacks its quartier"
if grep -q 'QP075012' "$T/new.csv"; then fail "the 2024 export shows a 2015 quartier"; fi
grep -q 'QP075012' "$T/old.csv" || fail "the 2015 export lacks its quartier"
if grep -q 'QN99901A' "$T/old.csv"; then fail "the 2015 export shows a 2024 quartier"; fi

# history: one contract's revisions of G10.1.
releve history G10.1 --contract paris-2024 --json | python3 -c '
import json, sys
h = json.load(sys.stdin)
assert h["contract"] == "paris-2024"
assert sorted((r["period"], r["geography"]) for r in h["revisions"]) == [("2024", "QN99901A"), ("2024", "QPV")], h["revisions"]' ||
  fail "history --contract paris-2024 is wrong"

# template: the actor's contract, a year of it only.
releve template --actor dasco-2024 --year 2024 -o "$T/t.xlsx" > "$T/out" 2>&1 || { cat "$T/out" >&2; fail "template failed"; }
[ -s "$T/t.xlsx" ] || fail "no workbook"
if releve template --actor dasco-2024 --year 2022 -o "$T/t2.xlsx" > "$T/out" 2>&1; then
  fail "a template for a year outside the contract"
fi
grep -q 'paris-2024' "$T/out" || { cat "$T/out" >&2; fail "the refusal does not name the contract"; }
# ---- reminders: a partner of two contracts is told which one asks ------------
releve remind --date 2025-01-15 > "$T/remind.txt" 2>&1 || { cat "$T/remind.txt" >&2; fail "remind failed"; }
grep -q 'paris-2024' "$T/remind.txt" || { cat "$T/remind.txt" >&2; fail "remind does not name the contract"; }
"$RELEVED" -c "$CONF" --once >> "$LOG" 2>&1 || fail "releved --once (the outbox) failed"
python3 - "$T/conf/var/outbox" <<'PY' || fail "the reminder does not name its contract"
import email, email.policy, os, sys
d = sys.argv[1]
mails = [email.message_from_binary_file(open(os.path.join(d, f), 'rb'), policy=email.policy.default)
         for f in sorted(os.listdir(d)) if f.endswith('.eml')]
ours = [m for m in mails if 'evaluation@dasco.example.fr' in m['To'] and 'collecte 2024' in m['Subject']]
assert len(ours) == 1, [m['To'] for m in mails]
m = ours[0]
assert m['Subject'].startswith('Ouverture de la collecte 2024, Engagements Quartiers 2030 de Paris : '), m['Subject']
body = m.get_body(('plain',)).get_content()
assert 'Cette demande porte sur le contrat « Engagements Quartiers 2030 de Paris » (paris-2024).' in body, body
assert 'modele_dasco-2024_2024.' in body, body
PY
echo "two contracts: figures, refusals, check-config, referentiel, status, missing, export, history, template, reminders: ok"
