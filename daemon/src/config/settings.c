/* settings.c -- the sections of releve.json that are single settings: the
 * paths ("database", "spool", "plugins"), "daemon" and "validation"; and
 * the key readers every section uses. */
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config_int.h"
#include "util/path.h"

char *releve__config_path_key(const releve_config *cfg, const releve_jctx *c, json_t *obj,
                              const char *path, const char *key, const char *def) {
  const char *s = NULL;
  char where[256];

  if (releve_json_string(c, obj, path, key, 0, &s) != 1)
    s = def;
  if (s == NULL)
    return NULL;
  if (*s == '\0') {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, key), 0, 0,
                     "is empty; a file or folder path is expected");
    s = def ? def : ".";
  }
  return releve_path_resolve(cfg->dir, s);
}

void releve__config_int_key(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                            long long lo, long long hi, int *out) {
  long long v;
  char where[256];

  if (releve_json_int(c, obj, path, key, 0, &v) != 1)
    return;
  if (v < lo || v > hi) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, key), 0, 0,
                     "%lld is out of range; a whole number from %lld to %lld is expected", v, lo,
                     hi);
    return;
  }
  *out = (int)v;
}

int releve__config_valid_email(const char *s) {
  const char *at = strchr(s, '@');
  const char *p;
  if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
    return 0;
  for (p = s; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == '"' ||
        *p == 0x7f)
      return 0; /* also refuses CR and LF: addresses end up in mail headers */
  return 1;
}

/* ---- paths ---------------------------------------------------------------- */

/* A file path, resolved as the others, or a PostgreSQL URI kept as
 * written (libpq reads it). */
void releve__config_database(releve_config *cfg, const releve_jctx *c) {
  const char *s = json_string_value(json_object_get(cfg->root, "database"));
  if (s && releve_config_database_is_uri(s))
    cfg->database = strdup(s);
  else
    cfg->database = releve__config_path_key(cfg, c, cfg->root, "", "database", "var/releve.db");
}

void releve__config_spool(releve_config *cfg, const releve_jctx *c) {
  cfg->spool = releve__config_path_key(cfg, c, cfg->root, "", "spool", "spool");
}

/* The plugins of the build tree when run from it, else the installed ones. */
static char *default_plugin_dir(void) {
  struct stat st;
  if (stat(RELEVE_BUILD_PLUGIN_DIR, &st) == 0 && S_ISDIR(st.st_mode))
    return RELEVE_BUILD_PLUGIN_DIR;
  return RELEVE_INSTALLED_PLUGIN_DIR;
}

void releve__config_plugins(releve_config *cfg, const releve_jctx *c) {
  cfg->plugins = releve__config_path_key(cfg, c, cfg->root, "", "plugins", default_plugin_dir());
}

/* ---- daemon, validation ------------------------------------------------------ */

void releve__config_daemon(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"rescan_seconds", "quiet_seconds", "decode_timeout_seconds",
                                     "decode_memory_mb", "spool_mode", "spool_group", "watch",
                                     "stale_upload_hours", "max_jobs", NULL};
  json_t *o = NULL;
  const char *mode = "2770";
  char *end;

  cfg->rescan_seconds = 60;
  /* A file written in place, without a temporary name, must not be taken
   * half-written: it waits until unmodified for a few seconds. */
  cfg->quiet_seconds = 5;
  cfg->stale_upload_hours = 24;
  cfg->decode_timeout_seconds = 300;
  cfg->decode_memory_mb = 1024;
  /* Files of different actors decoded side by side: a hung plugin holds
   * back its own actor's files only. */
  cfg->max_jobs = 2;
  cfg->watch = 1;
  if (releve_json_object(c, cfg->root, "", "daemon", 0, &o) == 1)
    releve_json_check_keys(c, o, "daemon", keys);
  releve__config_int_key(c, o, "daemon", "rescan_seconds", 1, 86400, &cfg->rescan_seconds);
  releve__config_int_key(c, o, "daemon", "quiet_seconds", 0, 3600, &cfg->quiet_seconds);
  releve__config_int_key(c, o, "daemon", "stale_upload_hours", 1, 8760, &cfg->stale_upload_hours);
  releve__config_int_key(c, o, "daemon", "decode_timeout_seconds", 1, 86400,
                         &cfg->decode_timeout_seconds);
  releve__config_int_key(c, o, "daemon", "decode_memory_mb", 16, 1 << 20,
                         &cfg->decode_memory_mb);
  releve__config_int_key(c, o, "daemon", "max_jobs", 1, 64, &cfg->max_jobs);
  releve_json_bool(c, o, "daemon", "watch", 0, &cfg->watch);
  if (o) {
    releve_json_string(c, o, "daemon", "spool_mode", 0, &mode);
    releve_json_string(c, o, "daemon", "spool_group", 0, &cfg->spool_group);
  }
  cfg->spool_mode = (int)strtol(mode, &end, 8);
  if (*mode == '\0' || *end != '\0' || cfg->spool_mode > 07777)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "daemon.spool_mode", 0, 0,
                     "\"%s\" is not an octal mode such as \"2770\"", mode);
  if (cfg->spool_group && getgrnam(cfg->spool_group) == NULL)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "daemon.spool_group", 0, 0,
                     "no group named \"%s\" on this system", cfg->spool_group);
}

void releve__config_validation(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"jump_factor", NULL};
  json_t *o;
  char where[64];

  cfg->jump_factor = 3.0;
  if (releve_json_object(c, cfg->root, "", "validation", 0, &o) != 1)
    return;
  releve_json_check_keys(c, o, "validation", keys);
  if (releve_json_number(c, o, "validation", "jump_factor", 0, &cfg->jump_factor) == 1 &&
      cfg->jump_factor <= 1.0)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, "validation", "jump_factor"), 0, 0,
                     "%g is too small; a factor above 1 (e.g. 3) is expected", cfg->jump_factor);
}
