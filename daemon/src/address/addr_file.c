/* addr_file.c -- see addr_file.h. */
#include "address/addr_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

const char *const releve_addr_file_col_keys[RELEVE_ADDR_COLS] = {
    "id", "number", "suffix", "street", "postcode", "insee", "qpv", "qva"};
static const char *const ban_names[RELEVE_ADDR_COLS] = {
    "id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "qpv", "qva"};
static const char *const plain_names[RELEVE_ADDR_COLS] = {
    "id", "numero", "suffixe", "voie", "code_postal", "code_insee", "qpv", "qva"};

void releve_addr_file_problem(releve_addr_file *c, int severity, const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  if (++*(severity == RELEVE_DIAG_ERROR ? &c->problems : &c->skipped) > RELEVE_ADDR_FILE_REPORTED)
    return;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  releve_diags_add(c->diags, severity, c->path, "addresses", (int)c->lineno, 0, "%s",
                   b.data ? b.data : "invalid line");
  releve_buf_free(&b);
}

/* Reads the next line, without its end and, on line 1, its BOM: its
 * length, 0 at the end, -EIO. */
static ssize_t read_line(releve_addr_file *c) {
  ssize_t n = getline(&c->line, &c->size, c->f);
  if (n < 0)
    return ferror(c->f) ? -EIO : 0;
  while (n > 0 && (c->line[n - 1] == '\n' || c->line[n - 1] == '\r'))
    c->line[--n] = '\0';
  if (++c->lines == 1 && strncmp(c->line, "\xef\xbb\xbf", 3) == 0)
    memmove(c->line, c->line + 3, (size_t)(n -= 3) + 1);
  return n;
}

/* Makes the line read last the current record. */
static int take(releve_addr_file *c, size_t n) {
  int rc = releve_kit_csv_feed(&c->csv, c->line, n, c->lines);
  if (rc == 0)
    rc = releve_kit_csv_end_line(&c->csv);
  c->lineno = c->lines;
  if (rc == -E2BIG || rc == -EMSGSIZE) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->path, "addresses", (int)c->lineno, 0,
                     rc == -E2BIG ? "the line is longer than %u bytes; an address file has "
                                    "one short address a line"
                                  : "the line has more than %u fields; an address file has "
                                    "a few columns",
                     rc == -E2BIG ? RELEVE_KIT_MAX_RECORD : RELEVE_KIT_MAX_FIELDS);
    return -EINVAL;
  }
  return rc;
}

int releve_addr_file_next(releve_addr_file *c) {
  for (;;) {
    ssize_t n = read_line(c);
    if (n <= 0 && feof(c->f))
      return 0;
    if (n < 0)
      return (int)n;
    if (n > 0)
      return take(c, (size_t)n);
  }
}

int releve_addr_file_open(releve_addr_file *c, const char *path, releve_diags *diags) {
  ssize_t n;
  int rc;

  memset(c, 0, sizeof *c);
  c->path = path;
  c->diags = diags;
  c->f = fopen(path, "re");
  if (c->f == NULL) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "addresses", 0, 0,
                     "cannot read the address file: %s", strerror(errno));
    return -EINVAL;
  }
  if ((n = read_line(c)) < 0) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "addresses", 0, 0,
                     "cannot read the address file: %s", strerror((int)-n));
    return -EINVAL;
  }
  if (n == 0 && feof(c->f)) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "addresses", 0, 0,
                     "the address file is empty; a header line is expected");
    return -EINVAL;
  }
  releve_kit_csv_init(&c->csv, releve_kit_csv_detect(c->line));
  rc = take(c, (size_t)n);
  return rc < 0 ? rc : 0;
}

void releve_addr_file_close(releve_addr_file *c) {
  if (c->problems > RELEVE_ADDR_FILE_REPORTED)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->path, "addresses", 0, 0,
                     "… and %lu more lines with problems", c->problems - RELEVE_ADDR_FILE_REPORTED);
  if (c->skipped > RELEVE_ADDR_FILE_REPORTED)
    releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->path, "addresses", 0, 0,
                     "… and %lu more unreadable addresses left out",
                     c->skipped - RELEVE_ADDR_FILE_REPORTED);
  if (c->f)
    fclose(c->f);
  free(c->line);
  releve_kit_csv_free(&c->csv);
  c->f = NULL;
  c->line = NULL;
}

const char *releve_addr_file_field(const releve_addr_file *c, int col) {
  return col >= 0 && (size_t)col < c->csv.n ? c->csv.field[col] : "";
}

const char *releve_addr_file_col_name(const char *format, json_t *columns, int k) {
  const char *name = json_string_value(json_object_get(columns, releve_addr_file_col_keys[k]));
  if (name)
    return name;
  return format && strcmp(format, "plain") == 0 ? plain_names[k] : ban_names[k];
}

int releve_addr_file_find(const releve_addr_file *c, const char *const *names) {
  size_t i;
  for (; *names; names++)
    for (i = 0; i < c->csv.n; i++)
      if (strcmp(c->csv.field[i], *names) == 0)
        return (int)i;
  return -1;
}

void releve_addr_file_columns(const releve_addr_file *c, const char *format, json_t *columns,
                              int any_layout, int col[RELEVE_ADDR_COLS]) {
  int k;
  for (k = 0; k < RELEVE_ADDR_COLS; k++) {
    const char *names[4] = {releve_addr_file_col_name(format, columns, k), NULL, NULL, NULL};
    if (any_layout) {
      names[1] = ban_names[k];
      names[2] = plain_names[k];
    }
    col[k] = releve_addr_file_find(c, names);
  }
}

void releve_addr_file_missing(releve_addr_file *c, const char *what, const char *name) {
  releve_buf found = RELEVE_BUF_INIT;
  size_t i;
  for (i = 0; i < c->csv.n; i++)
    releve_buf_addf(&found, "%s%s", i ? ", " : "", c->csv.field[i]);
  releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->path, "addresses", 1, 0,
                   "no %s column \"%s\" in the header; columns found: %s", what, name,
                   found.data ? found.data : "none");
  releve_buf_free(&found);
}
