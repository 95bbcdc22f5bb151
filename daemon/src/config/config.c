/* config.c -- loading releve.json: one section per top-level key, each
 * owned by one file of this folder (config_int.h), run in the order of
 * the table below. */
#include "config/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address/addr_ref.h"
#include "config/address_config.h"
#include "config/config_int.h"
#include "config/geography_config.h"
#include "config/privacy.h"
#include "util/path.h"

typedef struct section {
  const char *key;
  releve__config_load_fn load; /* sets the defaults, reads and checks the key; NULL: read by
                                * the "contracts" section (the old form) */
} section;

static const section sections[] = {
    {"database", releve__config_database},
    {"spool", releve__config_spool},
    {"plugins", releve__config_plugins},
    {"contracts", releve__config_contracts},
    {"referentiel", NULL},
    {"contract", NULL},
    {"mail", releve__config_mail},
    {"actors", NULL},
    {"sources", releve__config_sources},
    {"mailboxes", releve__config_mailboxes},
    {"campaigns", NULL},
    {"reminders", NULL},
    {"daemon", releve__config_daemon},
    {"validation", releve__config_validation},
    {"addresses", releve_address_config_load},
    {"geography", releve_geography_config_load},
    {"secrecy", releve_privacy_secrecy_load},
};

#define N_SECTIONS (sizeof sections / sizeof sections[0])

void releve_config_locate(const char *opt_c, const char **path, const char **why) {
  const char *env = getenv("RELEVE_CONFIG");

  if (opt_c) {
    *path = opt_c;
    *why = "-c";
  } else if (env && *env) {
    *path = env;
    *why = "$RELEVE_CONFIG";
  } else if (access(RELEVE_SYSTEM_CONFIG, F_OK) == 0) {
    *path = RELEVE_SYSTEM_CONFIG;
    *why = "system default";
  } else {
    *path = NULL;
    *why = "built-in default";
  }
}

int releve_config_load(releve_config *cfg, const char *file, releve_diags *diags) {
  const char *keys[N_SECTIONS + 1];
  releve_jctx c;
  size_t i, errors_before = releve_diags_count(diags, RELEVE_DIAG_ERROR);

  memset(cfg, 0, sizeof *cfg);
  c.diags = diags;
  if (file) {
    char *real = realpath(file, NULL);
    cfg->file = strdup(file);
    cfg->dir = releve_path_dirname(real ? real : file);
    free(real);
    c.file = cfg->file;
    cfg->root = releve_json_load_file(&c, file);
  } else {
    cfg->dir = strdup(".");
    c.file = "(built-in default)";
    cfg->root = releve_json_load_string(&c, releve_default_config_json);
  }
  if (cfg->root == NULL)
    return -EINVAL;
  if (!json_is_object(cfg->root)) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, c.file, NULL, 0, 0,
                     "the configuration must be a JSON object");
    return -EINVAL;
  }
  for (i = 0; i < N_SECTIONS; i++)
    keys[i] = sections[i].key;
  keys[N_SECTIONS] = NULL;
  releve_json_check_keys(&c, cfg->root, "", keys);
  for (i = 0; i < N_SECTIONS; i++)
    if (sections[i].load)
      sections[i].load(cfg, &c);
  return releve_diags_count(diags, RELEVE_DIAG_ERROR) > errors_before ? -EINVAL : 0;
}

int releve_config_open(releve_config *cfg, const char *opt_c, releve_diags *diags,
                       const char **path, const char **why) {
  releve_config_locate(opt_c, path, why);
  return releve_config_load(cfg, *path, diags);
}

/* The nearest existing folder at or above path must be a writable folder. */
static void check_writable(const char *file, const char *key, const char *path, int is_dir_itself,
                           releve_diags *diags) {
  char *p = is_dir_itself ? strdup(path) : releve_path_dirname(path);
  struct stat st;

  while (p && stat(p, &st) != 0 && errno == ENOENT) {
    char *up = releve_path_dirname(p);
    if (up && strcmp(up, p) == 0) {
      free(up);
      break;
    }
    free(p);
    p = up;
  }
  if (p == NULL)
    return;
  if (stat(p, &st) != 0)
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, key, 0, 0, "%s: %s", p, strerror(errno));
  else if (!S_ISDIR(st.st_mode))
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, key, 0, 0,
                     "%s is not a folder; a writable folder is expected", p);
  else if (access(p, W_OK | X_OK) != 0)
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, key, 0, 0,
                     "folder %s is not writable by this user (%s)", p, strerror(errno));
  free(p);
}

int releve_config_database_is_uri(const char *database) {
  return strncmp(database, "postgresql://", 13) == 0 || strncmp(database, "postgres://", 11) == 0;
}

char *releve_config_state_dir(const releve_config *cfg) {
  return releve_config_database_is_uri(cfg->database) ? releve_path_resolve(cfg->dir, "var")
                                                      : releve_path_dirname(cfg->database);
}

void releve_config_check_environment(const releve_config *cfg, releve_diags *diags) {
  const char *file = cfg->file ? cfg->file : "(built-in default)";
  struct stat st;

  /* A PostgreSQL database is the server's to keep; the state folder beside
   * it is relevé's. */
  if (releve_config_database_is_uri(cfg->database)) {
    char *dir = releve_config_state_dir(cfg);
    if (dir)
      check_writable(file, "database", dir, 1, diags);
    free(dir);
  } else {
    check_writable(file, "database", cfg->database, 0, diags);
  }
  check_writable(file, "spool", cfg->spool, 1, diags);
  if (!cfg->smtp_url)
    check_writable(file, "mail.outbox", cfg->outbox, 1, diags);
  if (stat(cfg->plugins, &st) != 0)
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, "plugins", 0, 0,
                     "plugin folder %s: %s", cfg->plugins, strerror(errno));
  else if (!S_ISDIR(st.st_mode))
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, "plugins", 0, 0, "%s is not a folder",
                     cfg->plugins);
  else if (st.st_mode & (S_IWGRP | S_IWOTH))
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, "plugins", 0, 0,
                     "plugin folder %s is writable by group or others; no plugin would be "
                     "loaded from it (chmod go-w)",
                     cfg->plugins);
}

void releve_config_free(releve_config *cfg) {
  releve__config_contracts_free(cfg);
  releve_sources_free(&cfg->sources);
  releve_mailboxes_free(&cfg->mailboxes);
  releve_addr_ref_free(cfg->addresses);
  releve_geography_free(&cfg->geography);
  json_decref(cfg->root);
  free(cfg->file);
  free(cfg->dir);
  free(cfg->database);
  free(cfg->spool);
  free(cfg->plugins);
  free(cfg->outbox);
  free(cfg->mail_credentials);
  memset(cfg, 0, sizeof *cfg);
}
