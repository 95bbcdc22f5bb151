/* imap_poll.c -- drives inbox/imap.c against a real IMAP server for the
 * tests of tests/inbox/: `imap_poll CONFIG OUT` polls CONFIG's mailboxes
 * until SIGTERM and writes each message handed over to OUT/NNNN.eml
 * (atomically, durably, numbered after the files already there). While
 * OUT/refuse exists every message is refused with EAGAIN, as an intake
 * that cannot write its spool would. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "config/config.h"
#include "inbox/imap.h"
#include "util/fs.h"
#include "util/log.h"

static const char *out_dir;
static releve_imap *imap;

static int count_messages(void) {
  DIR *d = opendir(out_dir);
  struct dirent *e;
  int n = 0;
  if (d == NULL)
    return 0;
  while ((e = readdir(d)) != NULL)
    n += strstr(e->d_name, ".eml") != NULL;
  closedir(d);
  return n;
}

static int take(void *ud, const releve_mailbox *m, unsigned long uid, const char *message,
                size_t len) {
  char path[4096];
  (void)ud;
  snprintf(path, sizeof path, "%s/refuse", out_dir);
  if (access(path, F_OK) == 0)
    return -EAGAIN;
  snprintf(path, sizeof path, "%s/%04d.eml", out_dir, count_messages() + 1);
  fprintf(stderr, "took %s UID %lu (%zu bytes) as %s\n", m->id, uid, len, path);
  return releve_fs_write_atomic(path, message, len, 0600);
}

static void on_closed(void *data) { uv_stop(data); }

static void on_signal(uv_signal_t *s, int signum) {
  (void)signum;
  uv_close((uv_handle_t *)s, NULL);
  releve_imap_close(imap, on_closed, s->loop);
}

int main(int argc, char **argv) {
  releve_config cfg;
  releve_diags diags = {0};
  uv_loop_t *loop = uv_default_loop();
  uv_signal_t sig;
  int rc;

  if (argc != 3) {
    fprintf(stderr, "usage: imap_poll CONFIG OUT\n");
    return 64;
  }
  out_dir = argv[2];
  rc = releve_config_load(&cfg, argv[1], &diags);
  releve_diags_print(&diags, stderr);
  releve_diags_free(&diags);
  if (rc)
    return 78;
  rc = releve_imap_start(loop, &cfg, take, NULL, &imap);
  releve_config_free(&cfg);
  if (rc || imap == NULL) {
    fprintf(stderr, "imap_poll: %s\n", rc ? strerror(-rc) : "no mailboxes");
    return 1;
  }
  uv_signal_init(loop, &sig);
  uv_signal_start(&sig, on_signal, SIGTERM);
  fprintf(stderr, "ready: polling\n");
  uv_run(loop, UV_RUN_DEFAULT);
  uv_run(loop, UV_RUN_NOWAIT);
  return uv_loop_close(loop) == 0 ? 0 : 1;
}
