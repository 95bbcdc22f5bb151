/* addr_file.h -- reading the address files: the reference (addr_ref_load.c)
 * and the partners' address lists that `releve addresses check` reads.
 * Records come from the kit's CSV reader (kit/kit.h: ';', ',' or tab
 * recognised from the header, quotes with "" for a quote), one line each:
 * a quote left open ends with its line. A UTF-8 BOM and CRLF line ends
 * are understood, blank lines skipped. Problems go to diags with the file
 * and line, at most RELEVE_ADDR_FILE_REPORTED of each severity before a
 * closing "… and N more". */
#ifndef RELEVE_ADDR_FILE_H
#define RELEVE_ADDR_FILE_H

#include <jansson.h>
#include <stdio.h>

#include "kit/kit.h"
#include "util/diag.h"

#define RELEVE_ADDR_FILE_REPORTED 20

typedef struct releve_addr_file {
  FILE *f;
  const char *path;
  char *line; /* the line read last */
  size_t size;
  unsigned long lines;  /* lines read */
  unsigned long lineno; /* the line of the current record */
  releve_kit_csv csv;   /* the current record: csv.field[0..csv.n-1] */
  releve_diags *diags;
  unsigned long problems, skipped; /* errors, and lines left out with a warning */
} releve_addr_file;

/* Opens path and reads its header into csv (line 1). Returns 0, -EINVAL
 * when the file cannot be read, is empty or its header is refused (said in
 * diags), or -ENOMEM. Call releve_addr_file_close in every case. */
int releve_addr_file_open(releve_addr_file *c, const char *path, releve_diags *diags);
/* The next record that is not a blank line: 1, 0 at the end, -EIO on a
 * read error, -EINVAL for a line the CSV reader refuses (more than
 * RELEVE_KIT_MAX_FIELDS fields or RELEVE_KIT_MAX_RECORD bytes; said in
 * diags), -ENOMEM. */
int releve_addr_file_next(releve_addr_file *c);
void releve_addr_file_close(releve_addr_file *c);
/* The cell of column col of the current record ("" when absent or col < 0). */
const char *releve_addr_file_field(const releve_addr_file *c, int col);
/* Reports a problem with the current record (counted in problems or skipped). */
void releve_addr_file_problem(releve_addr_file *c, int severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The address columns of a reference or of an address list. */
enum {
  RELEVE_ADDR_COL_ID,
  RELEVE_ADDR_COL_NUMBER,
  RELEVE_ADDR_COL_SUFFIX,
  RELEVE_ADDR_COL_STREET,
  RELEVE_ADDR_COL_POSTCODE,
  RELEVE_ADDR_COL_INSEE,
  RELEVE_ADDR_COL_QPV,
  RELEVE_ADDR_COL_QVA,
  RELEVE_ADDR_COLS
};
/* The configuration's names for them ("id", "number", … "qva"). */
extern const char *const releve_addr_file_col_keys[RELEVE_ADDR_COLS];

/* The header name of column k: renamed in columns (may be NULL), else the
 * layout's ("ban": numero, rep, nom_voie…; "plain": numero, suffixe, voie…). */
const char *releve_addr_file_col_name(const char *format, json_t *columns, int k);
/* Finds each column in the header: col[k] is its index, or -1. With
 * any_layout, a column absent under the layout's name is also looked for
 * under the other layout's. */
void releve_addr_file_columns(const releve_addr_file *c, const char *format, json_t *columns,
                              int any_layout, int col[RELEVE_ADDR_COLS]);
/* The index of the first header cell equal to one of names (NULL-ended), or -1. */
int releve_addr_file_find(const releve_addr_file *c, const char *const *names);
/* Says in diags that the header lacks column `what` named `name`, listing
 * the columns found. */
void releve_addr_file_missing(releve_addr_file *c, const char *what, const char *name);

#endif
