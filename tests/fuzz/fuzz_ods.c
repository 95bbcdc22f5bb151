/* fuzz_ods.c -- libFuzzer target for the .ods reader (workbook_ods.c):
 * whole workbooks, or a content.xml (see fuzz_workbook.h). */
#include "fuzz_workbook.h"

static const fuzz_part parts[] = {
    {"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
    {"content.xml", NULL},
};

FUZZ_WORKBOOK_TARGET(parts)
