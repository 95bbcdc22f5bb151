/* export_csv.c -- the evaluation table for French spreadsheets: UTF-8 with
 * a BOM, ';' separators, CRLF line ends, decimal commas; every column, one
 * row per indicator and geography. Shares, progress and completeness are
 * percentages without the sign (85 for 85 %), to be reused as numbers. */
#include <math.h>
#include <stdlib.h>

#include "export.h"
#include "report/report.h"
#include "util/buf.h"

typedef struct csv_writer {
  export_writer w;
  releve_buf b;
} csv_writer;

static int add_line(releve_buf *b, const char *const *fields) {
  int rc = 0;
  for (size_t k = 0; k < EXPORT_COLUMNS && rc == 0; k++)
    if ((rc = k ? releve_buf_adds(b, ";") : 0) == 0)
      rc = releve_buf_add_csv(b, fields[k]);
  return rc ? rc : releve_buf_adds(b, "\r\n");
}

static int csv_row(export_writer *w, const export_row *r) {
  csv_writer *c = (csv_writer *)w;
  const char *fields[EXPORT_COLUMNS];
  char buf[EXPORT_COLUMNS][32];
  for (int k = 0; k < EXPORT_COLUMNS; k++) {
    export_cell cell;
    export_row_cell(r, k, &cell);
    fields[k] = cell.kind == CELL_TEXT     ? cell.text
                : cell.kind == CELL_NUMBER ? releve_report_number(cell.number, buf[k])
                : cell.kind == CELL_PERCENT
                    ? releve_report_number(round(cell.number * 1000) / 10, buf[k])
                    : "";
  }
  return add_line(&c->b, fields);
}

static int csv_finish(export_writer *w, releve_buf *out) {
  csv_writer *c = (csv_writer *)w;
  *out = c->b;
  c->b = (releve_buf)RELEVE_BUF_INIT;
  return 0;
}

static void csv_free(export_writer *w) {
  csv_writer *c = (csv_writer *)w;
  releve_buf_free(&c->b);
  free(c);
}

export_writer *export_csv_new(const export_context *ctx) {
  csv_writer *c = calloc(1, sizeof *c);
  const char *names[EXPORT_COLUMNS];
  (void)ctx;
  if (c == NULL)
    return NULL;
  c->w.row = csv_row;
  c->w.finish = csv_finish;
  c->w.free = csv_free;
  for (int k = 0; k < EXPORT_COLUMNS; k++)
    names[k] = export_column_name(k);
  if (releve_buf_adds(&c->b, "\xef\xbb\xbf") || add_line(&c->b, names)) {
    csv_free(&c->w);
    return NULL;
  }
  return &c->w;
}
