/*
 * testhost.h -- a recording host for plugin tests and fuzz targets.
 *
 * th_run() drives a plugin's decode() the way the core does: it builds the
 * option values from the plugin's option table (defaults, then overrides
 * "name=value"), feeds the input through args->read in chunks of a chosen
 * size, and records everything the plugin reports. It also checks the
 * protocol on the fly (columns once and before any row, rows as wide as the
 * column list, UTF-8 texts, known kinds, finite numbers, French error texts
 * not empty) and counts violations in th_host.violations, with the first
 * one described in th_host.violation.
 *
 * th_transcript() renders the whole run as text, one event a line:
 *   columns a|b|c
 *   row L: K(col)"text"[=number] ...      K: E T N S A (kind initial)
 *   error L:C "value" message
 *   log LEVEL message                     (debug messages are left out)
 *   sheet NAME                            (a workbook sheet is read)
 *   rc N
 */
#ifndef RELEVE_TESTHOST_H
#define RELEVE_TESTHOST_H

#include <stddef.h>
#include <sys/types.h>

#include <releve/plugin.h>

typedef struct th_cell {
  releve_cell_kind kind;
  char *text;
  double number;
  unsigned column;
} th_cell;

typedef struct th_row {
  unsigned long line;
  size_t n;
  th_cell *cells;
} th_row;

typedef struct th_error {
  unsigned long line;
  unsigned column;
  char *value; /* NULL when the plugin gave none */
  char *text;
} th_error;

typedef struct th_host {
  /* input */
  unsigned char *data;
  size_t size, pos;
  size_t chunk;          /* bytes per read; 0 = as many as asked */
  long fail_at;          /* read fails with -EIO at this offset; -1 never */
  long stop_after_rows;  /* row() answers -ECANCELED after that many; -1 never */
  /* generated input (data == NULL): gen fills buf, returns bytes, 0 at end */
  size_t (*gen)(void *gen_ctx, unsigned char *buf, size_t n);
  void *gen_ctx;
  /* workbooks: the services that read the input as a workbook (see
   * th_book.h), or NULL: the input is then no workbook */
  const releve_host_services *books;
  void *books_ctx;
  /* results */
  char **columns;
  size_t ncolumns;
  int columns_calls;
  th_row *rows;
  size_t nrows, rows_cap;
  int keep_rows;         /* 0: count rows and check them, keep nothing */
  int quiet;             /* 1: no transcript (for very large inputs) */
  th_error *errors;
  size_t nerrors, errors_cap;
  char *transcript;
  size_t tlen, tcap;
  int violations;
  char violation[256];
  int rc;
} th_host;

void th_init(th_host *h);
void th_free(th_host *h);
/* Clears the results of a previous run; input and settings stay. */
void th_reset(th_host *h);

/* Input: a copy of the bytes, or the content of a file (0, or -errno). */
void th_set_input(th_host *h, const void *data, size_t size);
int th_load(th_host *h, const char *path);

/* Runs plugin->decode. overrides is NULL or a NULL-terminated list of
 * "name=value". Returns decode's value (also in h->rc). */
int th_run(th_host *h, const releve_plugin *plugin, const char *const *overrides);

/* The row's cell under column name, or NULL. */
const th_cell *th_cell_at(const th_host *h, size_t row, const char *column);

const char *th_transcript(const th_host *h);

/* The services th_run gives the plugin, with a th_host* as ctx. */
const releve_host_services *th_services(void);

/* A generated input: head, then body count times, then tail. Used as
 * h->gen with h->gen_ctx = &repeat; it samples the heap in use at every
 * read, so that peak_heap - base_heap tells how much memory decode() held
 * while reading (glibc's count; 0 under AddressSanitizer). */
typedef struct th_repeat {
  const char *head, *body, *tail;
  size_t count;
  size_t done, off;
  int part;
  size_t base_heap, peak_heap;
} th_repeat;

void th_repeat_start(th_repeat *r, const char *head, const char *body, const char *tail,
                     size_t count);
size_t th_repeat_gen(void *ctx, unsigned char *buf, size_t n);
/* Heap bytes in use now. */
size_t th_heap_in_use(void);

/* Reads a whole file into a new NUL-terminated buffer (NULL on failure). */
char *th_read_file(const char *path, size_t *size);

#endif /* RELEVE_TESTHOST_H */
