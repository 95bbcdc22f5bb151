#include "decode/rowspool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fd.h"
#include "util/str.h"

#define CHUNK (64u << 10)

int releve_rowspool_open(releve_rowspool *s, const char *dir) {
  int fd;

  memset(s, 0, sizeof *s);
  s->w.fd = -1;
  fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    /* A file system without O_TMPFILE: a named file, unlinked at once. */
    char *path = releve_str_printf("%s/.rowspool.XXXXXX", dir);
    if (path == NULL)
      return -ENOMEM;
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
      unlink(path);
    free(path);
  }
  if (fd < 0)
    return -errno;
  releve_rowpipe_writer_init(&s->w, fd, -1); /* the child reads the file */
  return 0;
}

int releve_rowspool_sheet(void *ctx, const char *name) {
  return releve_rowpipe_writer_sheet(ctx, name);
}

const releve_host_services *releve_rowspool_services(void) {
  return releve_rowpipe_writer_services();
}

int releve_rowspool_failed(const releve_rowspool *s) { return s->w.failed; }

/* The replay's services: the caller's, remembering which asked to stop,
 * so that a stop is told apart from a damaged spool. */
typedef struct relay {
  const releve_host_services *host;
  int (*sheet)(void *ctx, const char *name);
  void *ctx;
  int stopped;
} relay;

static int stop_with(relay *r, int rc) {
  if (rc && r->stopped == 0)
    r->stopped = rc;
  return rc;
}

static int r_columns(void *ctx, const char *const *names, size_t n) {
  relay *r = ctx;
  return stop_with(r, r->host->columns(r->ctx, names, n));
}

static int r_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  relay *r = ctx;
  return stop_with(r, r->host->row(r->ctx, line, cells, n));
}

static int r_sheet(void *ctx, const char *name) {
  relay *r = ctx;
  return stop_with(r, r->sheet ? r->sheet(r->ctx, name) : 0);
}

/* The reader always passes "%s" and one string. */
RELEVE_PRINTF(5, 6)
static int r_error(void *ctx, unsigned long line, unsigned column, const char *value,
                   const char *fmt, ...) {
  relay *r = ctx;
  va_list ap;
  int rc;
  va_start(ap, fmt);
  rc = r->host->error(r->ctx, line, column, value, "%s", va_arg(ap, const char *));
  va_end(ap);
  return stop_with(r, rc);
}

RELEVE_PRINTF(3, 4)
static void r_log(void *ctx, int level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ((relay *)ctx)->host->log(((relay *)ctx)->ctx, level, "%s", va_arg(ap, const char *));
  va_end(ap);
}

int releve_rowspool_replay(releve_rowspool *s, const releve_host_services *host,
                           int (*sheet)(void *ctx, const char *name), void *ctx, int *stopped) {
  /* Only what the reader relays: workbooks are read where the plugin runs. */
  static const releve_host_services relayed = {.struct_size = sizeof relayed,
                                               .columns = r_columns,
                                               .row = r_row,
                                               .error = r_error,
                                               .log = r_log};
  releve_rowpipe_reader r;
  relay to = {host, sheet, ctx, 0};
  char *buf;
  int rc;

  *stopped = 0;
  if ((rc = releve_rowpipe_writer_flush(&s->w)) != 0)
    return rc;
  if (lseek(s->w.fd, 0, SEEK_SET) != 0)
    return -errno;
  if ((buf = malloc(CHUNK)) == NULL)
    return -ENOMEM;
  memset(&r, 0, sizeof r);
  r.sheet = r_sheet;
  for (;;) {
    ssize_t n = releve_fd_read(s->w.fd, buf, CHUNK);
    if (n <= 0) {
      rc = n < 0 ? (int)n : releve_rowpipe_reader_partial(&r) ? -EBADMSG : 0;
      break;
    }
    if ((rc = releve_rowpipe_reader_feed(&r, buf, (size_t)n, &relayed, &to)) != 0)
      break;
  }
  if (to.stopped) {
    *stopped = to.stopped;
    rc = 0;
  }
  releve_rowpipe_reader_free(&r);
  free(buf);
  return rc;
}

void releve_rowspool_close(releve_rowspool *s) {
  if (s->w.fd >= 0)
    close(s->w.fd);
  s->w.fd = -1;
  releve_rowpipe_writer_free(&s->w);
}
