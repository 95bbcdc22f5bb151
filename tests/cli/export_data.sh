# Sourced by the export tests: a configuration in $dir/x and figures of
# five partners ingested through the template, chosen for each kind of
# target, for secrecy by what a count counts, and for a missing start.
: "${RELEVE:?}" "${PLUGINS:?}" "${dir:?}"
"$RELEVE" init "$dir/x" >/dev/null
python3 - "$dir/x/releve.json" "$PLUGINS" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["plugins"] = sys.argv[2]
for a in c["actors"]:
    if a["id"] == "academie":  # its figures here come as the référentiel's template
        a["plugin"] = "template"; a.pop("options", None); a.pop("mapping", None)
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
conf=$dir/x/releve.json
head='indicateur;libelle;periode;geographie;valeur;part;statut;commentaire'
ingest() { # ACTOR LINE...
  local actor=$1; shift
  printf '%s\r\n' "$head" "$@" > "$dir/$actor.csv"
  "$RELEVE" -c "$conf" ingest --actor "$actor" "$dir/$actor.csv" > "$dir/$actor.out" ||
    fail "ingest $actor: $(cat "$dir/$actor.out")"
}
# G01.2 level 1200 (persons): 1 020 in 2022 is 85 %; QP starts in 2016.
# G01.1 level 11 EPRE (structures): 9 then 8, receding.
ingest gip 'G01.2;x;2015;QPV;800;;;' 'G01.2;x;2018;QPV;950;;;' 'G01.2;x;2022;QPV;1020;;;' \
  'G01.2;x;2016;QP;1000;;;' 'G01.2;x;2019;QP;1300;;;' 'G01.1;x;2015;QPV;9;;;' \
  'G01.1;x;2022;QPV;8;;;' 'G01.2;x;2023;QPV;5000;;;'
# G08.1 counts structures: 1 is shown. G31.2 counts households: 3 is
# blanked, and QP with it (it would be QPV itself).
ingest dasco 'G08.1;x;2018;QPV;82;;;' 'G08.1;x;2019;QPV;84;;;' 'G08.1;x;2019;QP;10002015;;;' \
  'G08.1;x;2019;REP;1;;;' 'G08.2;x;2019;QPV;s;;;' 'G08.2;x;2019;QP;;;nd;' \
  'G10.2;x;2019;QPV;12,5;;;' 'G18.1;x;2019;QPV;Projets <école> & "co";;;' \
  'G31.2;x;2015;QPV;3;;;' 'G31.2;x;2015;QP;40;;;'
# G02.1 counts schools: 1 at REP is shown; its share target cannot be
# measured on a count that carries no share.
ingest academie 'G02.1;x;2015-2016;REP;1;;;' 'G02.1;x;2018-2019;REP;2;;;'
# H22.2 rise 75 %: 20 -> 30 of a goal of 35; T01.1 range 120-140, starting
# in 2016; H23.2 floor 3 (not a percentage).
ingest ddct 'H22.2;x;2015;QPV;20;;;' 'H22.2;x;2018;QPV;25;;;' 'H22.2;x;2022;QPV;30;;;' \
  'T01.1;x;2016;QPV;100;;;' 'T01.1;x;2022;QPV;130;;;' 'H23.2;x;2019;QPV;2;;;'
# T45.1 "Nombre et part" of persons: a blanked count takes its share along.
ingest region 'T45.1;x;2019;QPV;3;6;;' 'T45.1;x;2019;QP;81;10,4;;'
