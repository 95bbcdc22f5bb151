/* th_assert.c -- cmocka checks over a th_host run. */
#include "th_assert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(releve_cell_kind kind) {
  static const char *const names[] = {"EMPTY", "TEXT", "NUMBER", "SUPPRESSED", "NOT_AVAILABLE"};
  return (unsigned)kind <= RELEVE_CELL_NOT_AVAILABLE ? names[kind] : "?";
}

void th_clean_at(const th_host *h, const char *file, int line) {
  if (h->violations == 0)
    return;
  print_error("%d protocol violation(s), first: %s\n", h->violations, h->violation);
  _fail(file, line);
}

int th_run_file_at(th_host *h, const releve_plugin *p, const char *path,
                   const char *const *overrides, const char *file, int line) {
  static const size_t chunks[] = {1, 7, 0};
  char *first = NULL;
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    if (th_load(h, path) < 0) {
      print_error("cannot read fixture %s\n", path);
      _fail(file, line);
    }
    h->chunk = chunks[i];
    th_run(h, p, overrides);
    th_clean_at(h, file, line);
    if (first == NULL) {
      first = strdup(th_transcript(h));
    } else if (strcmp(first, th_transcript(h)) != 0) {
      print_error("reading %s %zu bytes at a time changes the result:\n--- 1 byte\n%s--- "
                  "%zu bytes\n%s",
                  path, chunks[i], first, chunks[i], th_transcript(h));
      free(first);
      _fail(file, line);
    }
  }
  free(first);
  h->chunk = 0;
  return h->rc;
}

static const th_cell *cell_or_fail(const th_host *h, size_t row, const char *column,
                                   const char *file, int line) {
  const th_cell *c = th_cell_at(h, row, column);
  if (c == NULL) {
    print_error("no cell %s in row %zu (%zu rows)\n", column, row, h->nrows);
    _fail(file, line);
  }
  return c;
}

void th_cell_at_is(const th_host *h, size_t row, const char *column, releve_cell_kind kind,
                   const char *text, const char *file, int line) {
  const th_cell *c = cell_or_fail(h, row, column, file, line);
  if (c->kind != kind || strcmp(c->text, text) != 0) {
    print_error("row %zu (line %lu) %s: expected %s \"%s\", got %s \"%s\"\n", row,
                h->rows[row].line, column, kind_name(kind), text, kind_name(c->kind), c->text);
    _fail(file, line);
  }
}

void th_number_at_is(const th_host *h, size_t row, const char *column, double value,
                     const char *file, int line) {
  const th_cell *c = cell_or_fail(h, row, column, file, line);
  if (c->kind != RELEVE_CELL_NUMBER || c->number != value) {
    print_error("row %zu %s: expected NUMBER %.17g, got %s %.17g (\"%s\")\n", row, column, value,
                kind_name(c->kind), c->number, c->text);
    _fail(file, line);
  }
}

void th_error_at_is(const th_host *h, size_t index, unsigned long err_line, const char *text,
                    const char *file, int line) {
  if (index >= h->nerrors) {
    print_error("expected error %zu, got %zu error(s)\n%s", index, h->nerrors, th_transcript(h));
    _fail(file, line);
  }
  const th_error *e = &h->errors[index];
  if (e->line != err_line || strcmp(e->text, text) != 0) {
    print_error("error %zu: expected line %lu \"%s\"\n              got line %lu \"%s\"\n", index,
                err_line, text, e->line, e->text);
    _fail(file, line);
  }
}

void th_columns_at_are(const th_host *h, const char *joined, const char *file, int line) {
  char got[4096] = "";
  size_t o = 0;
  for (size_t i = 0; i < h->ncolumns && o < sizeof got; i++)
    o += (size_t)snprintf(got + o, sizeof got - o, "%s%s", i ? "|" : "", h->columns[i]);
  if (strcmp(got, joined) != 0) {
    print_error("columns: expected %s\n              got %s\n", joined, got);
    _fail(file, line);
  }
}

void th_golden_at(const th_host *h, const char *path, const char *file, int line) {
  const char *now = th_transcript(h);
  const char *update = getenv("RELEVE_UPDATE_GOLDEN");
  if (update != NULL && strcmp(update, "1") == 0) {
    FILE *f = fopen(path, "wb");
    if (f == NULL || fputs(now, f) == EOF || fclose(f) != 0) {
      print_error("cannot write %s\n", path);
      _fail(file, line);
    }
    return;
  }
  char *want = th_read_file(path, NULL);
  if (want == NULL) {
    print_error("cannot read %s (RELEVE_UPDATE_GOLDEN=1 writes it)\n", path);
    _fail(file, line);
  }
  if (strcmp(want, now) != 0) {
    const char *a = want, *b = now;
    unsigned long l = 1;
    while (*a && *a == *b) {
      l += *a == '\n';
      a++;
      b++;
    }
    print_error("%s differs from line %lu:\n--- expected\n%.300s\n--- got\n%.300s\n", path, l,
                a, b);
    free(want);
    _fail(file, line);
  }
  free(want);
}

void th_fails_at(th_host *h, const releve_plugin *p, const char *path,
                 const char *const *overrides, int rc, unsigned long err_line, const char *text,
                 const char *file, int line) {
  th_run_file_at(h, p, path, overrides, file, line);
  if (h->rc != rc) {
    print_error("%s: expected rc %d, got %d\n%s", path, rc, h->rc, th_transcript(h));
    _fail(file, line);
  }
  th_error_at_is(h, 0, err_line, text, file, line);
}

void th_flat_memory_at(th_host *h, const releve_plugin *p, const char *const *overrides,
                       const char *head, const char *body, const char *tail, size_t count,
                       size_t rows, size_t max_bytes, const char *file, int line) {
  th_repeat rep;
  th_repeat_start(&rep, head, body, tail, count);
  th_set_input(h, "", 0);
  h->gen = th_repeat_gen;
  h->gen_ctx = &rep;
  h->keep_rows = 0;
  h->quiet = 1;
  th_run(h, p, overrides);
  h->gen = NULL;
  h->keep_rows = 1;
  h->quiet = 0;
  th_clean_at(h, file, line);
  if (h->rc != 0 || h->nrows != rows || h->nerrors != 0) {
    print_error("generated input: rc %d, %zu rows (expected %zu), %zu errors\n", h->rc,
                h->nrows, rows, h->nerrors);
    _fail(file, line);
  }
  size_t held = rep.peak_heap - rep.base_heap;
  if (held > max_bytes) {
    print_error("decode held %zu bytes while reading (at most %zu expected)\n", held, max_bytes);
    _fail(file, line);
  }
}

int th_setup(void **state) {
  th_host *h = malloc(sizeof *h);
  if (h == NULL)
    return -1;
  th_init(h);
  *state = h;
  return 0;
}

int th_teardown(void **state) {
  th_free(*state);
  free(*state);
  return 0;
}
