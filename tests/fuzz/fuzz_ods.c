/* fuzz_ods.c -- libFuzzer target for the .ods reader (workbook_ods.c):
 * whole workbooks, or a content.xml (see fuzz_workbook.h). */
#include "fuzz_workbook.h"

static const fuzz_part parts[] = {
    {"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
    {"content.xml", NULL},
};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_workbook(data, size, parts, sizeof parts / sizeof parts[0]);
  return 0;
}
