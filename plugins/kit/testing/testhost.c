/* testhost.c -- a recording host for plugin tests and fuzz targets. */
#include "testhost.h"

#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) {
    fprintf(stderr, "testhost: out of memory\n");
    abort();
  }
  return q;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xrealloc(NULL, n), s, n);
}

void th_init(th_host *h) {
  memset(h, 0, sizeof *h);
  h->fail_at = -1;
  h->stop_after_rows = -1;
  h->keep_rows = 1;
}

void th_reset(th_host *h) {
  for (size_t i = 0; i < h->ncolumns; i++)
    free(h->columns[i]);
  free(h->columns);
  for (size_t r = 0; h->rows != NULL && r < h->nrows; r++) {
    for (size_t c = 0; c < h->rows[r].n; c++)
      free(h->rows[r].cells[c].text);
    free(h->rows[r].cells);
  }
  free(h->rows);
  for (size_t e = 0; e < h->nerrors; e++) {
    free(h->errors[e].value);
    free(h->errors[e].text);
  }
  free(h->errors);
  free(h->transcript);
  h->columns = NULL;
  h->ncolumns = 0;
  h->columns_calls = 0;
  h->rows = NULL;
  h->nrows = h->rows_cap = 0;
  h->errors = NULL;
  h->nerrors = h->errors_cap = 0;
  h->transcript = NULL;
  h->tlen = h->tcap = 0;
  h->violations = 0;
  h->violation[0] = '\0';
  h->rc = 0;
  h->pos = 0;
}

void th_free(th_host *h) {
  th_reset(h);
  free(h->data);
  h->data = NULL;
}

void th_set_input(th_host *h, const void *data, size_t size) {
  free(h->data);
  h->data = xrealloc(NULL, size);
  if (size)
    memcpy(h->data, data, size);
  h->size = size;
  h->pos = 0;
}

char *th_read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n + 4096 + 1 > cap) {
      cap = (n + 4096 + 1) * 2;
      buf = xrealloc(buf, cap);
    }
    size_t got = fread(buf + n, 1, 4096, f);
    n += got;
    if (got == 0)
      break;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  if (size)
    *size = n;
  return buf;
}

int th_load(th_host *h, const char *path) {
  size_t n;
  char *buf = th_read_file(path, &n);
  if (buf == NULL)
    return -errno;
  free(h->data);
  h->data = (unsigned char *)buf;
  h->size = n;
  h->pos = 0;
  return 0;
}

/* ---- transcript ---- */

static void out(th_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(th_host *h, const char *fmt, ...) {
  if (h->quiet)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (h->tlen + (size_t)n + 1 > h->tcap) {
    h->tcap = (h->tlen + (size_t)n + 1) * 2;
    h->transcript = xrealloc(h->transcript, h->tcap);
  }
  va_start(ap, fmt);
  vsnprintf(h->transcript + h->tlen, (size_t)n + 1, fmt, ap);
  va_end(ap);
  h->tlen += (size_t)n;
}

/* Writes s with newlines, tabs and quotes escaped. */
static void out_text(th_host *h, const char *s) {
  out(h, "\"");
  for (; *s; s++) {
    if (*s == '\n')
      out(h, "\\n");
    else if (*s == '\t')
      out(h, "\\t");
    else if (*s == '"' || *s == '\\')
      out(h, "\\%c", *s);
    else
      out(h, "%c", *s);
  }
  out(h, "\"");
}

const char *th_transcript(const th_host *h) { return h->transcript ? h->transcript : ""; }

static void violate(th_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void violate(th_host *h, const char *fmt, ...) {
  if (h->violations++ == 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->violation, sizeof h->violation, fmt, ap);
    va_end(ap);
  }
}

static int valid_utf8(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  while (*u) {
    int n = *u < 0x80 ? 0 : (*u & 0xE0) == 0xC0 ? 1 : (*u & 0xF0) == 0xE0 ? 2
                                : (*u & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0 || (*u == 0xC0 || *u == 0xC1))
      return 0;
    u++;
    for (int k = 0; k < n; k++, u++)
      if ((*u & 0xC0) != 0x80)
        return 0;
  }
  return 1;
}

/* ---- services ---- */

static int svc_columns(void *ctx, const char *const *names, size_t n) {
  th_host *h = ctx;
  if (h->columns_calls++ > 0)
    violate(h, "columns() called more than once");
  if (h->nrows > 0)
    violate(h, "columns() after a row");
  for (size_t i = 0; i < h->ncolumns; i++)
    free(h->columns[i]);
  free(h->columns);
  h->columns = xrealloc(NULL, n * sizeof *h->columns);
  h->ncolumns = n;
  out(h, "columns ");
  for (size_t i = 0; i < n; i++) {
    if (names[i] == NULL || names[i][0] == '\0') {
      violate(h, "column %zu has no name", i);
      h->columns[i] = xstrdup("");
      continue;
    }
    for (size_t k = 0; k < i; k++)
      if (strcmp(names[k], names[i]) == 0)
        violate(h, "column name %s twice", names[i]);
    h->columns[i] = xstrdup(names[i]);
    out(h, "%s%s", i ? "|" : "", names[i]);
  }
  out(h, "\n");
  return 0;
}

static const char kind_letter[] = "ETNSA";

static int svc_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  th_host *h = ctx;
  if (h->columns_calls == 0)
    violate(h, "row before columns()");
  if (n != h->ncolumns)
    violate(h, "row at line %lu has %zu cells for %zu columns", line, n, h->ncolumns);
  if (line == 0)
    violate(h, "row without a line number");
  out(h, "row %lu:", line);
  th_cell *kept = h->keep_rows ? xrealloc(NULL, n * sizeof *kept) : NULL;
  for (size_t i = 0; i < n; i++) {
    const releve_cell *c = &cells[i];
    if ((unsigned)c->kind > RELEVE_CELL_NOT_AVAILABLE) {
      violate(h, "row at line %lu: unknown kind %d", line, (int)c->kind);
      out(h, " ?");
      continue;
    }
    if (c->text == NULL) {
      violate(h, "row at line %lu: cell %zu without text", line, i);
      out(h, " %c(%u)NULL", kind_letter[c->kind], c->column);
      continue;
    }
    if (!valid_utf8(c->text))
      violate(h, "row at line %lu: cell %zu is not UTF-8", line, i);
    if (c->kind == RELEVE_CELL_NUMBER && !isfinite(c->number))
      violate(h, "row at line %lu: cell %zu is not a finite number", line, i);
    out(h, " %c(%u)", kind_letter[c->kind], c->column);
    out_text(h, c->text);
    if (c->kind == RELEVE_CELL_NUMBER)
      out(h, "=%.17g", c->number);
    if (kept)
      kept[i] = (th_cell){c->kind, xstrdup(c->text), c->number, c->column};
  }
  out(h, "\n");
  if (kept) {
    if (h->nrows == h->rows_cap) {
      h->rows_cap = h->rows_cap ? h->rows_cap * 2 : 16;
      h->rows = xrealloc(h->rows, h->rows_cap * sizeof *h->rows);
    }
    h->rows[h->nrows] = (th_row){line, n, kept};
  }
  h->nrows++;
  if (h->stop_after_rows >= 0 && h->nrows >= (size_t)h->stop_after_rows)
    return -ECANCELED;
  return 0;
}

static int svc_error(void *ctx, unsigned long line, unsigned column, const char *value,
                     const char *fmt, ...) RELEVE_PRINTF(5, 6);
static void svc_log(void *ctx, int level, const char *fmt, ...) RELEVE_PRINTF(3, 4);

static int svc_error(void *ctx, unsigned long line, unsigned column, const char *value,
                     const char *fmt, ...) {
  th_host *h = ctx;
  va_list ap;
  va_start(ap, fmt);
  char text[2048];
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (text[0] == '\0')
    violate(h, "error() without a message");
  if (!valid_utf8(text) || (value && !valid_utf8(value)))
    violate(h, "error() text is not UTF-8");
  if (h->nerrors == h->errors_cap) {
    h->errors_cap = h->errors_cap ? h->errors_cap * 2 : 16;
    h->errors = xrealloc(h->errors, h->errors_cap * sizeof *h->errors);
  }
  h->errors[h->nerrors++] = (th_error){line, column, value ? xstrdup(value) : NULL, xstrdup(text)};
  out(h, "error %lu:%u ", line, column);
  if (value) {
    out_text(h, value);
    out(h, " ");
  }
  out(h, "%s\n", text);
  return 0;
}

static void svc_log(void *ctx, int level, const char *fmt, ...) {
  th_host *h = ctx;
  if (level >= RELEVE_LOG_DEBUG)
    return;
  va_list ap;
  va_start(ap, fmt);
  char text[2048];
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  out(h, "log %d %s\n", level, text);
}

static ssize_t svc_read(void *ctx, void *buf, size_t n) {
  th_host *h = ctx;
  if (h->chunk && n > h->chunk)
    n = h->chunk;
  if (h->gen)
    return (ssize_t)h->gen(h->gen_ctx, buf, n);
  if (h->fail_at >= 0 && h->pos >= (size_t)h->fail_at)
    return -EIO;
  if (h->fail_at >= 0 && h->pos + n > (size_t)h->fail_at)
    n = (size_t)h->fail_at - h->pos;
  if (n > h->size - h->pos)
    n = h->size - h->pos;
  if (n)
    memcpy(buf, h->data + h->pos, n);
  h->pos += n;
  return (ssize_t)n;
}

/* ---- options ---- */

static void set_value(releve_option_value *v, const releve_option *o, const char *text) {
  v->is_set = 1;
  v->str = text;
  if (o->type == RELEVE_OPT_INT)
    v->num = strtoll(text, NULL, 10);
  if (o->type == RELEVE_OPT_BOOL)
    v->flag = strcmp(text, "true") == 0;
}

static releve_option_value *build_options(const releve_plugin *p, const char *const *overrides) {
  size_t n = 0;
  while (p->options && p->options[n].name)
    n++;
  releve_option_value *v = xrealloc(NULL, (n + 1) * sizeof *v);
  memset(v, 0, (n + 1) * sizeof *v);
  for (size_t i = 0; i < n; i++)
    if (p->options[i].default_value)
      set_value(&v[i], &p->options[i], p->options[i].default_value);
  for (size_t k = 0; overrides && overrides[k]; k++) {
    const char *eq = strchr(overrides[k], '=');
    size_t i = 0;
    while (i < n && (eq == NULL || strncmp(p->options[i].name, overrides[k],
                                           (size_t)(eq - overrides[k])) != 0 ||
                     p->options[i].name[eq - overrides[k]] != '\0'))
      i++;
    if (i == n) {
      fprintf(stderr, "testhost: %s is no option of %s\n", overrides[k], p->name);
      abort();
    }
    set_value(&v[i], &p->options[i], eq + 1);
  }
  return v;
}

/* ---- workbooks: forwarded to h->books when a test attached them ---- */

static int svc_workbook_open(void *ctx, releve_workbook **book) {
  th_host *h = ctx;
  *book = NULL;
  return h->books ? h->books->workbook_open(h->books_ctx, book) : 0;
}

static int svc_workbook_sheet(void *ctx, releve_workbook *book, size_t index, const char **name) {
  th_host *h = ctx;
  int rc = h->books->workbook_sheet(h->books_ctx, book, index, name);
  if (rc == 1)
    out(h, "sheet %s\n", *name);
  return rc;
}

static int svc_workbook_row(void *ctx, releve_workbook *book, releve_workbook_row *row) {
  th_host *h = ctx;
  return h->books->workbook_row(h->books_ctx, book, row);
}

static void svc_workbook_close(void *ctx, releve_workbook *book) {
  th_host *h = ctx;
  if (h->books)
    h->books->workbook_close(h->books_ctx, book);
}

static const releve_host_services services = {
    sizeof services,    svc_columns,      svc_row,           svc_error,         svc_log,
    svc_workbook_open,  svc_workbook_sheet, svc_workbook_row, svc_workbook_close};

const releve_host_services *th_services(void) { return &services; }

int th_run(th_host *h, const releve_plugin *plugin, const char *const *overrides) {
  th_reset(h);
  releve_option_value *options = build_options(plugin, overrides);
  releve_decode_args args = {sizeof args, &services, h, svc_read, "fixture.csv", options};
  h->rc = plugin->decode(&args);
  free(options);
  out(h, "rc %d\n", h->rc);
  if (h->rc < 0 && h->nerrors == 0 && h->rc != -ECANCELED)
    violate(h, "decode() failed with %d without an error()", h->rc);
  if (h->rc == 0 && h->columns_calls == 0)
    violate(h, "decode() succeeded without columns()");
  return h->rc;
}

const th_cell *th_cell_at(const th_host *h, size_t row, const char *column) {
  if (row >= h->nrows || h->rows == NULL)
    return NULL;
  for (size_t i = 0; i < h->ncolumns && i < h->rows[row].n; i++)
    if (strcmp(h->columns[i], column) == 0)
      return &h->rows[row].cells[i];
  return NULL;
}

/* ---- generated input ---- */

size_t th_heap_in_use(void) {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

void th_repeat_start(th_repeat *r, const char *head, const char *body, const char *tail,
                     size_t count) {
  *r = (th_repeat){head, body, tail, count, 0, 0, 0, 0, 0};
  r->base_heap = r->peak_heap = th_heap_in_use();
}

size_t th_repeat_gen(void *ctx, unsigned char *buf, size_t n) {
  th_repeat *r = ctx;
  size_t heap = th_heap_in_use();
  if (heap > r->peak_heap)
    r->peak_heap = heap;
  size_t o = 0;
  while (o < n && r->part < 3) {
    const char *piece = r->part == 0 ? r->head : r->part == 1 ? r->body : r->tail;
    size_t len = strlen(piece);
    if (r->part == 1 && r->done >= r->count) {
      r->part++;
      r->off = 0;
      continue;
    }
    size_t take = len - r->off < n - o ? len - r->off : n - o;
    memcpy(buf + o, piece + r->off, take);
    o += take;
    r->off += take;
    if (r->off == len) {
      r->off = 0;
      if (r->part == 1)
        r->done++;
      else
        r->part++;
    }
  }
  return o;
}
