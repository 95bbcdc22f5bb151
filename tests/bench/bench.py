#!/usr/bin/env python3
"""relevé benchmarks: one table, every figure measured in the same run.

  tests/bench/run [BUILD_DIR]        (default build/release)

Figures: ingest of a 1,000,000-row row-level file aggregated by a mapping
and of the full long-format template, each beside `sqlite3 .import` of the
same file into a plain table; peak RSS at 100k and 1M rows; drop-to-commit
latency of releved with inotify and in rescan-only mode; a 100,000-row
collection table read as .xlsx (written by openpyxl) beside the same table
as CSV; `releve missing`
for all actors; idle CPU and wakeups of the daemon. Speed goals live here,
never in tests."""
import json, os, random, resource, shutil, signal, statistics, subprocess, sys, tempfile, time

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/release")
SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RELEVE = os.path.join(BUILD, "daemon", "releve")
RELEVED = os.path.join(BUILD, "daemon", "releved")
PLUGINS = os.path.join(BUILD, "plugins", "lib")
TMP = tempfile.mkdtemp(prefix="releve-bench.")
rows = []


def row(name, value, unit, note=""):
    rows.append((name, value, unit, note))
    print("  %-44s %12s %-8s %s" % (name, value, unit, note), file=sys.stderr)


def measured(cmd, **kw):
    """Runs cmd in a fresh python child so that RUSAGE_CHILDREN is its own:
    returns (seconds, peak RSS in MiB)."""
    probe = ("import resource, subprocess, sys, time, json\n"
             "t = time.perf_counter()\n"
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
             "d = time.perf_counter() - t\n"
             "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
             "print(json.dumps([r.returncode, d, m, r.stderr.decode()[-500:]]))\n")
    out = subprocess.run([sys.executable, "-c", probe] + cmd, capture_output=True, text=True, **kw)
    rc, secs, rss_kib, err = json.loads(out.stdout)
    if rc != 0:
        sys.exit("bench: %s failed (%d): %s" % (cmd[0], rc, err))
    return secs, rss_kib / 1024.0


def config(extra=None):
    d = os.path.join(TMP, "conf-%d" % len(os.listdir(TMP)))
    subprocess.run([RELEVE, "init", d], check=True, stdout=subprocess.DEVNULL)
    p = os.path.join(d, "releve.json")
    c = json.load(open(p))
    c["plugins"] = PLUGINS
    for a in c["actors"]:
        if a["id"] == "academie":
            # The default reads the collection table only; the row-level file
            # is the académie's own export, read by its plugin.
            a.pop("plugin", None)
            a["plugins"] = ["academie", "template"]
            a["mapping"] = {"kind": "rows", "period": {"value": "2022-2023"},
                            "geography": {"column": "ep", "unmapped": "skip"},
                            "indicators": {"G03.1": {"op": "count", "where": {"type_etablissement": "Collège"}},
                                           "G03.2": {"op": "sum", "column": "nombre_d_eleves",
                                                     "where": {"type_etablissement": "Collège"}}}}
    if extra:
        extra(c)
    json.dump(c, open(p, "w"), indent=2)
    return d, p


def rowlevel_file(n):
    path = os.path.join(TMP, "annuaire-%d.csv" % n)
    rnd = random.Random(n)
    types, eps = ["Collège", "Ecole", "Lycée"], ["REP", "REP+", "", "", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\ufeffIdentifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;"
                "Code_commune;Code_departement;Appartenance_Education_Prioritaire;Nombre_d_eleves\r\n")
        for i in range(n):
            f.write("%07dX;Etablissement %d;%s;751%02d;075;%s;%d\r\n" % (
                i, i, rnd.choice(types), 1 + i % 20, rnd.choice(eps), 100 + i % 700))
    return path


def sqlite_import(path, skip_bom=True):
    db = os.path.join(TMP, "import-%d.db" % len(os.listdir(TMP)))
    script = ".mode csv\n.separator ;\n.import '%s' t\n" % path
    s = os.path.join(TMP, "import.sql")
    open(s, "w").write(script)
    return measured(["sqlite3", db, ".read " + s])


def sqlite_floor(path, schema):
    """What SQLite alone needs to keep these figures the way relevé does:
    .import, then one write into each of relevé's two figure tables (their
    real definitions, keys and foreign keys), without any lookup or check."""
    db = os.path.join(TMP, "floor-%d.db" % len(os.listdir(TMP)))
    script = (".mode csv\n.separator ;\n.import '%s' t\n"
              "PRAGMA foreign_keys = ON;\n"
              "CREATE TABLE submissions(id INTEGER PRIMARY KEY);\n%s;\n"
              "BEGIN;\nINSERT INTO submissions VALUES (1);\n"
              "INSERT INTO observations SELECT indicateur, periode, geographie, valeur, NULL, "
              "NULL, 'normal', NULL, 1, rowid, 'now' FROM t;\n"
              "INSERT INTO revisions SELECT indicateur, periode, geographie, 1, valeur, NULL, "
              "NULL, 'normal', NULL, rowid, 'now' FROM t;\nCOMMIT;\n") % (path, schema)
    s = os.path.join(TMP, "floor.sql")
    open(s, "w").write(script)
    return measured(["sqlite3", db, ".read " + s])


def long_templates():
    """Every indicator × period × geography the référentiel allows, as one
    template file per actor (an actor may only send its own indicators)."""
    ref = json.load(open(os.path.join(SRC, "conf", "referentiel.json")))
    geos = ["PARIS", "QP", "QPV", "QVA"] + ["751%02d" % i for i in range(1, 21)] + \
           ["QP075%03d" % i for i in range(1, 21)] + ["REP", "REP+"]
    base = {"PARIS": 10**7, "QP": 10**6, "QPV": 10**5, "QVA": 10**5}
    files, total = {}, 0
    for t in ref["themes"]:
        for o in t["objectives"]:
            for s in o["sub_objectives"]:
                for g in s["goals"]:
                    for a in g["actions"]:
                        for ind in a["indicators"]:
                            f = files.setdefault(ind["actor"], [])
                            for y in range(2015, 2024):
                                per = "%d-%d" % (y, y + 1) if ind["period"] == "school_year" else str(y)
                                for geo in geos:
                                    if ind["unit"] == "text":
                                        v = "texte"
                                    elif ind["unit"] == "percent":
                                        v = "50"
                                    else:
                                        v = str(base.get(geo, 0) + y)
                                    f.append("%s;libellé;%s;%s;%s;;;\r\n" % (ind["id"], per, geo, v))
    paths = []
    for actor, lines in files.items():
        p = os.path.join(TMP, "template-%s.csv" % actor)
        with open(p, "w", encoding="utf-8") as fh:
            fh.write("\ufeffindicateur;libelle;periode;geographie;valeur;part;statut;commentaire\r\n")
            fh.writelines(lines)
        paths.append((actor, p))
        total += len(lines)
    return paths, total


def bench_rowlevel():
    d, conf = config()
    rss = {}
    for n in (100_000, 1_000_000):
        path = rowlevel_file(n)
        secs, rss[n] = measured([RELEVE, "-c", conf, "ingest", "--actor", "academie", path])
        if n == 1_000_000:
            isecs, irss = sqlite_import(path)
            row("row-level ingest, 1M rows (mapping: count+sum)", "%.0f" % (n / secs), "rows/s",
                "%.2f s, peak RSS %.1f MiB" % (secs, rss[n]))
            row("  sqlite3 .import of the same file", "%.0f" % (n / isecs), "rows/s",
                "%.2f s, peak RSS %.1f MiB" % (isecs, irss))
    row("peak RSS 100k -> 1M rows", "%.1f -> %.1f" % (rss[100_000], rss[1_000_000]), "MiB",
        "flat" if rss[1_000_000] < rss[100_000] * 1.2 + 1 else "GROWS")


def all_template(c):
    # The référentiel's own table, whoever the actor: no partner format.
    for a in c["actors"]:
        a["plugin"] = "template"
        a.pop("plugins", None)
        a.pop("mapping", None)
        a.pop("options", None)


def bench_template():
    d, conf = config(all_template)
    paths, total = long_templates()
    secs = 0.0
    peak = 0.0
    for actor, p in paths:
        s, r = measured([RELEVE, "-c", conf, "ingest", "--actor", actor, p])
        secs += s
        peak = max(peak, r)
    isecs = sum(sqlite_import(p)[0] for _, p in paths)
    db = json.load(open(conf))["database"]
    schema = subprocess.run(["sqlite3", os.path.join(d, db), "SELECT group_concat(sql, ';') FROM "
                             "sqlite_master WHERE name IN ('observations', 'revisions')"],
                            check=True, capture_output=True, text=True).stdout.strip()
    fsecs = sum(sqlite_floor(p, schema)[0] for _, p in paths)
    row("full long template (%d figures, %d files)" % (total, len(paths)), "%.0f" % (total / secs),
        "rows/s", "%.2f s, peak RSS %.1f MiB" % (secs, peak))
    row("  sqlite3 .import of the same files", "%.0f" % (total / isecs), "rows/s",
        "%.2f s; relevé/.import time x%.2f" % (isecs, secs / isecs))
    row("  sqlite3 .import + relevé's two figure tables", "%.0f" % (total / fsecs), "rows/s",
        "%.2f s, no check at all; floor/.import x%.2f, relevé/floor x%.2f"
        % (fsecs, fsecs / isecs, secs / fsecs))
    t0 = time.perf_counter()
    for _ in range(5):
        subprocess.run([RELEVE, "-c", conf, "missing", "--json"], check=True, stdout=subprocess.DEVNULL)
    row("releve missing, all actors, 9 years", "%.1f" % ((time.perf_counter() - t0) / 5 * 1000), "ms",
        "whole command, after the template ingest")


def collection_table(n):
    """n rows of one actor's collection table (the DAE, which owes the most
    indicators): every indicator, year and geography, quartier codes to make
    up the count. Returns the CSV's path and the rows as lists."""
    ref = json.load(open(os.path.join(SRC, "conf", "referentiel.json")))
    inds = [ind for t in ref["themes"] for o in t["objectives"] for s in o["sub_objectives"]
            for g in s["goals"] for a in g["actions"] for ind in a["indicators"]
            if ind["actor"] == "dae" and ind["unit"] != "text"]
    geos = ["PARIS", "QP", "QPV", "QVA"] + ["QP075%03d" % i for i in range(1, 1000)]
    out = []
    for geo in geos:
        for ind in inds:
            for y in range(2015, 2024):
                per = "%d-%d" % (y, y + 1) if ind["period"] == "school_year" else str(y)
                v = 50.5 if ind["unit"] == "percent" else 1000 + y
                out.append([ind["id"], "libellé", per, geo, v])
                if len(out) == n:
                    break
            if len(out) == n:
                break
        if len(out) == n:
            break
    path = os.path.join(TMP, "collecte-%d.csv" % n)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("indicateur;libelle;periode;geographie;valeur;part;statut;commentaire\r\n")
        for r in out:
            fh.write("%s;%s;%s;%s;%s;;;\r\n" % (r[0], r[1], r[2], r[3], str(r[4]).replace(".", ",")))
    return path, out


def bench_workbook(n=100_000):
    path, table = collection_table(n)
    xlsx = os.path.join(TMP, "collecte-%d.xlsx" % n)
    # openpyxl from Debian (python3-openpyxl), whatever python runs this.
    subprocess.run(["/usr/bin/python3", "-c",
                    "import csv, sys, openpyxl\n"
                    "wb = openpyxl.Workbook(write_only=True)\n"
                    "ws = wb.create_sheet('Collecte')\n"
                    "for i, r in enumerate(csv.reader(open(sys.argv[1], encoding='utf-8'), delimiter=';')):\n"
                    "    if i: r[4] = float(r[4].replace(',', '.'))\n"
                    "    ws.append(r)\n"
                    "wb.save(sys.argv[2])\n", path, xlsx], check=True)
    figures = {}
    for kind, p in (("csv", path), ("xlsx", xlsx)):
        d, conf = config(all_template)
        figures[kind] = measured([RELEVE, "-c", conf, "ingest", "--actor", "dae", p])
    (csecs, crss), (xsecs, xrss) = figures["csv"], figures["xlsx"]
    row("collection table, %dk rows, .xlsx" % (n // 1000), "%.0f" % (n / xsecs), "rows/s",
        "%.2f s, peak RSS %.1f MiB, %.1f MiB file" % (xsecs, xrss, os.path.getsize(xlsx) / 2**20))
    row("  the same table as CSV", "%.0f" % (n / csecs), "rows/s",
        "%.2f s, peak RSS %.1f MiB; .xlsx/CSV time x%.2f" % (csecs, crss, xsecs / csecs))


def start_daemon(conf, log):
    p = subprocess.Popen([RELEVED, "-c", conf], stdout=log, stderr=log)
    deadline = time.time() + 20
    while time.time() < deadline:
        if "ready:" in open(log.name).read():
            return p
        time.sleep(0.02)
    p.kill()
    sys.exit("bench: releved did not start")


def latency(mode, n=500):
    # Rescan-only mode rescans every second; with inotify the rescan is the
    # default minute, so that the idle figures are the daemon's own.
    rescan = 60 if mode == "inotify" else 1
    def settings(c):
        c["daemon"].update(watch=(mode == "inotify"), rescan_seconds=rescan, quiet_seconds=0)
        # Every receipt in one mailer run, rather than 100 a minute, so that
        # the idle figures start once the work is done.
        c["mail"]["max_per_run"] = n
    d, conf = config(settings)
    spool = os.path.join(d, "spool", "dasco")
    log = open(os.path.join(TMP, "releved-%s.log" % mode), "w")
    p = start_daemon(conf, log)
    lat = []
    try:
        for i in range(n):
            body = ("indicateur;libelle;periode;geographie;valeur;part;statut;commentaire\n"
                    "G08.1;x;%d;QPV;%d;;;\n" % (2015 + i % 9, i))
            tmp = os.path.join(spool, "incoming", ".f%d.part" % i)
            open(tmp, "w").write(body)
            report = os.path.join(spool, "archive", "f%d.csv.rapport.txt" % i)
            t0 = time.perf_counter()
            os.rename(tmp, os.path.join(spool, "incoming", "f%d.csv" % i))
            while not os.path.exists(report):
                if time.perf_counter() - t0 > 10:
                    sys.exit("bench: f%d.csv not committed within 10 s (%s)" % (i, mode))
                time.sleep(0.0005)
            lat.append((time.perf_counter() - t0) * 1000)
    finally:
        idle = None
        if mode == "inotify":
            # Idle means after the work: every receipt written to the outbox.
            outbox = os.path.join(d, "var", "outbox")
            deadline = time.time() + 120
            while len([f for f in os.listdir(outbox) if f.endswith(".eml")]) < n:
                if time.time() > deadline:
                    sys.exit("bench: the %d receipts were not all written within 120 s" % n)
                time.sleep(0.1)
            idle = idle_figures(p.pid)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
    lat.sort()
    row("drop-to-commit, %d small files, %s" % (n, mode), "%.1f / %.1f" % (
        statistics.median(lat), lat[int(len(lat) * 0.99) - 1]), "ms", "p50 / p99")
    if idle:
        cpu, wake, secs = idle
        row("idle daemon over %d s" % secs, "%.3f" % cpu, "CPU s", "%.1f wakeups/min" % wake)


def idle_figures(pid, secs=int(os.environ.get("IDLE", "60"))):
    def sample():
        st = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        ticks = int(st[11]) + int(st[12])
        ctx = 0
        for line in open("/proc/%d/status" % pid):
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                ctx += int(line.split()[1])
        return ticks, ctx
    t0, c0 = sample()
    time.sleep(secs)
    t1, c1 = sample()
    return (t1 - t0) / os.sysconf("SC_CLK_TCK"), (c1 - c0) * 60.0 / secs, secs


def main():
    for b in (RELEVE, RELEVED):
        if not os.access(b, os.X_OK):
            sys.exit("bench: build first (%s missing)" % b)
    print("relevé benchmarks — %s, %d cores, %s" % (time.strftime("%Y-%m-%d"), os.cpu_count(),
                                                    os.uname().machine), file=sys.stderr)
    try:
        bench_rowlevel()
        bench_template()
        bench_workbook()
        latency("inotify")
        latency("rescan-only (1 s)", n=100)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("| measure | value | unit | notes |")
    print("| --- | ---: | --- | --- |")
    for r in rows:
        print("| %s | %s | %s | %s |" % r)


if __name__ == "__main__":
    main()
