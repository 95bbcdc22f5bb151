#include "config/config.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address/address.h"
#include "config/address_config.h"
#include "config/mail_intake.h"
#include "config/privacy.h"
#include "config/reminders.h"
#include "config/source.h"
#include "ingest/map.h"
#include "mail/mail_send.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/path.h"

static const char *const top_keys[] = {"database", "spool", "plugins", "referentiel",
                                       "contract", "mail", "actors", "sources",
                                       "campaigns", "reminders", "daemon", "validation",
                                       "addresses", "secrecy", NULL};

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

/* A path key: resolved against cfg->dir, or the default when absent. */
static char *path_key(const releve_config *cfg, const releve_jctx *c, json_t *obj,
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

static int int_key(const releve_jctx *c, json_t *obj, const char *path, const char *key, int def,
                   long long lo, long long hi) {
  long long v;
  char where[256];

  if (releve_json_int(c, obj, path, key, 0, &v) != 1)
    return def;
  if (v < lo || v > hi) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, key), 0, 0,
                     "%lld is out of range; a whole number from %lld to %lld is expected", v, lo,
                     hi);
    return def;
  }
  return (int)v;
}

static int valid_date(const char *s) {
  int y, m, d;
  char tail;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return 0;
  return y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

static int valid_email(const char *s) {
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

static void load_contract(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"first_year", "last_year", NULL};
  json_t *o = NULL;

  cfg->first_year = 2015;
  cfg->last_year = 2023;
  if (releve_json_object(c, cfg->root, "", "contract", 0, &o) != 1)
    return;
  releve_json_check_keys(c, o, "contract", keys);
  cfg->first_year = int_key(c, o, "contract", "first_year", 2015, 2000, 2100);
  cfg->last_year = int_key(c, o, "contract", "last_year", 2023, 2000, 2100);
  if (cfg->first_year > cfg->last_year)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "contract", 0, 0,
                     "first_year %d is after last_year %d", cfg->first_year, cfg->last_year);
}

static void load_mail(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"from", "smtp", "outbox", "coordinator", "credentials",
                                     "starttls", "timeout_seconds", "max_per_run",
                                     RELEVE_MAIL_INTAKE_KEYS, NULL};
  json_t *o = NULL;

  cfg->mail_from = "releve@localhost";
  cfg->mail_starttls = 1;
  if (releve_json_object(c, cfg->root, "", "mail", 0, &o) == 1) {
    releve_json_check_keys(c, o, "mail", keys);
    releve_json_string(c, o, "mail", "from", 0, &cfg->mail_from);
    releve_json_string(c, o, "mail", "smtp", 0, &cfg->smtp_url);
    releve_json_string(c, o, "mail", "coordinator", 0, &cfg->coordinator);
    releve_json_bool(c, o, "mail", "starttls", 0, &cfg->mail_starttls);
    cfg->mail_credentials = path_key(cfg, c, o, "mail", "credentials", NULL);
  }
  cfg->mail_timeout_seconds = int_key(c, o, "mail", "timeout_seconds", 30, 1, 600);
  cfg->mail_max_per_run = int_key(c, o, "mail", "max_per_run", 100, 1, 100000);
  cfg->outbox = o ? path_key(cfg, c, o, "mail", "outbox", "var/outbox")
                  : releve_path_resolve(cfg->dir, "var/outbox");
  releve_mail_config_check(cfg, c);
  releve_mail_intake_load(cfg, c, o);
  if (!valid_email(cfg->mail_from))
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.from", 0, 0,
                     "\"%s\" is not a mail address (name@domain expected)", cfg->mail_from);
  if (cfg->coordinator && !valid_email(cfg->coordinator))
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.coordinator", 0, 0,
                     "\"%s\" is not a mail address (name@domain expected)", cfg->coordinator);
  if (cfg->smtp_url && strncmp(cfg->smtp_url, "smtp://", 7) != 0 &&
      strncmp(cfg->smtp_url, "smtps://", 8) != 0)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.smtp", 0, 0,
                     "\"%s\" is not an SMTP URL (smtp://host:port or smtps://host:port)",
                     cfg->smtp_url);
}

static void load_daemon(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"rescan_seconds", "quiet_seconds", "decode_timeout_seconds",
                                     "decode_memory_mb", "spool_mode", "spool_group", "watch",
                                     "stale_upload_hours", "max_jobs", NULL};
  json_t *o = NULL;
  const char *mode = "2770";
  char *end;

  if (releve_json_object(c, cfg->root, "", "daemon", 0, &o) == 1)
    releve_json_check_keys(c, o, "daemon", keys);
  cfg->rescan_seconds = int_key(c, o, "daemon", "rescan_seconds", 60, 1, 86400);
  /* A file written in place, without a temporary name, must not be taken
   * half-written: it waits until unmodified for a few seconds. */
  cfg->quiet_seconds = int_key(c, o, "daemon", "quiet_seconds", 5, 0, 3600);
  cfg->stale_upload_hours = int_key(c, o, "daemon", "stale_upload_hours", 24, 1, 8760);
  cfg->decode_timeout_seconds = int_key(c, o, "daemon", "decode_timeout_seconds", 300, 1, 86400);
  cfg->decode_memory_mb = int_key(c, o, "daemon", "decode_memory_mb", 1024, 16, 1 << 20);
  /* Files of different actors decoded side by side: a hung plugin holds
   * back its own actor's files only. */
  cfg->max_jobs = int_key(c, o, "daemon", "max_jobs", 2, 1, 64);
  cfg->watch = 1;
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

static void load_validation(releve_config *cfg, const releve_jctx *c) {
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

static int cmp_actor(const void *a, const void *b) {
  return strcmp(((const releve_actor *)a)->id, ((const releve_actor *)b)->id);
}

/* NULL-ended array of the strings of a JSON array; diagnostics for non-strings. */
static const char **string_list(const releve_jctx *c, json_t *arr, const char *path, size_t *n) {
  const char **out = calloc(json_array_size(arr) + 1, sizeof *out);
  json_t *v;
  size_t i, k = 0;
  char where[256];

  if (out == NULL)
    return NULL;
  json_array_foreach(arr, i, v) {
    if (json_is_string(v))
      out[k++] = json_string_value(v);
    else
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_index(where, sizeof where, path, i), 0, 0,
                       "is %s; a string is expected", releve_json_type_name(v));
  }
  if (n)
    *n = k;
  return out;
}

static const char *const template_only[] = {"template", NULL};

/* "plugin": "caf" or "plugins": ["caf", "template"], the collection table
 * added when not listed. Names are checked against the plugin folder by
 * releve_readers_check_config (reader.h), which needs the plugins loaded. */
static void load_actor_plugins(releve_actor *act, const releve_jctx *c, json_t *a,
                               const char *path) {
  json_t *one = json_object_get(a, "plugin"), *many = json_object_get(a, "plugins"), *v;
  const char **list;
  char where[256], item[300];
  size_t i, k, n = 0;
  int has_template = 0;

  if (one && many) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, "plugin"), 0, 0,
                     "both \"plugin\" and \"plugins\" are given; keep \"plugins\": [...] only");
    return;
  }
  if (one == NULL && many == NULL)
    return;
  releve_json_path(where, sizeof where, path, one ? "plugin" : "plugins");
  if (one && !json_is_string(one)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, where, 0, 0,
                     "is %s; a plugin name is expected", releve_json_type_name(one));
    return;
  }
  if (many && (!json_is_array(many) || json_array_size(many) == 0)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, where, 0, 0,
                     "is %s; a non-empty list of plugin names is expected (e.g. [\"caf\", "
                     "\"template\"])",
                     json_is_array(many) ? "an empty list" : releve_json_type_name(many));
    return;
  }
  list = calloc((many ? json_array_size(many) : 1) + 2, sizeof *list);
  if (list == NULL)
    return;
  if (one)
    list[n++] = json_string_value(one);
  json_array_foreach(many, i, v) {
    releve_json_index(item, sizeof item, where, i);
    if (!json_is_string(v)) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, item, 0, 0,
                       "is %s; a plugin name is expected", releve_json_type_name(v));
      continue;
    }
    for (k = 0; k < n; k++)
      if (strcmp(list[k], json_string_value(v)) == 0)
        break;
    if (k < n) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, item, 0, 0,
                       "\"%s\" is listed twice; each plugin once, in the order to try them",
                       json_string_value(v));
      continue;
    }
    list[n++] = json_string_value(v);
  }
  for (k = 0; k < n; k++)
    has_template |= strcmp(list[k], "template") == 0;
  if (n == 0) {
    free(list);
    return;
  }
  if (!has_template)
    list[n++] = "template"; /* partners can always answer in the collection table */
  act->template_implied = !has_template;
  act->plugins = list;
  act->n_plugins = n;
  act->plugin = list[0];
  act->plugins_path = strdup(where);
}

static void load_actor_entry(releve_config *cfg, const releve_jctx *c, json_t *a,
                             const char *path) {
  static const char *const keys[] = {"id", "name", "emails", "plugin", "plugins", "options",
                                     "mapping", "scopes", "personal_data", "keep_days", NULL};
  const char *id = NULL;
  releve_actor key, *act;
  json_t *arr;
  char where[256];
  size_t i;

  if (!json_is_object(a)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                     "is %s; an object is expected", releve_json_type_name(a));
    return;
  }
  releve_json_check_keys(c, a, path, keys);
  if (releve_json_string(c, a, path, "id", 1, &id) != 1)
    return;
  key.id = id;
  act = bsearch(&key, cfg->actors, cfg->n_actors, sizeof key, cmp_actor);
  if (act == NULL) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, "id"), 0, 0,
                     "\"%s\" is not an actor of the référentiel (see `releve referentiel`)", id);
    return;
  }
  if (act->configured) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, "id"), 0, 0,
                     "actor \"%s\" is configured twice", id);
    return;
  }
  act->configured = 1;
  releve_json_string(c, a, path, "name", 0, &act->name);
  load_actor_plugins(act, c, a, path);
  releve_json_object(c, a, path, "options", 0, &act->options);
  releve_privacy_actor_load(act, c, a, path);
  if (releve_json_object(c, a, path, "mapping", 0, &act->mapping) == 1)
    releve_mapping_check(act->mapping, c, releve_json_path(where, sizeof where, path, "mapping"),
                         &cfg->ref, id);
  if (releve_json_array(c, a, path, "emails", 0, &arr) == 1) {
    free(act->emails);
    act->emails = string_list(c, arr, releve_json_path(where, sizeof where, path, "emails"),
                              &act->n_emails);
    for (i = 0; act->emails && i < act->n_emails; i++) {
      char item[300];
      releve_json_index(item, sizeof item, where, i);
      if (!valid_email(act->emails[i]))
        releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, item, 0, 0,
                         "\"%s\" is not a mail address (name@domain expected)", act->emails[i]);
      else if (releve_email_placeholder(act->emails[i]))
        act->placeholder = 1; /* listed once for all actors below */
    }
  }
  if (act->n_emails == 0)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                     "actor \"%s\" has no contact email; \"emails\": [\"name@domain\"] is "
                     "needed to send its reminders and receipts",
                     id);
  if (releve_json_array(c, a, path, "scopes", 0, &arr) == 1) {
    const char **s;
    act->scopes = string_list(c, arr, releve_json_path(where, sizeof where, path, "scopes"),
                              NULL);
    for (s = act->scopes; s && *s; s++)
      if (strcmp(*s, "QPV") && strcmp(*s, "QP") && strcmp(*s, "QVA") && strcmp(*s, "PARIS") &&
          strcmp(*s, "REP") && strcmp(*s, "REP+"))
        releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, where, 0, 0,
                         "\"%s\" is not a scope; one of QPV, QP, QVA, PARIS, REP, REP+ expected",
                         *s);
  }
}

static void load_actors(releve_config *cfg, const releve_jctx *c) {
  json_t *arr, *a;
  size_t i;
  char path[64];

  cfg->actors = calloc(cfg->ref.n_actors + 1, sizeof *cfg->actors);
  if (cfg->actors == NULL)
    return;
  for (i = 0; i < cfg->ref.n_actors; i++) {
    releve_actor *act = &cfg->actors[i];
    act->id = cfg->ref.actors[i].id;
    act->name = cfg->ref.actors[i].name;
    act->plugins = (const char **)template_only;
    act->n_plugins = 1;
    act->template_implied = 1;
    act->plugin = "template";
    act->scopes = NULL;
  }
  cfg->n_actors = cfg->ref.n_actors; /* référentiel actors are already sorted by id */
  if (releve_json_array(c, cfg->root, "", "actors", 0, &arr) == 1)
    json_array_foreach(arr, i, a) {
      releve_json_index(path, sizeof path, "actors", i);
      load_actor_entry(cfg, c, a, path);
    }
  {
    releve_buf list = RELEVE_BUF_INIT, held = RELEVE_BUF_INIT;
    size_t n = 0, n_held = 0;
    for (i = 0; i < cfg->n_actors; i++) {
      if (!cfg->actors[i].configured) {
        releve_buf_addf(&list, "%s%s", n ? ", " : "", cfg->actors[i].id);
        n++;
      }
      if (cfg->actors[i].placeholder) {
        releve_buf_addf(&held, "%s%s", n_held ? ", " : "", cfg->actors[i].id);
        n_held++;
      }
    }
    if (n)
      releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, "actors", 0, 0,
                       "%zu actor%s of the référentiel ha%s no entry, so no contact email: "
                       "they can drop files but get no reminder (%s)",
                       n, n == 1 ? "" : "s", n == 1 ? "s" : "ve", list.data);
    /* One line, however many: the list is what the coordinator edits. */
    if (n_held)
      releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, "actors", 0, 0,
                       "%zu actor%s still ha%s the placeholder address written by `releve "
                       "init` (@example.org) and get%s no reminder until it is replaced: %s",
                       n_held, n_held == 1 ? "" : "s", n_held == 1 ? "s" : "ve",
                       n_held == 1 ? "s" : "", held.data);
    releve_buf_free(&list);
    releve_buf_free(&held);
  }
}

static void load_campaigns(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"period", "opens", "due", NULL};
  json_t *arr, *o;
  size_t i;
  char path[64], where[128];

  if (releve_json_array(c, cfg->root, "", "campaigns", 0, &arr) != 1)
    return;
  cfg->campaigns = calloc(json_array_size(arr) + 1, sizeof *cfg->campaigns);
  if (cfg->campaigns == NULL)
    return;
  json_array_foreach(arr, i, o) {
    releve_campaign *k = &cfg->campaigns[cfg->n_campaigns];
    long long year = 0;
    releve_json_index(path, sizeof path, "campaigns", i);
    if (!json_is_object(o)) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                       "is %s; an object is expected", releve_json_type_name(o));
      continue;
    }
    releve_json_check_keys(c, o, path, keys);
    if (releve_json_int(c, o, path, "period", 1, &year) != 1 ||
        releve_json_string(c, o, path, "opens", 1, &k->opens) != 1 ||
        releve_json_string(c, o, path, "due", 1, &k->due) != 1)
      continue;
    k->year = (int)year;
    if (year < cfg->first_year || year > cfg->last_year) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, path, "period"), 0, 0,
                       "%lld is outside the contract (%d to %d)", year, cfg->first_year,
                       cfg->last_year);
      continue;
    }
    if (!valid_date(k->opens) || !valid_date(k->due)) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                       "opens and due must be dates written YYYY-MM-DD");
      continue;
    }
    if (strcmp(k->opens, k->due) > 0) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                       "opens (%s) is after due (%s)", k->opens, k->due);
      continue;
    }
    cfg->n_campaigns++;
  }
}

static void load_lists(releve_config *cfg, const releve_jctx *c) {
  if (releve_json_array(c, cfg->root, "", "sources", 0, &cfg->sources) != 1)
    cfg->sources = NULL;
  else if (cfg->actors) /* sources name actors */
    releve_sources_load(cfg, c, NULL);
  if (releve_json_object(c, cfg->root, "", "reminders", 0, &cfg->reminders) != 1)
    cfg->reminders = NULL;
  releve_ladder_check(cfg->reminders, c);
}

static void load_referentiel(releve_config *cfg, const releve_jctx *c, releve_diags *diags) {
  cfg->referentiel_path = path_key(cfg, c, cfg->root, "", "referentiel", NULL);
  if (cfg->referentiel_path)
    releve_referentiel_load(&cfg->ref, cfg->referentiel_path, diags);
  else
    releve_referentiel_parse(&cfg->ref, "(built-in référentiel)", releve_default_referentiel_json,
                             diags);
}

static char *default_plugin_dir(void) {
  struct stat st;
  if (stat(RELEVE_BUILD_PLUGIN_DIR, &st) == 0 && S_ISDIR(st.st_mode))
    return RELEVE_BUILD_PLUGIN_DIR;
  return RELEVE_INSTALLED_PLUGIN_DIR;
}

int releve_config_load(releve_config *cfg, const char *file, releve_diags *diags) {
  releve_jctx c;
  size_t errors_before = releve_diags_count(diags, RELEVE_DIAG_ERROR);

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
  releve_json_check_keys(&c, cfg->root, "", top_keys);
  cfg->database = path_key(cfg, &c, cfg->root, "", "database", "var/releve.db");
  cfg->spool = path_key(cfg, &c, cfg->root, "", "spool", "spool");
  cfg->plugins = path_key(cfg, &c, cfg->root, "", "plugins", default_plugin_dir());
  load_contract(cfg, &c);
  load_mail(cfg, &c);
  load_daemon(cfg, &c);
  load_validation(cfg, &c);
  load_referentiel(cfg, &c, diags);
  if (cfg->ref.root)
    load_actors(cfg, &c);
  load_campaigns(cfg, &c);
  releve_addresses_config_load(cfg, &c);
  releve_privacy_secrecy_load(cfg, &c);
  load_lists(cfg, &c);
  return releve_diags_count(diags, RELEVE_DIAG_ERROR) > errors_before ? -EINVAL : 0;
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

void releve_config_check_environment(const releve_config *cfg, releve_diags *diags) {
  const char *file = cfg->file ? cfg->file : "(built-in default)";
  struct stat st;

  check_writable(file, "database", cfg->database, 0, diags);
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
  size_t i;
  for (i = 0; i < cfg->n_actors; i++) {
    free(cfg->actors[i].emails);
    if (cfg->actors[i].plugins != (const char **)template_only)
      free(cfg->actors[i].plugins);
    free(cfg->actors[i].plugins_path);
    free(cfg->actors[i].scopes);
  }
  free(cfg->actors);
  free(cfg->campaigns);
  releve_addr_ref_free(cfg->addresses);
  releve_referentiel_free(&cfg->ref);
  json_decref(cfg->root);
  free(cfg->file);
  free(cfg->dir);
  free(cfg->database);
  free(cfg->spool);
  free(cfg->plugins);
  free(cfg->referentiel_path);
  free(cfg->outbox);
  free(cfg->mail_credentials);
  memset(cfg, 0, sizeof *cfg);
}

int releve_email_placeholder(const char *address) {
  const char *at = strchr(address, '@');
  return at && strcasecmp(at, "@example.org") == 0;
}

const releve_actor *releve_config_actor(const releve_config *cfg, const char *id) {
  releve_actor key;
  key.id = id;
  if (cfg->actors == NULL)
    return NULL;
  return bsearch(&key, cfg->actors, cfg->n_actors, sizeof key, cmp_actor);
}

const char *const *releve_config_geographies(const releve_actor *actor,
                                             const releve_indicator *ind) {
  return actor->scopes ? (const char *const *)actor->scopes : ind->geographies;
}
