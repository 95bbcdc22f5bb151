#!/bin/bash
# releve export in its three formats, on figures ingested through the
# template (export_data.sh): the evaluation table in the référentiel's order
# with start, mid-term and latest results, progress toward the targets,
# completeness, and secrecy on counts of persons and households only. CSV
# with every column, an XLSX workbook whose figures are numbers and whose
# sheets print on A4 landscape one page wide, a self-contained HTML page
# whose partner text is escaped.
set -euo pipefail
: "${RELEVE:?}" "${PLUGINS:?}" "${SRC:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$SRC/tests/cli/export_data.sh"

# CSV: one row per indicator x geography, every column, decimal commas.
"$RELEVE" -c "$conf" export --format csv --points 2015,2018,2022 -o "$dir/t.csv"
python3 - "$dir/t.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
def row(ind, geo):
    found = [r for r in rows if r["indicateur"] == ind and r["geographie"] == geo]
    assert len(found) == 1, (ind, geo, found)
    return found[0]
def check(r, **want):
    got = {k: r[k] for k in want}
    assert got == want, (r["indicateur"], r["geographie"], got, want)
# The référentiel's order: themes, then actions, then indicators.
ids = [r["indicateur"] for r in rows]
assert ids.index("G01.1") < ids.index("G01.2") < ids.index("T01.1") < ids.index("H22.2")
assert len(set(ids)) == 392, len(set(ids))
# Level 1200: 1 020 is 85 %; 2023 is after the last point and is left out.
check(row("G01.2", "QPV"), debut_periode="2015", debut_valeur="800", mi_parcours_valeur="950",
      dernier_periode="2022", dernier_valeur="1020", progression="85",
      appreciation="en progrès", objectif_type="niveau", denombre="personnes", remarque="")
# No 2015 figure: the first year given, said so.
r = row("G01.2", "QP")
check(r, debut_periode="2016", debut_valeur="1000", dernier_valeur="1300", appreciation="atteint")
assert "2015 non reçu" in r["remarque"] and "2016" in r["remarque"], r["remarque"]
check(row("G01.1", "QPV"), progression="72,7", appreciation="en recul")
# Rise 75 % from 20: 30 is two thirds of the way to 35.
check(row("H22.2", "QPV"), debut_valeur="20", dernier_valeur="30", progression="66,7",
      appreciation="en progrès", objectif_type="hausse")
# Range 120-140: 130 is within; floor 3 (not a percentage): 2 is 67 %.
check(row("T01.1", "QPV"), debut_periode="2016", progression="108,3", appreciation="atteint")
check(row("H23.2", "QPV"), progression="66,7", objectif_type="plancher")
# A share target on a count that carries no share, and no target at all.
check(row("G02.1", "REP"), debut_valeur="1", dernier_valeur="2", progression="",
      appreciation="non mesurable", denombre="structures")
check(row("G08.1", "REP"), dernier_valeur="1")  # schools: 1 is shown
# Households: 3 is blanked, and QP with it (it would be QPV itself).
check(row("G31.2", "QPV"), debut_valeur="secret", denombre="ménages")
check(row("G31.2", "QP"), debut_valeur="secret")
# "Nombre et part" of persons: the share goes with its blanked count.
check(row("T45.1", "QPV"), dernier_valeur="secret", dernier_part="secret")
check(row("T45.1", "QP"), dernier_valeur="secret", dernier_part="secret")
check(row("G08.1", "QP"), dernier_valeur="10002015")
check(row("G10.2", "QPV"), dernier_valeur="12,5")
check(row("G08.2", "QPV"), dernier_valeur="secret")
check(row("G08.2", "QP"), dernier_valeur="nd")
# Completeness of the action and of the actor, as percentages.
assert float(row("G01.2", "QPV")["completude_acteur"].replace(",", ".")) > 0
assert row("G01.3", "")["completude_action"] == row("G01.2", "QPV")["completude_action"]
PY

# Default points: the contract's first year, 2018 and its last year (2023).
"$RELEVE" -c "$conf" export --format csv > "$dir/default.csv"
grep -q ';G01.2;.*;QPV;2015;800;;950;;2023;5000;' "$dir/default.csv" ||
  fail "default points: $(grep ';G01.2;' "$dir/default.csv")"

# XLSX, to a file and through a pipe: the same rows, figures as numbers.
"$RELEVE" -c "$conf" export --format xlsx --points 2015,2018,2022 -o "$dir/t.xlsx"
"$RELEVE" -c "$conf" export --format xlsx --points 2015,2018,2022 > "$dir/piped.xlsx"
python3 - "$dir/t.xlsx" "$dir/piped.xlsx" <<'PY'
import html, re, sys, zipfile
for path in sys.argv[1:]:
    z = zipfile.ZipFile(path)
    assert z.testzip() is None, path
    book = z.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet name="([^"]+)"', book)
    assert names == ["Tableau complet", "G Grandir", "T Travailler", "H Habiter", "Complétude",
                     "Graphique complétude"], names
    # The header repeated on every printed page of the four table sheets.
    assert len(re.findall(r'_xlnm.Print_Titles', book)) == 5, book
    strings = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in
               re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode())]
    styles = z.read("xl/styles.xml").decode()
    percent_styles = set()
    fmts = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]+)"', styles))
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    for i, xf in enumerate(re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs, re.S)):
        m = re.search(r'numFmtId="(\d+)"', xf)
        if m and (m.group(1) == "9" or "%" in fmts.get(m.group(1), "")):
            percent_styles.add(str(i))
    sheets = {}
    for n in range(1, 6):
        xml = z.read("xl/worksheets/sheet%d.xml" % n).decode()
        rows = []
        for row in re.findall(r"<row [^>]*>(.*?)</row>", xml):
            cells = {}
            for ref, attrs, v in re.findall(r'<c r="([A-Z]+)\d+"([^>]*)><v>([^<]*)</v></c>', row):
                s = re.search(r' s="(\d+)"', attrs)
                cells[ref] = (strings[int(v)] if 't="s"' in attrs else float(v),
                              s.group(1) if s else "0")
            rows.append(cells)
        sheets[n] = (xml, rows)
    for n in range(1, 5):  # the table sheets print on A4 landscape, one page wide
        xml = sheets[n][0]
        setup = re.search(r"<pageSetup [^>]*/>", xml).group(0)
        assert 'paperSize="9"' in setup and 'orientation="landscape"' in setup, setup
        assert 'fitToHeight="0"' in setup and "<pageSetUpPr fitToPage=\"1\"/>" in xml, setup
        assert "<autoFilter " in xml and 'state="frozen"' in xml, n
    rows = sheets[1][1]
    head = [rows[0][c][0] for c in sorted(rows[0], key=lambda c: (len(c), c))]
    assert head[0] == "Thème" and head[-1] == "Remarque", head
    col = {t: c for c, (t, _) in rows[0].items()}
    def find(ind, geo):
        return [r for r in rows if r.get(col["Indicateur"], (None,))[0] == ind and
                r.get(col["Territoire"], (None,))[0] == geo]
    (g012,) = find("G01.2", "QPV")
    assert g012[col["Situation au début du contrat (2015)"]][0] == 800.0
    assert g012[col["Résultat à mi-parcours (2018)"]][0] == 950.0
    assert g012[col["Dernier résultat (jusqu'à 2022)"]][0] == 1020.0
    value, style = g012[col["Progression vers l'objectif"]]
    assert abs(value - 0.85) < 1e-9 and style in percent_styles, (value, style, percent_styles)
    assert g012[col["Appréciation"]][0] == "en progrès"
    assert find("G08.1", "QP")[0][col["Dernier résultat (jusqu'à 2022)"]][0] == 10002015.0
    assert find("G10.2", "QPV")[0][col["Dernier résultat (jusqu'à 2022)"]][0] == 12.5
    assert find("G08.2", "QPV")[0][col["Dernier résultat (jusqu'à 2022)"]][0] == "secret"
    assert find("G08.2", "QP")[0][col["Dernier résultat (jusqu'à 2022)"]][0] == "nd"
    assert find("G18.1", "QPV")[0][col["Dernier résultat (jusqu'à 2022)"]][0] == 'Projets <école> & "co"'
    # The theme's sheet holds the same G rows.
    assert any(r.get("G", (None,))[0] == "G01.2" for r in sheets[2][1])
    # Completeness per actor, and a chart of it on its own sheet.
    done = {r["A"][0]: r for r in sheets[5][1][1:] if "A" in r and "C" in r}
    gip = done["GIP Réussite éducative"]
    assert gip["D"][0] == 8.0 and gip["E"][1] in percent_styles, gip
    assert done["Ville de Paris – DASCO"]["B"][0].startswith("Ville de Paris – DASCO (")
    chart = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert chart and "<c:barChart>" in z.read(chart[0]).decode(), chart
    assert "Complétude" in z.read(chart[0]).decode()
PY

# HTML: one table per theme, every row complete, partner text escaped, no
# script nor outside resource, a chart for each indicator with two values.
"$RELEVE" -c "$conf" export --format html --points 2015,2018,2022 -o "$dir/t.html"
python3 - "$dir/t.html" <<'PY'
import re, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.h2 = []; self.rows = []; self.tag = None; self.text = ""
        self.cls = ""; self.figures = []; self.tags = set(); self.depth = 0
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        if tag == "tr": self.rows.append((a.get("class", ""), []))
        if tag in ("td", "th", "h2", "figcaption"): self.tag, self.text, self.depth = tag, "", 0
        elif self.tag: self.depth += 1
        for v in a.values():
            assert not re.match(r"\s*(https?:|//)", v or ""), (tag, a)
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.tag == tag: self.rows[-1][1].append(self.text)
        if tag == "h2" and self.tag == tag: self.h2.append(self.text)
        if tag == "figcaption": self.figures.append(self.text)
        if tag == self.tag: self.tag = None
    def handle_data(self, data):
        if self.tag: self.text += data
text = open(sys.argv[1], encoding="utf-8").read()
p = P(); p.feed(text)
assert "script" not in p.tags and "link" not in p.tags and "img" not in p.tags, p.tags
themes = [h for h in p.h2 if h[:2] in ("G ", "T ", "H ")]
assert [h[0] for h in themes] == ["G", "T", "H"], p.h2
assert "Complétude par acteur" in p.h2 and "Complétude par thème" in p.h2, p.h2
heads = [r for c, r in p.rows if r and r[0] == "Indicateur"]
assert len(heads) == 3 and heads[0][-1] == "Appréciation" and len(heads[0]) == 10, heads
body = [r for c, r in p.rows if "g" not in c.split() and r and r[0] != "Indicateur"]
assert all(len(r) == 10 for r in body), {len(r) for r in body}
g012 = [r for r in body if r[0] == "G01.2"][0]
assert g012[4] == "QPV" and g012[5] == "800" and g012[6] == "950", g012
# Numbers in French form: digits grouped, a no-break space before "%".
sp = "[\u00a0\u202f]"
assert re.match("1%s020" % sp, g012[7]) and re.fullmatch("85%s%%" % sp, g012[8]), g012
assert g012[9] == "en progrès", g012
assert any(r[4] == "QP" and re.match("1%s000" % sp, r[5]) and "2015 non reçu" in r[5] for r in body)
assert any(r[7].startswith('Projets <école> & "co"') for r in body)
# The action's completeness on its heading row; the summary at the top.
assert any(c.startswith("g g4") and r[0].startswith("G01 — ") and "complétude de l'action" in r[0]
           for c, r in p.rows), [r for c, r in p.rows if c.startswith("g g4")][:2]
assert "Cellules dues" in text and "Atteints" in text
# Charts: G01.2 (two territories with 2+ values), not G31.2 (one value).
assert any(f.startswith("G01.2") for f in p.figures), p.figures
assert not any(f.startswith("G31.2") for f in p.figures), p.figures
assert text.count("<svg") == len(p.figures) + 2  # and the two bar charts
PY
grep -q 'Projets &lt;école&gt; &amp; &quot;co&quot;' "$dir/t.html" || fail "html: text not escaped"

# What a count counts is in the référentiel's JSON, for count indicators only.
"$RELEVE" -c "$conf" referentiel --json | python3 -c '
import json, sys
ind = {i["id"]: i for i in json.load(sys.stdin)["indicators"]}
assert ind["G02.1"]["counts"] == "structures" and ind["G31.2"]["counts"] == "households"
assert all(("counts" in i) == (i["unit"] == "count") for i in ind.values())
'

# Usage errors name what is expected.
if "$RELEVE" -c "$conf" export --format pdf 2> "$dir/err"; then fail "pdf accepted"; fi
grep -q "csv, xlsx or html" "$dir/err" || fail "unknown format message: $(cat "$dir/err")"
for bad in 2018,2015,2022 2015,2018 2015,2018,2022,2023 20x5,2018,2022; do
  if "$RELEVE" -c "$conf" export --format csv --points "$bad" 2> "$dir/err" >/dev/null; then
    fail "--points $bad accepted"
  fi
  grep -q "three years in increasing order" "$dir/err" || fail "--points $bad: $(cat "$dir/err")"
done
echo "cli export csv/xlsx/html: ok"
