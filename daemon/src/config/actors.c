/* actors.c -- a contract's "actors" (one entry per actor of its
 * référentiel, defaults for those it does not list) and "campaigns" (each
 * period's opening and due dates). */
#include <errno.h>
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

static void load_actor_entry(releve_contract *k, const releve_jctx *c, json_t *a,
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
  act = bsearch(&key, k->actors, k->n_actors, sizeof key, cmp_actor);
  if (act == NULL) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, "id"), 0, 0,
                     "\"%s\" is not an actor of the référentiel%s%s (see `releve referentiel`)",
                     id, *k->where ? " of contract " : "", *k->where ? k->id : "");
    return;
  }
  if (act->configured) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, "id"), 0, 0,
                     "actor \"%s\" is configured twice", id);
    return;
  }
  act->configured = 1;
  act->path = strdup(path);
  releve_json_string(c, a, path, "name", 0, &act->name);
  load_actor_plugins(act, c, a, path);
  releve_json_object(c, a, path, "options", 0, &act->options);
  releve_privacy_actor_load(act, c, a, path);
  if (releve_json_object(c, a, path, "mapping", 0, &act->mapping) == 1)
    releve_mapping_check(act->mapping, c, releve_json_path(where, sizeof where, path, "mapping"),
                         &k->ref, id);
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

void releve__config_contract_actors(releve_contract *k, const releve_jctx *c, json_t *holder) {
  json_t *arr, *a;
  size_t i;
  char path[96], list_path[64];

  if (k->ref.root == NULL)
    return; /* the référentiel is broken: its actors are unknown */
  k->actors = calloc(k->ref.n_actors + 1, sizeof *k->actors);
  if (k->actors == NULL)
    return;
  for (i = 0; i < k->ref.n_actors; i++) {
    releve_actor *act = &k->actors[i];
    act->id = k->ref.actors[i].id;
    act->name = k->ref.actors[i].name;
    act->plugins = (const char **)template_only;
    act->n_plugins = 1;
    act->template_implied = 1;
    act->plugin = "template";
    act->scopes = NULL;
  }
  k->n_actors = k->ref.n_actors; /* référentiel actors are already sorted by id */
  releve_json_path(list_path, sizeof list_path, k->where, "actors");
  if (releve_json_array(c, holder, k->where, "actors", 0, &arr) == 1)
    json_array_foreach(arr, i, a) {
      releve_json_index(path, sizeof path, list_path, i);
      load_actor_entry(k, c, a, path);
    }
  {
    releve_buf list = RELEVE_BUF_INIT, held = RELEVE_BUF_INIT;
    size_t n = 0, n_held = 0;
    for (i = 0; i < k->n_actors; i++) {
      if (!k->actors[i].configured) {
        releve_buf_addf(&list, "%s%s", n ? ", " : "", k->actors[i].id);
        n++;
      }
      if (k->actors[i].placeholder) {
        releve_buf_addf(&held, "%s%s", n_held ? ", " : "", k->actors[i].id);
        n_held++;
      }
    }
    if (n)
      releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, list_path, 0, 0,
                       "%zu actor%s of the référentiel ha%s no entry, so no contact email: "
                       "they can drop files but get no reminder (%s)",
                       n, n == 1 ? "" : "s", n == 1 ? "s" : "ve", list.data);
    /* One line, however many: the list is what the coordinator edits. */
    if (n_held)
      releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, list_path, 0, 0,
                       "%zu actor%s still ha%s the placeholder address written by `releve "
                       "init` (@example.org) and get%s no reminder until it is replaced: %s",
                       n_held, n_held == 1 ? "" : "s", n_held == 1 ? "s" : "ve",
                       n_held == 1 ? "s" : "", held.data);
    releve_buf_free(&list);
    releve_buf_free(&held);
  }
}

void releve__config_actors_free(releve_actor *actors, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    free(actors[i].emails);
    if (actors[i].plugins != (const char **)template_only)
      free(actors[i].plugins);
    free(actors[i].plugins_path);
    free(actors[i].scopes);
    free(actors[i].path);
  }
  free(actors);
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

void releve__config_contract_campaigns(releve_contract *ct, const releve_jctx *c,
                                       json_t *holder) {
  static const char *const keys[] = {"period", "opens", "due", NULL};
  json_t *arr, *o;
  size_t i;
  char path[96], where[128], list_path[64];

  releve_json_path(list_path, sizeof list_path, ct->where, "campaigns");
  if (releve_json_array(c, holder, ct->where, "campaigns", 0, &arr) != 1)
    return;
  ct->campaigns = calloc(json_array_size(arr) + 1, sizeof *ct->campaigns);
  if (ct->campaigns == NULL)
    return;
  json_array_foreach(arr, i, o) {
    releve_campaign *k = &ct->campaigns[ct->n_campaigns];
    long long year = 0;
    releve_json_index(path, sizeof path, list_path, i);
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
    if (year < ct->first_year || year > ct->last_year) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, path, "period"), 0, 0,
                       "%lld is outside the contract (%d to %d)", year, ct->first_year,
                       ct->last_year);
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
    ct->n_campaigns++;
  }
}

/* ---- lookups --------------------------------------------------------------- */

int releve_config_email_placeholder(const char *address) {
  const char *at = strchr(address, '@');
  return at && strcasecmp(at, "@example.org") == 0;
}

static int cmp_actor_ptr(const void *a, const void *b) {
  return strcmp((*(const releve_actor *const *)a)->id, (*(const releve_actor *const *)b)->id);
}

const releve_actor *releve_config_actor(const releve_config *cfg, const char *id) {
  releve_actor key;
  const releve_actor *kp = &key, *const *hit;
  key.id = id;
  if (cfg->actors == NULL)
    return NULL;
  if (cfg->actors_by_id == NULL) /* one contract's actors, sorted by id */
    return bsearch(&key, cfg->actors, cfg->n_actors, sizeof key, cmp_actor);
  hit = bsearch(&kp, cfg->actors_by_id, cfg->n_actors, sizeof *hit, cmp_actor_ptr);
  return hit ? *hit : NULL;
}

int releve__config_index_actors(releve_config *cfg) {
  size_t i;
  cfg->actors_by_id = calloc(cfg->n_actors + 1, sizeof *cfg->actors_by_id);
  if (cfg->actors_by_id == NULL)
    return -ENOMEM;
  for (i = 0; i < cfg->n_actors; i++)
    cfg->actors_by_id[i] = &cfg->actors[i];
  qsort(cfg->actors_by_id, cfg->n_actors, sizeof *cfg->actors_by_id, cmp_actor_ptr);
  return 0;
}

const char *const *releve_config_geographies(const releve_actor *actor,
                                             const releve_indicator *ind) {
  return actor->scopes ? (const char *const *)actor->scopes : ind->geographies;
}
