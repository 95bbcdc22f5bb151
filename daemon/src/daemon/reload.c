/* reload.c -- what releved loads from its configuration, at start-up and
 * on SIGHUP: the configuration itself, the plugins, the per-actor folders
 * and plugin faults, the scheduled pulls. A reload runs while no file is
 * in hand, and a refused one keeps the running configuration. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "daemon/daemon_int.h"
#include "decode/plugin_check.h"
#include "decode/plugin_fault.h"
#include "referentiel/geo.h"
#include "spool/spool.h"
#include "store/state.h"
#include "util/log.h"
#include "util/notify.h"

static void free_dirs(daemon_state *d) {
  char ***sets[] = {&d->incoming, &d->processing, &d->archive, &d->rejected};
  size_t s, a;
  for (s = 0; s < 4; s++) {
    if (*sets[s] == NULL)
      continue;
    for (a = 0; a < d->cfg.n_actors; a++)
      free((*sets[s])[a]);
    free(*sets[s]);
    *sets[s] = NULL;
  }
}

static int make_dirs(daemon_state *d) {
  char ***sets[] = {&d->incoming, &d->processing, &d->archive, &d->rejected};
  size_t s, a;
  for (s = 0; s < 4; s++) {
    *sets[s] = calloc(d->cfg.n_actors + 1, sizeof(char *));
    if (*sets[s] == NULL)
      return -ENOMEM;
    for (a = 0; a < d->cfg.n_actors; a++)
      if (((*sets[s])[a] = releve_spool_path(&d->cfg, d->cfg.actors[a].id,
                                             (enum releve_spool_dir)s)) == NULL)
        return -ENOMEM;
  }
  return 0;
}

static void free_faults(daemon_state *d) {
  size_t a;
  for (a = 0; d->fault && a < d->cfg.n_actors; a++)
    free(d->fault[a]);
  free(d->fault);
  free(d->fault_plugin);
  free(d->held);
  d->fault = NULL;
  d->fault_plugin = NULL;
  d->held = NULL;
}

/* Which actors' plugins cannot serve with this configuration; the faults
 * of the others are forgotten (their waiting files are taken now). Runs
 * while no file is in hand. */
static int find_faults(daemon_state *d) {
  int cleared, rc, *served;
  size_t a;

  d->fault = calloc(d->cfg.n_actors + 1, sizeof *d->fault);
  d->fault_plugin = calloc(d->cfg.n_actors + 1, sizeof *d->fault_plugin);
  d->held = calloc(d->cfg.n_actors + 1, sizeof *d->held);
  served = calloc(d->cfg.n_actors + 1, sizeof *served);
  if (d->fault == NULL || d->fault_plugin == NULL || d->held == NULL || served == NULL) {
    free(served);
    return -ENOMEM;
  }
  for (a = 0; a < d->cfg.n_actors; a++) {
    const releve_actor *act = &d->cfg.actors[a];
    d->fault[a] = releve_plugin_fault(&d->plugins, act, &d->fault_plugin[a]);
    served[a] = d->fault[a] == NULL;
    if (d->fault[a] && act->configured)
      releve_warn("%s: its files will wait in incoming/: %s", act->id, d->fault[a]);
  }
  rc = releve_plugin_fault_clear(&d->store, &d->cfg, served, &cleared);
  if (rc == 0 && cleared)
    releve_info("%d actor%s served again by %s plugin: %s waiting files are taken", cleared,
                cleared > 1 ? "s" : "", cleared > 1 ? "their" : "its",
                cleared > 1 ? "their" : "its");
  free(served);
  return rc;
}

void releve__daemon_free_actors(daemon_state *d) {
  free_dirs(d);
  free_faults(d);
  free(d->running);
  d->running = NULL;
}

int releve__daemon_make_actors(daemon_state *d) {
  releve_job_env *j = &d->jobs;
  int rc;
  if (make_dirs(d) != 0 || (d->running = calloc(d->cfg.n_actors + 1, sizeof *d->running)) == NULL)
    return -ENOMEM;
  if ((rc = find_faults(d)) != 0)
    return rc;
  memset(j, 0, sizeof *j);
  j->loop = &d->loop;
  j->cfg = &d->cfg;
  j->store = &d->store;
  j->ingest = &d->env;
  j->incoming = d->incoming;
  j->processing = d->processing;
  j->archive = d->archive;
  j->rejected = d->rejected;
  j->fault = d->fault;
  j->fault_plugin = d->fault_plugin;
  j->held = d->held;
  return 0;
}

int releve__daemon_load(const releve_daemon_options *o, releve_config *cfg, releve_plugins *plugins) {
  releve_diags diags = {0};
  const char *path, *why;
  int rc;

  rc = releve_config_open(cfg, o->config, &diags, &path, &why);
  if (path == NULL)
    releve_log(RELEVE_NOTICE, "no configuration file: using the built-in default (database "
                              "and outbox in ./var, spool in ./spool)");
  /* State a command run as root made first: say which piece and whose,
   * before anything fails on it with a bare errno. */
  if (rc == 0 && releve_state_check(cfg, &diags)) {
    size_t i;
    for (i = 0; i < diags.n; i++)
      if (diags.items[i].severity == RELEVE_DIAG_ERROR)
        releve_err("state: %s", diags.items[i].message);
    releve_diags_free(&diags);
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    return -EACCES;
  }
  if (rc == 0)
    releve_config_check_environment(cfg, &diags);
  if (releve_diags_count(&diags, RELEVE_DIAG_ERROR)) {
    size_t i;
    for (i = 0; i < diags.n; i++)
      if (diags.items[i].severity == RELEVE_DIAG_ERROR) {
        char *line = releve_diag_text(&diags.items[i]);
        releve_err("config %s", line ? line : "error (out of memory)");
        free(line);
      }
    releve_diags_free(&diags);
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    return rc ? rc : -EINVAL;
  }
  releve_diags_free(&diags);
  {
    size_t i, n = 0;
    for (i = 0; i < cfg->n_contracts; i++)
      n += cfg->contracts[i].ref.n_indicators;
    releve_info("configuration %s (%s): %zu contract%s, %zu indicators, %zu actors",
                path ? path : "built-in", why, cfg->n_contracts, cfg->n_contracts == 1 ? "" : "s",
                n, cfg->n_actors);
  }
  rc = releve_plugins_load(plugins, cfg->plugins);
  if (rc) {
    releve_err("plugin folder %s: %s", cfg->plugins ? cfg->plugins : "(none)", strerror(-rc));
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    memset(plugins, 0, sizeof *plugins);
    return rc;
  }
  if (releve_plugins_enforce_privacy(cfg, plugins, &diags, RELEVE_DIAG_WARNING)) {
    size_t i;
    for (i = 0; i < diags.n; i++)
      releve_warn("config %s: %s", diags.items[i].file, diags.items[i].message);
    releve_diags_free(&diags);
  }
  rc = releve_spool_prepare(cfg);
  if (rc) {
    releve_plugins_unload(plugins);
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    memset(plugins, 0, sizeof *plugins);
  }
  return rc;
}

/* Scheduled pulls drop what they fetch into incoming/, where the watch and
 * the rescans find it; so does the mail intake for the polled mailboxes.
 * Each poller keeps a copy of its configuration; on reload the new ones
 * start once the old ones have released their files. */
int releve__daemon_start_poller(daemon_state *d) {
  int rc = releve_scheduler_start(&d->loop, &d->cfg, &d->poller);
  if (rc) {
    releve_err("cannot start the scheduled pulls: %s", strerror(-rc));
    return rc;
  }
  rc = releve__daemon_inbox_start(d, &d->inbox);
  if (rc)
    releve_err("cannot start the polled mailboxes: %s", strerror(-rc));
  return rc;
}

int releve__daemon_close_pollers(daemon_state *d, void (*closed)(void *data), void *data) {
  int n = 0;
  if (d->poller) {
    releve_scheduler_close(d->poller, closed, data);
    n++;
  }
  if (d->inbox) {
    releve__daemon_inbox_close(d->inbox, closed, data);
    n++;
  }
  d->poller = NULL;
  d->inbox = NULL;
  return n;
}

static void on_poller_closed(void *data) {
  daemon_state *d = data;
  if (--d->poller_closing == 0 && !d->stopping && !d->closing)
    releve__daemon_start_poller(d);
}

static void restart_poller(daemon_state *d) {
  if (d->poller_closing)
    return; /* the new ones start when the old ones are gone */
  d->poller_closing = releve__daemon_close_pollers(d, on_poller_closed, d);
  if (d->poller_closing == 0)
    releve__daemon_start_poller(d);
}

void releve__daemon_reload(daemon_state *d) {
  releve_config cfg;
  releve_plugins plugins;
  char qva_pattern[16];
  int rc;

  /* Loading sets the process's QVA spelling: a refused configuration must
   * not leave its own behind. */
  snprintf(qva_pattern, sizeof qva_pattern, "%s", releve_geo_qva_pattern());

  memset(&cfg, 0, sizeof cfg);
  memset(&plugins, 0, sizeof plugins);
  releve_notify("RELOADING=1");
  releve_info("reloading the configuration, référentiel and plugins");
  rc = releve__daemon_load(d->opts, &cfg, &plugins);
  if (rc == 0 && (rc = releve_store_sync(&d->store, &cfg, NULL)) != 0) {
    releve_plugins_unload(&plugins);
    releve_config_free(&cfg);
  }
  /* A failed sync rolled back: the database still mirrors the running
   * configuration. */
  if (rc) {
    releve_geo_set_qva_pattern(qva_pattern);
    releve_err("reload refused (%s): keeping the running configuration", strerror(-rc));
    releve_notify("READY=1");
    return;
  }
  releve_watch_close(d->watch);
  d->watch = NULL;
  releve__queue_clear(d);
  releve__daemon_free_actors(d);
  releve_plugins_unload(&d->plugins);
  releve_config_free(&d->cfg);
  d->cfg = cfg;
  d->plugins = plugins;
  if (releve__daemon_make_actors(d) == -ENOMEM) {
    releve_err("out of memory after reload: stopping");
    d->stopping = 1;
    return;
  }
  releve__daemon_start_watch(d);
  restart_poller(d);
  uv_timer_set_repeat(&d->rescan, (uint64_t)d->cfg.rescan_seconds * 1000);
  uv_timer_again(&d->rescan);
  releve__queue_scan_all(d);
  releve_info("reloaded: %zu actors, plugins from %s", d->cfg.n_actors, d->cfg.plugins);
  releve_notify("READY=1");
  releve__daemon_status(d);
}

