#!/usr/bin/python3
"""Makes the .xlsx and .ods twins of plugin CSV fixtures, as partners' tools
write them: openpyxl for the .xlsx (figures typed as numbers, percentages
with a percent format, codes with leading zeros kept as text, merged title
cells), then LibreOffice headless converts each .xlsx to .ods.

    plugins/kit/testing/workbook_fixtures.py OUT_DIR CSV...

writes OUT_DIR/<name>.xlsx and OUT_DIR/<name>.ods for each CSV. The plugin
tests read both and check that they give the CSV's rows.

    plugins/kit/testing/workbook_fixtures.py --sheets OUT_DIR

writes OUT_DIR/template_sheets.xlsx: a "Mode d'emploi" sheet, then two
collection tables, "Collecte" and "Archive 2018", the second with a formula
openpyxl saves without its value (as a program filling the table would)."""
import csv
import io
import os
import re
import subprocess
import sys
import tempfile

import openpyxl

NUMBER = re.compile(r"^-?(0|[1-9][0-9]{0,2}([  \u202f]?[0-9]{3})*)([,.][0-9]+)?$")
PERCENT = re.compile(r"^(-?[0-9]+([,.][0-9]+)?) ?%$")


def text_of(path):
    raw = open(path, "rb").read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def typed(value):
    """The cell a spreadsheet user would have: a number, a percentage, or text."""
    v = value.strip()
    m = PERCENT.match(v)
    if m:
        return float(m.group(1).replace(",", ".")) / 100, "0.00%"
    if NUMBER.match(v) and not (len(v) > 1 and v[0] == "0" and v[1] not in ",."):
        return float(re.sub(r"[  \u202f]", "", v).replace(",", ".")), None
    return value, None


def write_xlsx(csv_path, xlsx_path):
    text = text_of(csv_path)
    first = text.splitlines()[0] if text else ""
    sep = max(";,\t", key=first.count)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Feuil1"
    width = 0
    for r, record in enumerate(csv.reader(io.StringIO(text), delimiter=sep), start=1):
        width = max(width, len(record))
        for c, value in enumerate(record, start=1):
            if value == "":
                continue
            v, fmt = typed(value)
            cell = ws.cell(row=r, column=c, value=v)
            if fmt:
                cell.number_format = fmt
    # A title spread over the width, as partners do: merged, value in A1.
    if ws.cell(row=1, column=2).value is None and width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    wb.save(xlsx_path)


def to_ods(xlsx_path, out_dir):
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless",
                        "--convert-to", "ods", "--outdir", out_dir, xlsx_path],
                       check=True, stdout=subprocess.DEVNULL, timeout=180)


def sheets(out_dir):
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Mode d'emploi"
    guide["A1"] = "Tableau de collecte 2019 : une ligne par chiffre"
    guide["A2"] = "Renvoyez ce classeur rempli dans votre dossier d'échange"
    header = ["indicateur", "libelle", "periode", "geographie", "valeur", "part", "statut",
              "commentaire"]
    for title, rows in (("Collecte", [["G01.2", "Collèges REP", "2019", "REP", 10, 0.25]]),
                        ("Archive 2018", [["G01.2", "Collèges REP", "2018", "REP", 7, None],
                                          ["G01.2", "Collèges REP", "2018", "REP+", "=E2+1",
                                           None]])):
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
        ws["F2"].number_format = "0.00%"
    wb.save(os.path.join(out_dir, "template_sheets.xlsx"))


def main():
    if sys.argv[1] == "--sheets":
        sheets(sys.argv[2])
        return
    out_dir = sys.argv[1]
    for path in sys.argv[2:]:
        name = os.path.splitext(os.path.basename(path))[0]
        xlsx = os.path.join(out_dir, name + ".xlsx")
        write_xlsx(path, xlsx)
        to_ods(xlsx, out_dir)


if __name__ == "__main__":
    main()
