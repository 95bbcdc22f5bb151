#include "inbox/recognise.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "decode/supervise.h"
#include "util/path.h"

typedef struct choice {
  int done, rc, recognised;
  char *why;
} choice;

/* The child only chooses: a row or a message from it is a fault. */
static int no_columns(void *ctx, const char *const *names, size_t n) {
  (void)ctx, (void)names, (void)n;
  return -EPROTO;
}
static int no_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  (void)ctx, (void)line, (void)cells, (void)n;
  return -EPROTO;
}
static int no_error(void *ctx, unsigned long line, unsigned column, const char *value,
                    const char *fmt, ...) {
  (void)ctx, (void)line, (void)column, (void)value, (void)fmt;
  return -EPROTO;
}
static void no_log(void *ctx, int level, const char *fmt, ...) { (void)ctx, (void)level, (void)fmt; }

static int on_chosen(void *ctx, const releve_reader_choice *c, const char *why) {
  choice *x = ctx;
  x->recognised = c->plugin != NULL;
  if (why && (x->why = strdup(why)) == NULL)
    return -ENOMEM;
  return 0;
}

static void on_done(void *ctx, int decode_rc, const char *failure) {
  choice *x = ctx;
  x->done = 1;
  x->rc = decode_rc;
  if (failure && x->why == NULL)
    x->why = strdup(failure);
}

int releve_inbox_recognise(const releve_config *cfg, const releve_plugins *p,
                           const releve_actor *a, const char *path, char **why) {
  static const releve_host_services none = {offsetof(releve_host_services, workbook_open),
                                            no_columns, no_row, no_error, no_log,
                                            NULL, NULL, NULL, NULL};
  releve_decode_spec spec;
  choice x;
  uv_loop_t loop;
  int rc, fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

  *why = NULL;
  if (fd < 0)
    return -errno;
  memset(&x, 0, sizeof x);
  memset(&spec, 0, sizeof spec);
  spec.plugins = p;
  spec.actor = a;
  spec.choose_only = 1;
  spec.chosen = on_chosen;
  spec.chosen_ctx = &x;
  spec.fd = fd;
  spec.file_name = releve_path_basename(path);
  spec.timeout_seconds = cfg->decode_timeout_seconds;
  spec.memory_mb = cfg->decode_memory_mb;
  spec.host = &none;
  if ((rc = uv_loop_init(&loop)) == 0) {
    rc = releve_decode_start(&loop, &spec, on_done, &x);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
  close(fd);
  if (rc == 0 && !x.done)
    rc = -EIO;
  if (rc) {
    free(x.why);
    return rc;
  }
  *why = x.why;
  return x.recognised && x.rc == 0;
}
