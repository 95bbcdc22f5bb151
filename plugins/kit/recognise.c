/* recognise.c -- recognise() for the kit's plugins: the same header search
 * as decode, run over the file's first bytes with a host that keeps
 * nothing, so that a plugin recognises exactly the files it can read. */
#include <errno.h>
#include <string.h>

#include "kit.h"

typedef struct head_source {
  const unsigned char *head;
  size_t n, pos;
} head_source;

static ssize_t head_read(void *ctx, void *buf, size_t n) {
  head_source *h = ctx;
  size_t left = h->n - h->pos;
  if (n > left)
    n = left;
  memcpy(buf, h->head + h->pos, n);
  h->pos += n;
  return (ssize_t)n;
}

/* Recognising is silent: what decode would report, it reports itself. */
static int quiet_columns(void *ctx, const char *const *names, size_t n) {
  (void)ctx;
  (void)names;
  (void)n;
  return 0;
}

static int quiet_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  (void)ctx;
  (void)line;
  (void)cells;
  (void)n;
  return 0;
}

static int quiet_error(void *ctx, unsigned long line, unsigned column, const char *value,
                       const char *fmt, ...) RELEVE_PRINTF(5, 6);

static int quiet_error(void *ctx, unsigned long line, unsigned column, const char *value,
                       const char *fmt, ...) {
  (void)ctx;
  (void)line;
  (void)column;
  (void)value;
  (void)fmt;
  return 0;
}

static void quiet_log(void *ctx, int level, const char *fmt, ...) RELEVE_PRINTF(3, 4);

static void quiet_log(void *ctx, int level, const char *fmt, ...) {
  (void)ctx;
  (void)level;
  (void)fmt;
}

/* No workbook services: a head is text (a workbook's sheet is given as
 * CSV lines by the host). */
static const releve_host_services quiet = {sizeof quiet, quiet_columns, quiet_row, quiet_error,
                                           quiet_log,    NULL,          NULL,      NULL,
                                           NULL};

size_t releve_kit_head_lines(const unsigned char *head, size_t n) {
  if (n < RELEVE_PLUGIN_HEAD_MAX)
    return n; /* the whole file */
  while (n > 0 && head[n - 1] != '\n')
    n--;
  return n;
}

int releve_kit_table_recognise(const unsigned char *head, size_t n,
                               const releve_kit_format *format) {
  head_source src = {head, releve_kit_head_lines(head, n), 0};
  releve_decode_args args;
  releve_kit_table t;

  memset(&args, 0, sizeof args);
  args.struct_size = sizeof args;
  args.host = &quiet;
  args.host_ctx = &src;
  args.read = head_read;
  args.file_name = "";
  if (head == NULL || releve_kit_table_init(&t, &args, format->flags) < 0)
    return 0;
  int rc = releve_kit_table_header(&t, format->is_header, NULL, format->max_title_lines, "");
  releve_kit_table_free(&t);
  return rc == 0 ? 100 : 0;
}
