#!/usr/bin/env python3
"""Fills a collection table the way a partner would, with made-up figures.

usage: fill_template.py IN OUT
IN and OUT are both .csv (UTF-8 with BOM, ';') or both .xlsx (filled with
openpyxl, on the "Tableau" sheet, everything else left as it is). Each row
gets a figure that the référentiel accepts for its unit and territory (a
part never above its whole: QPV < QP < PARIS), a share where the indicator
has one. Prints the number of rows filled.
"""
import csv
import io
import sys

SIZE = {"QPV": 100, "QVA": 20, "QP": 130, "PARIS": 900, "REP": 40, "REP+": 30}


def figure(unit, geography, n):
    if unit == "%":
        return 12.5
    if unit == "texte":
        return "action menée"
    base = SIZE.get(geography, 10) + n
    return base + 0.5 if unit == "euros" else base


def fill(header, rows, get, put):
    col = {name: i for i, name in enumerate(header)}
    done = 0
    for n, row in enumerate(rows):
        unit, geo = get(row, col["unite"]), get(row, col["geographie"])
        if not get(row, col["indicateur"]):
            continue
        put(row, col["valeur"], figure(unit, geo, n))
        label = get(row, col["libelle"]) or ""
        if label.lower().startswith("nombre et part"):
            put(row, col["part"], 10.0)
        done += 1
    return done


def fill_csv(src, dst):
    text = open(src, encoding="utf-8-sig").read()
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, rows = table[0], table[1:]

    def put(row, i, v):
        row[i] = str(v).replace(".", ",") if not isinstance(v, str) else v

    done = fill(header, rows, lambda r, i: r[i], put)
    with open(dst, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(table)
    return done


def fill_xlsx(src, dst):
    import openpyxl
    wb = openpyxl.load_workbook(src)
    ws = wb["Tableau"]
    rows = list(ws.iter_rows(min_row=2))
    titles = {"Action": "action", "Indicateur": "indicateur", "Libellé": "libelle",
              "Unité": "unite", "Géographie": "geographie", "Valeur": "valeur",
              "Part (%)": "part"}
    header = [titles.get(c.value, c.value) for c in ws[1]]

    def put(row, i, v):
        row[i].value = v

    done = fill(header, rows, lambda r, i: r[i].value, put)
    wb.save(dst)
    return done


if __name__ == "__main__":
    src, dst = sys.argv[1], sys.argv[2]
    print((fill_xlsx if src.endswith(".xlsx") else fill_csv)(src, dst))
