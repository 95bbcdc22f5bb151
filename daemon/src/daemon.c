#include "daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "config.h"
#include "log.h"
#include "spool.h"
#include "store.h"

typedef struct daemon_state {
  uv_loop_t loop;
  uv_signal_t sigterm, sigint;
  releve_config cfg;
  releve_store store;
  int stopping;
} daemon_state;

static void on_stop_signal(uv_signal_t *h, int signum) {
  daemon_state *d = h->data;
  releve_info("received %s, stopping", strsignal(signum));
  d->stopping = 1;
  uv_stop(&d->loop);
}

static int start(daemon_state *d, const releve_daemon_options *o) {
  releve_diags diags = {0};
  const char *path, *why;
  int rc;

  releve_config_locate(o->config, &path, &why);
  if (path == NULL)
    releve_log(RELEVE_NOTICE, "no configuration file: using the built-in default (database "
                              "and outbox in ./var, spool in ./spool)");
  rc = releve_config_load(&d->cfg, path, &diags);
  if (rc == 0)
    releve_config_check_environment(&d->cfg, &diags);
  if (releve_diags_count(&diags, RELEVE_DIAG_ERROR)) {
    size_t i;
    for (i = 0; i < diags.n; i++)
      if (diags.items[i].severity == RELEVE_DIAG_ERROR)
        releve_err("config %s: %s: %s", diags.items[i].file ? diags.items[i].file : "",
                   diags.items[i].key ? diags.items[i].key : "-", diags.items[i].message);
    releve_diags_free(&diags);
    return rc ? rc : -EINVAL;
  }
  releve_diags_free(&diags);
  releve_info("configuration %s (%s): %zu indicators, %zu actors", path ? path : "built-in",
              why, d->cfg.ref.n_indicators, d->cfg.n_actors);
  rc = releve_spool_prepare(&d->cfg);
  if (rc == 0)
    rc = releve_store_open(&d->store, d->cfg.database, RELEVE_STORE_RW);
  if (rc == 0)
    rc = releve_store_sync(&d->store, &d->cfg, NULL);
  return rc;
}

int releve_daemon_run(const releve_daemon_options *o) {
  daemon_state *d = calloc(1, sizeof *d);
  int rc;

  if (d == NULL)
    return -ENOMEM;
  rc = start(d, o);
  if (rc) {
    releve_err("start-up failed: %s", strerror(-rc));
    goto out;
  }
  if (o->once)
    goto out;
  uv_loop_init(&d->loop);
  uv_signal_init(&d->loop, &d->sigterm);
  uv_signal_init(&d->loop, &d->sigint);
  d->sigterm.data = d->sigint.data = d;
  uv_signal_start(&d->sigterm, on_stop_signal, SIGTERM);
  uv_signal_start(&d->sigint, on_stop_signal, SIGINT);
  releve_info("ready: database %s, spool %s", d->cfg.database, d->cfg.spool);
  uv_run(&d->loop, UV_RUN_DEFAULT);
  uv_close((uv_handle_t *)&d->sigterm, NULL);
  uv_close((uv_handle_t *)&d->sigint, NULL);
  uv_run(&d->loop, UV_RUN_DEFAULT);
  uv_loop_close(&d->loop);
out:
  releve_store_close(&d->store);
  releve_config_free(&d->cfg);
  free(d);
  return rc;
}
