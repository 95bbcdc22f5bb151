#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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

void releve_diags_print(const releve_diags *d, FILE *out) {
  size_t i;
  for (i = 0; i < d->n; i++) {
    const releve_diag *it = &d->items[i];
    if (it->file)
      fputs(it->file, out);
    if (it->line > 0)
      fprintf(out, ":%d", it->line);
    if (it->line > 0 && it->column > 0)
      fprintf(out, ":%d", it->column);
    if (it->file || it->line > 0)
      fputs(": ", out);
    if (it->key)
      fprintf(out, "%s: ", it->key);
    fprintf(out, "%s: %s\n", it->severity == RELEVE_DIAG_ERROR ? "error" : "warning",
            it->message ? it->message : "(out of memory)");
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
