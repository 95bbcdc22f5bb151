/* fuzz_xlsx.c -- libFuzzer target for the .xlsx reader (workbook_xlsx.c):
 * whole workbooks, or a sheet's XML with fixed workbook, relationships,
 * styles and shared strings (see fuzz_workbook.h). */
#include "fuzz_workbook.h"

static const fuzz_part parts[] = {
    {"xl/workbook.xml",
     "<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets><sheet name=\"Feuil1\" "
     "r:id=\"rId1\"/></sheets></workbook>"},
    {"xl/_rels/workbook.xml.rels",
     "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
     "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
    {"xl/styles.xml",
     "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
     "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"10\"/>"
     "<xf numFmtId=\"164\"/></cellXfs></styleSheet>"},
    {"xl/sharedStrings.xml", "<sst><si><t>indicateur</t></si><si><r><t>a</t></r></si></sst>"},
    {"xl/worksheets/sheet1.xml", NULL},
};

FUZZ_WORKBOOK_TARGET(parts)
