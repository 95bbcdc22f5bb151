/* testcheck.h -- assertions shared by the core's unit tests; include after
 * <cmocka.h> and testutil.h. */
#ifndef RELEVE_TESTCHECK_H
#define RELEVE_TESTCHECK_H

#include <sys/stat.h>

#include "config/config.h"
#include "util/diag.h"
#include "ingest/ingest.h"
#include "store/store.h"

/* A fresh scratch folder holding an empty, safe plugin folder, as a
 * configuration's "plugins" key expects. */
static inline char *test_config_dir(const char *name) {
  char *dir = test_dir(name);
  char *plugins = releve_str_printf("%s/plugins", dir);
  if (plugins == NULL || releve_fs_mkdir_p(plugins, 0755) != 0 || chmod(plugins, 0755) != 0)
    abort();
  free(plugins);
  return dir;
}

/* A fresh scratch folder holding a new database, migrated and open on s
 * (close it with releve_store_close). */
static inline char *test_store_dir(const char *name, releve_store *s) {
  char *dir = test_dir(name);
  char *db = releve_str_printf("%s/r.db", dir);
  if (db == NULL || releve_store_open(s, db, RELEVE_STORE_RW) != 0)
    abort();
  free(db);
  return dir;
}

/* Writes text as dir/releve.json and loads it (without the environment
 * check); returns the number of errors. */
static inline size_t test_config_load(const char *dir, const char *text, releve_diags *d,
                                      releve_config *cfg) {
  char *path = test_file(dir, "releve.json", text);
  releve_config_load(cfg, path, d);
  free(path);
  return releve_diags_count(d, RELEVE_DIAG_ERROR);
}

/* The first error whose message contains needle, or fails the test. */
static inline const releve_diag *test_error_with(const releve_diags *d, const char *needle) {
  size_t i;
  for (i = 0; i < d->n; i++)
    if (d->items[i].severity == RELEVE_DIAG_ERROR && strstr(d->items[i].message, needle))
      return &d->items[i];
  releve_diags_print(d, stderr);
  fail_msg("no error containing \"%s\"", needle);
  return NULL;
}

/* The first column of the first row of sql, -1 when there is none. */
static inline long long test_scalar(releve_store *s, const char *sql) {
  releve_stmt *st;
  long long v = -1;
  int rc;
  assert_int_equal(releve_store_prepare(s, sql, &st), 0);
  rc = releve_stmt_step(st);
  assert_true(rc >= 0);
  if (rc == RELEVE_STMT_ROW)
    v = releve_stmt_int64(st, 0);
  releve_stmt_finalize(st);
  return v;
}

/* The core an ingest runs on: the configuration in dir/releve.json (text),
 * the plugins of plugin_dir, and the configuration's database, migrated and
 * synced; env points at them. Returns 0, or -1 with the diagnostics printed. */
static inline int test_core_open(const char *dir, const char *text, const char *plugin_dir,
                                 releve_config *cfg, releve_store *store,
                                 releve_plugins *plugins, releve_ingest_env *env) {
  releve_diags d = {0};
  char *conf = test_file(dir, "releve.json", text);
  int rc = releve_config_load(cfg, conf, &d);
  if (rc != 0)
    releve_diags_print(&d, stderr);
  releve_diags_free(&d);
  free(conf);
  if (rc != 0 || releve_plugins_load(plugins, plugin_dir) ||
      releve_store_open(store, cfg->database, RELEVE_STORE_RW) ||
      releve_store_sync(store, cfg, NULL))
    return -1;
  env->cfg = cfg;
  env->store = store;
  env->plugins = plugins;
  return 0;
}

/* Writes text as dir/name and ingests it for actor through env, on the
 * "cli" channel; more, when not NULL, gives the request's other fields. The
 * ingest itself must not fail: the outcome is returned, res filled. */
static inline releve_outcome test_ingest_text(const releve_ingest_env *env, const char *dir,
                                              const char *actor, const char *name,
                                              const char *text,
                                              const releve_ingest_request *more,
                                              releve_ingest_result *res) {
  releve_ingest_request req;
  char *path = test_file(dir, name, text);
  if (more)
    req = *more;
  else
    memset(&req, 0, sizeof req);
  req.actor = actor;
  req.path = path;
  req.channel = "cli";
  assert_int_equal(releve_ingest_file(env, &req, res), 0);
  free(path);
  return res->outcome;
}

static inline void test_core_close(releve_config *cfg, releve_store *store,
                                   releve_plugins *plugins) {
  releve_store_close(store);
  releve_plugins_unload(plugins);
  releve_config_free(cfg);
}

#endif
