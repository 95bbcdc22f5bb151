#!/bin/bash
# The exports as a reader gets them: the HTML page rendered by headless
# Chromium at 1280 px has no page-level horizontal overflow, and printed
# gives A4 landscape pages holding every column title; the XLSX workbook
# printed by LibreOffice puts every column of a row on one page width.
set -euo pipefail
: "${RELEVE:?}" "${PLUGINS:?}" "${SRC:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in chromium soffice pdfinfo pdftotext; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps installs it)"
done
. "$SRC/tests/cli/export_data.sh"
"$RELEVE" -c "$conf" export --format html --points 2015,2018,2022 -o "$dir/t.html"
"$RELEVE" -c "$conf" export --format xlsx --points 2015,2018,2022 -o "$dir/t.xlsx"

browse() { # chromium with a profile of its own, quiet
  timeout 60 chromium --headless=new --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$dir/chromium" "$@" 2>> "$dir/chromium.log"
}

# The page's widths at 1280 px, measured by a script added to a copy only
# (the export itself has none) and written into the DOM.
sed 's|</body>|<script>document.body.setAttribute("data-scroll-width", document.documentElement.scrollWidth);document.body.setAttribute("data-client-width", document.documentElement.clientWidth)</script></body>|' \
  "$dir/t.html" > "$dir/measure.html"
browse --window-size=1280,2000 --dump-dom "file://$dir/measure.html" > "$dir/dom.html"
scroll=$(grep -o 'data-scroll-width="[0-9]*"' "$dir/dom.html" | grep -o '[0-9]*') ||
  fail "no measure in the DOM: $(tail -3 "$dir/chromium.log")"
client=$(grep -o 'data-client-width="[0-9]*"' "$dir/dom.html" | grep -o '[0-9]*')
[ "$scroll" -le 1280 ] && [ "$scroll" -le "$client" ] ||
  fail "page wider than the window at 1280 px: scrollWidth $scroll, clientWidth $client"
[ "$client" -gt 1000 ] || fail "window not 1280 px wide: clientWidth $client"

# Printed: A4 landscape (842 x 595 pt), every column title on the pages.
browse --no-pdf-header-footer --print-to-pdf="$dir/t.pdf" "file://$dir/t.html" >/dev/null
pdfinfo "$dir/t.pdf" > "$dir/pdfinfo"
grep -Eq '^Page size: +84[12](\.[0-9]+)? x 59[45](\.[0-9]+)? pts' "$dir/pdfinfo" ||
  fail "not A4 landscape: $(grep 'Page size' "$dir/pdfinfo")"
pdftotext "$dir/t.pdf" - | tr -s ' \n' '  ' > "$dir/pdf.txt"
for title in "Indicateur" "Libellé de l'indicateur" "Acteur" "Objectif 2020" "Territoire" \
  "Situation au début du contrat (2015)" "Résultat à mi-parcours (2018)" \
  "Dernier résultat (jusqu'à 2022)" "Progression vers l'objectif" "Appréciation"; do
  grep -qF "$title" "$dir/pdf.txt" || fail "printed page lacks the column \"$title\""
done
grep -qF "en progrès" "$dir/pdf.txt" || fail "printed page lacks the marks"

# The workbook printed by LibreOffice: landscape pages; on the first page
# of the full table every column title, and the first row's first and last
# cells on one line.
(cd "$dir" && timeout 120 soffice --headless "-env:UserInstallation=file://$dir/lo" \
  --convert-to pdf --outdir "$dir/lo-out" "$dir/t.xlsx" > "$dir/soffice.log" 2>&1) ||
  fail "soffice: $(cat "$dir/soffice.log")"
pdfinfo "$dir/lo-out/t.pdf" > "$dir/xlsxinfo"
read -r width height < <(sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1 \2/p' "$dir/xlsxinfo")
python3 -c "import sys; w, h = map(float, sys.argv[1:]); sys.exit(not (w > h and 835 < w < 850))" \
  "$width" "$height" || fail "workbook pages not A4 landscape: $width x $height"
pdftotext -f 1 -l 1 -layout "$dir/lo-out/t.pdf" "$dir/page1.txt"
first=$(grep -m1 -n 'G01.1' "$dir/page1.txt") || fail "first page lacks G01.1"
case "$first" in
*"gip"*"structures"*"11 EPRE"*"9"*"8"*"en recul"*) ;;
*) fail "G01.1's cells are not on one line of the first page: $first" ;;
esac
tr -s ' \n' '  ' < "$dir/page1.txt" > "$dir/page1.flat"
for word in Thème Action Indicateur Territoire Appréciation Remarque Complétude; do
  grep -qF "$word" "$dir/page1.flat" || fail "the first printed page lacks the column \"$word\""
done
# Nothing printed beyond the page's width: every page of a table sheet
# (its header repeated) holds the first column and the last.
pages=$(sed -n 's/^Pages: *//p' "$dir/xlsxinfo")
tables=0
for page in $(seq 1 "$pages"); do
  pdftotext -f "$page" -l "$page" "$dir/lo-out/t.pdf" - | tr -s ' \n' '  ' > "$dir/page.txt"
  grep -qF "Libellé de l'indicateur" "$dir/page.txt" || continue
  tables=$((tables + 1))
  grep -qF "Thème" "$dir/page.txt" && grep -qF "Remarque" "$dir/page.txt" ||
    fail "workbook page $page does not hold a whole row's width"
done
[ "$tables" -ge 4 ] || fail "only $tables printed table pages"
echo "cli export render: ok (scrollWidth $scroll at 1280 px; $tables of $pages workbook pages are table pages, each a whole row wide)"
