#!/bin/bash
# releve export in its three formats, on figures ingested through the
# template: CSV for French spreadsheets, an XLSX workbook whose figures are
# numbers, a self-contained HTML page whose partner text is escaped.
set -euo pipefail
: "${RELEVE:?}" "${PLUGINS:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
"$RELEVE" init "$dir/x" >/dev/null
python3 - "$dir/x/releve.json" "$PLUGINS" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["plugins"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
conf=$dir/x/releve.json
printf '%s\r\n' 'indicateur;libelle;periode;geographie;valeur;part;statut;commentaire' \
  'G08.1;x;2018;QPV;82;;;' 'G08.1;x;2019;QPV;84;;;' 'G08.1;x;2019;QP;10002015;;;' \
  'G08.2;x;2019;QPV;s;;;' 'G08.2;x;2019;QP;;;nd;' 'G10.2;x;2019;QPV;12,5;;;' \
  'G18.1;x;2019;QPV;Projets <école> & "co";;;' > "$dir/dasco.csv"
"$RELEVE" -c "$conf" ingest --actor dasco "$dir/dasco.csv" > "$dir/ingest.out" ||
  fail "ingest: $(cat "$dir/ingest.out")"

# CSV: start, mid-term (2018) and latest, decimal commas.
"$RELEVE" -c "$conf" export --format csv -o "$dir/t.csv"
grep -q ';G08.1;.*;QPV;2018;82;82;2019;84' "$dir/t.csv" || fail "csv: G08.1 QPV row"
grep -q ';G08.1;.*;QP;2019;10002015;;2019;10002015' "$dir/t.csv" || fail "csv: G08.1 QP row"
grep -q ';G10.2;.*;QPV;2019;12,5;;2019;12,5' "$dir/t.csv" || fail "csv: decimal comma"
grep -q ';G08.2;.*;QPV;2019;secret;' "$dir/t.csv" || fail "csv: suppressed"
grep -q ';G08.2;.*;QP;2019;nd;' "$dir/t.csv" || fail "csv: not available"

# XLSX, to a file and through a pipe: the same rows, figures as numbers.
"$RELEVE" -c "$conf" export --format xlsx -o "$dir/t.xlsx"
"$RELEVE" -c "$conf" export --format xlsx > "$dir/piped.xlsx"
python3 - "$dir/t.xlsx" "$dir/piped.xlsx" <<'PY'
import html, re, sys, zipfile
for path in sys.argv[1:]:
    z = zipfile.ZipFile(path)
    assert z.testzip() is None, path
    names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    assert names == ["Tableau complet", "G Grandir", "T Travailler", "H Habiter"], names
    strings = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in
               re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode())]
    rows = {}
    for sheet in ("sheet1", "sheet2"):
        xml = z.read("xl/worksheets/%s.xml" % sheet).decode()
        for row in re.findall(r"<row [^>]*>(.*?)</row>", xml):
            cells = {}
            for ref, attrs, v in re.findall(r'<c r="([A-Z]+)\d+"([^>]*)><v>([^<]*)</v></c>', row):
                cells[ref] = strings[int(v)] if 't="s"' in attrs else float(v)
            rows.setdefault(sheet, []).append(cells)
    # 392 indicators, one row each at least, plus the header.
    assert len(rows["sheet1"]) >= 393, len(rows["sheet1"])
    def find(ind, geo):
        return [r for r in rows["sheet1"] if r.get("D") == ind and r.get("J") == geo]
    (qpv,) = find("G08.1", "QPV")
    assert (qpv["K"], qpv["L"], qpv["M"], qpv["N"], qpv["O"]) == ("2018", 82.0, 82.0, "2019", 84.0), qpv
    assert find("G08.1", "QP")[0]["O"] == 10002015.0
    assert find("G10.2", "QPV")[0]["O"] == 12.5
    assert find("G08.2", "QPV")[0]["O"] == "secret"
    assert find("G08.2", "QP")[0]["O"] == "nd"
    assert find("G18.1", "QPV")[0]["O"] == 'Projets <école> & "co"'
    # The theme's sheet holds the same G rows.
    assert any(r.get("D") == "G08.1" and r.get("O") == 84.0 for r in rows["sheet2"])
PY

# HTML: one table per theme, every row complete, partner text escaped.
"$RELEVE" -c "$conf" export --format html -o "$dir/t.html"
python3 - "$dir/t.html" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.h2 = []; self.rows = []; self.tag = None; self.text = ""
    def handle_starttag(self, tag, attrs):
        if tag == "tr": self.rows.append([])
        if tag in ("td", "th", "h2"): self.tag, self.text = tag, ""
    def handle_endtag(self, tag):
        if tag in ("td", "th"): self.rows[-1].append(self.text)
        if tag == "h2": self.h2.append(self.text)
        self.tag = None
    def handle_data(self, data):
        if self.tag: self.text += data
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
assert [h.split(" ")[0] for h in p.h2] == ["G", "T", "H"], p.h2
assert all(len(r) == 12 for r in p.rows), {len(r) for r in p.rows}
assert any(r[1] == "G08.1" and r[6] == "QPV" and r[11] == "84" for r in p.rows)
assert any(r[6] == "QP" and r[11] == "10002015" for r in p.rows)
assert any(r[11] == 'Projets <école> & "co"' for r in p.rows)
PY
grep -q 'Projets &lt;école&gt; &amp; &quot;co&quot;' "$dir/t.html" || fail "html: text not escaped"

# A format that does not exist is a usage error that names the ones that do.
if "$RELEVE" -c "$conf" export --format pdf 2> "$dir/err"; then fail "pdf accepted"; fi
grep -q "csv, xlsx or html" "$dir/err" || fail "unknown format message: $(cat "$dir/err")"
echo "cli export csv/xlsx/html: ok"
