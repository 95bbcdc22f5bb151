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

/* Splits the current line in place: quoted fields, "" for a quote. */
static void split(releve_addr_file *c) {
  char *p = c->line, *out;
  c->n = 0;
  for (;;) {
    int quoted = *p == '"';
    if (c->n == RELEVE_ADDR_FILE_FIELDS)
      return;
    c->field[c->n++] = out = p + quoted;
    if (quoted) {
      for (p++; *p; p++) {
        if (*p == '"' && p[1] == '"')
          *out++ = *p++;
        else if (*p == '"') {
          p++;
          break;
        } else
          *out++ = *p;
      }
      while (*p && *p != c->sep)
        p++;
    } else {
      while (*p && *p != c->sep)
        p++;
      out = p;
    }
    if (*p == '\0') {
      *out = '\0';
      return;
    }
    *out = '\0';
    p++;
  }
}

int releve_addr_file_next(releve_addr_file *c) {
  ssize_t n = getline(&c->line, &c->size, c->f);
  if (n < 0)
    return ferror(c->f) ? -EIO : 0;
  c->lineno++;
  while (n > 0 && (c->line[n - 1] == '\n' || c->line[n - 1] == '\r'))
    c->line[--n] = '\0';
  split(c);
  return 1;
}

int releve_addr_file_open(releve_addr_file *c, const char *path, releve_diags *diags) {
  const char *p;
  int counts[3] = {0, 0, 0}, rc;

  memset(c, 0, sizeof *c);
  c->path = path;
  c->diags = diags;
  c->f = fopen(path, "re");
  if (c->f == NULL) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "addresses", 0, 0,
                     "cannot read the address file: %s", strerror(errno));
    return -EINVAL;
  }
  c->sep = ';';
  if (getline(&c->line, &c->size, c->f) < 0) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "addresses", 0, 0,
                     "the address file is empty; a header line is expected");
    return -EINVAL;
  }
  for (p = c->line; *p; p++)
    if (*p == ';')
      counts[0]++;
    else if (*p == ',')
      counts[1]++;
    else if (*p == '\t')
      counts[2]++;
  c->sep = counts[0] >= counts[1] && counts[0] >= counts[2] ? ';'
           : counts[1] >= counts[2]                         ? ','
                                                            : '\t';
  rewind(c->f);
  rc = releve_addr_file_next(c);
  if (rc <= 0)
    return -EIO;
  if (strncmp(c->field[0], "\xef\xbb\xbf", 3) == 0)
    c->field[0] += 3;
  return 0;
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
  c->f = NULL;
  c->line = NULL;
}

const char *releve_addr_file_field(const releve_addr_file *c, int col) {
  return col >= 0 && (size_t)col < c->n ? c->field[col] : "";
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
    for (i = 0; i < c->n; i++)
      if (strcmp(c->field[i], *names) == 0)
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
  for (i = 0; i < c->n; i++)
    releve_buf_addf(&found, "%s%s", i ? ", " : "", c->field[i]);
  releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->path, "addresses", 1, 0,
                   "no %s column \"%s\" in the header; columns found: %s", what, name,
                   found.data ? found.data : "none");
  releve_buf_free(&found);
}
