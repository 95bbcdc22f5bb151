/* actors.c -- the "actors" section of releve.json (one entry per actor of
 * the référentiel, defaults for those it does not list) and the
 * "campaigns" (each period's opening and due dates). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"
#include "config/mapping.h"
#include "config/privacy.h"
#include "util/buf.h"

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
      if (!releve__config_valid_email(act->emails[i]))
        releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, item, 0, 0,
                         "\"%s\" is not a mail address (name@domain expected)", act->emails[i]);
      else if (releve_config_email_placeholder(act->emails[i]))
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

void releve__config_actors(releve_config *cfg, const releve_jctx *c) {
  json_t *arr, *a;
  size_t i;
  char path[64];

  if (cfg->ref.root == NULL)
    return; /* the référentiel is broken: its actors are unknown */
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

void releve__config_actors_free(releve_config *cfg) {
  size_t i;
  for (i = 0; i < cfg->n_actors; i++) {
    free(cfg->actors[i].emails);
    if (cfg->actors[i].plugins != (const char **)template_only)
      free(cfg->actors[i].plugins);
    free(cfg->actors[i].plugins_path);
    free(cfg->actors[i].scopes);
  }
  free(cfg->actors);
}

/* ---- campaigns ------------------------------------------------------------- */

static int valid_date(const char *s) {
  int y, m, d;
  char tail;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return 0;
  return y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

void releve__config_campaigns(releve_config *cfg, const releve_jctx *c) {
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

/* ---- lookups --------------------------------------------------------------- */

int releve_config_email_placeholder(const char *address) {
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
