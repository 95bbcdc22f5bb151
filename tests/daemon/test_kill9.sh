#!/bin/bash
# kill -9 in the middle of a large file, then a restart: the file is stored
# exactly once and the database is intact. Also --once.
. "$(dirname "$0")/lib.sh"
make_config
start_daemon

# A large long template (every figure of caf's yearly counts, with long
# comments); "slow" makes the test plugin take about a second over it.
python3 - "$T/big-slow.csv" <<'PY'
import sys
ind = "G04.1 G07.1 G15.1 G24.1 G24.2 G25.1 G25.2 G25.3 G26.1 G27.1 G28.1 G32.1 G33.1 G34.1 G35.1 G48.1 G58.2 H04.1 H05.1 H07.1 H07.2 H13.1".split()
geo = ["751%02d" % i for i in range(1, 21)] + ["PARIS", "QP", "QPV", "QVA"]
with open(sys.argv[1], "w") as f:
    f.write("indicateur;libelle;periode;geographie;valeur;part;statut;commentaire\n")
    n = 0
    for i in ind:
        for y in range(2015, 2024):
            for g in geo:
                n += 1
                # Parts stay below their totals (QPV, QVA < QP < PARIS).
                v = {"PARIS": 1000000, "QP": 100000}.get(g, 0) + n
                f.write("%s;libellé;%d;%s;%d;;;%s\n" % (i, y, g, v, "commentaire %d " % n * 40))
PY
mv "$T/big-slow.csv" "$SPOOL/incoming/big-slow.csv"
wait_for 10 "test -e '$SPOOL/processing/big-slow.csv'" || fail "big-slow.csv never claimed"
sleep 0.4
kill -9 "$DPID"
wait "$DPID" 2>/dev/null || true
DPID=
killed_in_flight=0
[ -e "$SPOOL/processing/big-slow.csv" ] && killed_in_flight=1

start_daemon
wait_for 60 "test -f '$SPOOL/archive/big-slow.csv.rapport.txt'" || fail "big-slow.csv not archived after restart"
[ "$(sql "select count(*) from submissions where name='big-slow.csv' and outcome='accepted'")" = 1 ] ||
  fail "big-slow.csv stored $(sql "select count(*) from submissions where name='big-slow.csv'") times"
[ "$(sql "select count(*) from observations")" = $((22 * 9 * 24)) ] ||
  fail "observations: $(sql "select count(*) from observations")"
[ "$(db_integrity)" = ok ] || fail "integrity_check: $(db_integrity)"
[ "$(count_files "$SPOOL/processing")" = 0 ] || fail "files left in processing/"
stop_daemon

# --once: processing/ first, then incoming/, then exit 0.
figure 2023 30 > "$SPOOL/processing/left.csv"
figure 2022 31 > "$SPOOL/incoming/new.csv"
timeout $((30 * ${TIME_FACTOR:-1})) "$RELEVED" -c "$CONF" --once >>"$LOG" 2>&1 || fail "--once failed"
[ -f "$SPOOL/archive/left.csv.rapport.txt" ] && [ -f "$SPOOL/archive/new.csv.rapport.txt" ] || fail "--once left files"
echo "daemon kill -9 recovery (killed in flight: $killed_in_flight) and --once: ok"
