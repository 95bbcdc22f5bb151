/* xlsx_file.h -- libxlsxwriter 1.1 writes a workbook to a file, not to
 * memory: a private temporary file (under $TMPDIR, else /tmp, made by
 * mkstemp), read back whole and removed. */
#ifndef RELEVE_XLSX_FILE_H
#define RELEVE_XLSX_FILE_H

#include <xlsxwriter.h>

#include "util/buf.h"

typedef struct releve_xlsx_file {
  char path[64];
  lxw_workbook *wb;
  lxw_error error; /* the first library error met, LXW_NO_ERROR if none */
} releve_xlsx_file;

/* Makes the temporary file and a workbook writing to it. Returns 0, or
 * -EIO / -ENOMEM (logged); then nothing is left behind. */
int releve_xlsx_file_open(releve_xlsx_file *f);
/* Keeps the first library error for close: note(f, worksheet_write_…(…)). */
void releve_xlsx_file_note(releve_xlsx_file *f, lxw_error e);
/* Writes the workbook out, reads its bytes into out and removes the file.
 * Returns 0, -EIO when the library failed (logged) or -ENOMEM. */
int releve_xlsx_file_close(releve_xlsx_file *f, releve_buf *out);
/* Gives up: closes the workbook and removes the file. */
void releve_xlsx_file_discard(releve_xlsx_file *f);

#endif
