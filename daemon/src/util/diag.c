#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void releve_diags_add(releve_diags *d, int severity, const char *file, const char *key, int line,
                      int column, const char *fmt, ...) {
  releve_diag *it;
  va_list ap;
  releve_buf msg = RELEVE_BUF_INIT;

  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 8;
    releve_diag *p = realloc(d->items, cap * sizeof *p);
    if (p == NULL)
      return; /* out of memory: the caller still sees the earlier problems */
    d->items = p;
    d->cap = cap;
  }
  va_start(ap, fmt);
  releve_buf_vaddf(&msg, fmt, ap);
  va_end(ap);
  it = &d->items[d->n++];
  it->severity = severity;
  it->file = file ? strdup(file) : NULL;
  it->key = key && *key ? strdup(key) : NULL;
  it->line = line;
  it->column = column;
  it->message = releve_buf_steal(&msg);
}

size_t releve_diags_count(const releve_diags *d, int severity) {
  size_t i, n = 0;
  for (i = 0; i < d->n; i++)
    n += d->items[i].severity == severity;
  return n;
}

char *releve_diag_text(const releve_diag *it) {
  releve_buf b = RELEVE_BUF_INIT;
  if (it->file)
    releve_buf_adds(&b, it->file);
  if (it->line > 0)
    releve_buf_addf(&b, ":%d", it->line);
  if (it->line > 0 && it->column > 0)
    releve_buf_addf(&b, ":%d", it->column);
  if (it->file || it->line > 0)
    releve_buf_adds(&b, ": ");
  if (it->key)
    releve_buf_addf(&b, "%s: ", it->key);
  releve_buf_addf(&b, "%s: %s", it->severity == RELEVE_DIAG_ERROR ? "error" : "warning",
                  it->message ? it->message : "(out of memory)");
  return releve_buf_steal(&b);
}

void releve_diags_print(const releve_diags *d, FILE *out) {
  size_t i;
  for (i = 0; i < d->n; i++) {
    char *line = releve_diag_text(&d->items[i]);
    fprintf(out, "%s\n", line ? line : "error: (out of memory)");
    free(line);
  }
}

void releve_diags_free(releve_diags *d) {
  size_t i;
  for (i = 0; i < d->n; i++) {
    free(d->items[i].file);
    free(d->items[i].key);
    free(d->items[i].message);
  }
  free(d->items);
  memset(d, 0, sizeof *d);
}
