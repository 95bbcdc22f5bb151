#include "referentiel/referentiel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/sha256.h"

static const char *const unit_names[] = {"count", "percent", "amount", "text", NULL};
static const char *const period_names[] = {"year", "school_year", NULL};
static const char *const target_names[] = {"none", "level", "share", "rise",
                                           "floor", "range", "qualitative", "fall", NULL};
static const char *const counts_names[] = {"persons", "households", "structures", "actions",
                                           "places",  "hours",      "surface",    NULL};

const char *releve_unit_name(releve_unit u) { return unit_names[u]; }

const char *releve_unit_label(releve_unit u) {
  static const char *const labels[] = {"nombre", "pourcentage", "montant (euros)", "texte"};
  return labels[u];
}
const char *releve_period_kind_name(releve_period_kind k) { return period_names[k]; }
const char *releve_target_kind_name(releve_target_kind k) { return target_names[k]; }
const char *releve_counts_name(releve_counts c) { return counts_names[c]; }

/* The levels of the tree below a theme, with the key holding each level's
 * children. */
static const char *const level_keys[] = {"objectives", "sub_objectives", "goals", "actions",
                                         "indicators"};
enum { LEVEL_THEME, LEVEL_OBJECTIVE, LEVEL_SUB, LEVEL_GOAL, LEVEL_ACTION, LEVEL_INDICATOR };

typedef struct loader {
  releve_jctx c;
  releve_referentiel *r;
  const releve_node *parents[LEVEL_INDICATOR];
  int failed;
} loader;

static int lookup_name(const char *const *names, const char *s) {
  int i;
  for (i = 0; names[i]; i++)
    if (strcmp(names[i], s) == 0)
      return i;
  return -1;
}

static int enum_field(loader *l, json_t *obj, const char *path, const char *key,
                      const char *const *names, int *out) {
  const char *s;
  char where[512];
  int rc = releve_json_string(&l->c, obj, path, key, 1, &s);

  if (rc != 1)
    return -1;
  *out = lookup_name(names, s);
  if (*out < 0) {
    releve_buf list = RELEVE_BUF_INIT;
    const char *const *n;
    for (n = names; *n; n++)
      releve_buf_addf(&list, "%s%s", n == names ? "" : ", ", *n);
    releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file,
                     releve_json_path(where, sizeof where, path, key), 0, 0,
                     "\"%s\" is not one of: %s", s, list.data);
    releve_buf_free(&list);
    return -1;
  }
  return 0;
}

static void parse_target(loader *l, json_t *obj, const char *path, releve_target *t) {
  static const char *const keys[] = {"text", "kind", "value", "min", "max", "percent", "rise", "share", "cumulative", NULL};
  json_t *tj;
  char tpath[512];
  int kind;

  if (releve_json_object(&l->c, obj, path, "target", 1, &tj) != 1)
    return;
  releve_json_path(tpath, sizeof tpath, path, "target");
  releve_json_check_keys(&l->c, tj, tpath, keys);
  releve_json_string(&l->c, tj, tpath, "text", 1, &t->text);
  if (enum_field(l, tj, tpath, "kind", target_names, &kind) != 0)
    return;
  t->kind = (releve_target_kind)kind;
  switch (t->kind) {
  case RELEVE_TARGET_LEVEL:
  case RELEVE_TARGET_SHARE:
  case RELEVE_TARGET_RISE:
  case RELEVE_TARGET_FLOOR:
  case RELEVE_TARGET_FALL:
    releve_json_number(&l->c, tj, tpath, "value", 1, &t->value);
    break;
  case RELEVE_TARGET_RANGE:
    if (releve_json_number(&l->c, tj, tpath, "min", 1, &t->min) == 1 &&
        releve_json_number(&l->c, tj, tpath, "max", 1, &t->max) == 1 && t->min > t->max)
      releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, tpath, 0, 0,
                       "min %g is above max %g", t->min, t->max);
    break;
  default:
    break;
  }
  if (t->kind == RELEVE_TARGET_LEVEL)
    releve_json_bool(&l->c, tj, tpath, "cumulative", 0, &t->cumulative);
  if (t->kind == RELEVE_TARGET_FLOOR)
    releve_json_bool(&l->c, tj, tpath, "percent", 0, &t->percent);
  if (t->kind == RELEVE_TARGET_FALL && (t->value <= 0 || t->value > 100))
    releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, tpath, 0, 0,
                     "a fall target is a decrease from more than 0 to 100 %%, not %g", t->value);
  if (t->kind == RELEVE_TARGET_SHARE && (t->value < 0 || t->value > 100))
    releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, tpath, 0, 0,
                     "a share target must lie between 0 and 100, not %g", t->value);
}

/* The scopes a cell can be expected for: a quartier or an arrondissement is
 * a detail of one of them, never a cell of the référentiel's table. */
static const char *const scope_names[] = {"PARIS", "QP", "QPV", "QVA", "REP", "REP+", NULL};

static void parse_geographies(loader *l, json_t *obj, const char *path, releve_indicator *ind) {
  json_t *arr, *g;
  char where[512], at[560];
  size_t i, n = 0, k;

  if (releve_json_array(&l->c, obj, path, "geographies", 0, &arr) != 1) {
    ind->geographies[0] = "QPV";
    ind->geographies[1] = "QP";
    return;
  }
  releve_json_path(where, sizeof where, path, "geographies");
  json_array_foreach(arr, i, g) {
    const char *s = json_string_value(g);
    snprintf(at, sizeof at, "%s[%zu]", where, i);
    if (s == NULL || lookup_name(scope_names, s) < 0) {
      releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, at, 0, 0,
                       "%s%s%s is not a geography of the référentiel; one of PARIS, QP, QPV, "
                       "QVA, REP, REP+ expected",
                       s ? "\"" : "", s ? s : "not a string", s ? "\"" : "");
      continue;
    }
    for (k = 0; k < n && strcmp(ind->geographies[k], s); k++)
      ;
    if (k < n) {
      releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, at, 0, 0,
                       "\"%s\" is listed twice", s);
      continue;
    }
    ind->geographies[n++] = s; /* at most one of each of the six names */
  }
  if (n == 0)
    releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, where, 0, 0,
                     "no geography: at least one of PARIS, QP, QPV, QVA, REP, REP+ expected");
}

static void parse_indicator(loader *l, json_t *obj, const char *path) {
  static const char *const keys[] = {"id",     "label",  "actor",       "unit",
                                     "share",  "counts", "period",      "geographies",
                                     "target", "seed_line", NULL};
  releve_indicator *ind = &l->r->indicators[l->r->n_indicators++];
  long long line = 0;
  int v;

  releve_json_check_keys(&l->c, obj, path, keys);
  releve_json_string(&l->c, obj, path, "id", 1, &ind->id);
  releve_json_string(&l->c, obj, path, "label", 1, &ind->label);
  releve_json_string(&l->c, obj, path, "actor", 1, &ind->actor);
  if (enum_field(l, obj, path, "unit", unit_names, &v) == 0)
    ind->unit = (releve_unit)v;
  if (enum_field(l, obj, path, "period", period_names, &v) == 0)
    ind->period = (releve_period_kind)v;
  releve_json_bool(&l->c, obj, path, "share", 0, &ind->share);
  if (json_object_get(obj, "counts") && enum_field(l, obj, path, "counts", counts_names, &v) == 0)
    ind->counts = (releve_counts)v;
  parse_geographies(l, obj, path, ind);
  releve_json_int(&l->c, obj, path, "seed_line", 0, &line);
  ind->seed_line = (int)line;
  parse_target(l, obj, path, &ind->target);
  ind->theme = l->parents[LEVEL_THEME];
  ind->objective = l->parents[LEVEL_OBJECTIVE];
  ind->sub_objective = l->parents[LEVEL_SUB];
  ind->goal = l->parents[LEVEL_GOAL];
  ind->action = l->parents[LEVEL_ACTION];
  if (ind->id == NULL)
    ind->id = "";
  if (ind->actor && releve_referentiel_actor(l->r, ind->actor) == NULL) {
    char where[512];
    releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file,
                     releve_json_path(where, sizeof where, path, "actor"), 0, 0,
                     "actor \"%s\" is not in the top-level \"actors\" list", ind->actor);
  }
}

/* Walks one node of level `level` and its children. When counting, only
 * tallies nodes and indicators. */
static void walk(loader *l, json_t *obj, const char *path, int level, size_t *n_nodes,
                 size_t *n_ind, int counting) {
  static const char *const node_keys[] = {"id", "name", "label", "objectives", "sub_objectives",
                                          "goals", "actions", "indicators", "actors",
                                          "actors_text", "seed_line", NULL};
  json_t *children, *child;
  size_t i;
  char cpath[512], key[512];

  if (!json_is_object(obj)) {
    if (!counting)
      releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, path, 0, 0,
                       "is %s; an object is expected", releve_json_type_name(obj));
    return;
  }
  if (level == LEVEL_INDICATOR) {
    if (counting)
      (*n_ind)++;
    else
      parse_indicator(l, obj, path);
    return;
  }
  if (counting) {
    (*n_nodes)++;
  } else {
    releve_node *node = &l->r->nodes[l->r->n_nodes++];
    releve_json_check_keys(&l->c, obj, path, node_keys);
    releve_json_string(&l->c, obj, path, "id", 1, &node->id);
    if (releve_json_string(&l->c, obj, path, level == LEVEL_ACTION ? "label" : "name", 1,
                           &node->name) != 1)
      node->name = "";
    if (node->id == NULL)
      node->id = "";
    l->parents[level] = node;
  }
  if (counting) {
    children = json_object_get(obj, level_keys[level]);
    if (!json_is_array(children))
      return;
  } else if (releve_json_array(&l->c, obj, path, level_keys[level], 1, &children) != 1) {
    return;
  }
  releve_json_path(key, sizeof key, path, level_keys[level]);
  json_array_foreach(children, i, child) {
    releve_json_index(cpath, sizeof cpath, key, i);
    walk(l, child, cpath, level + 1, n_nodes, n_ind, counting);
  }
}

static void parse_theme(loader *l, json_t *t, const char *path, releve_node *node) {
  static const char *const keys[] = {"id", "name", "objectives", NULL};
  json_t *objs, *o;
  size_t j;
  char key[128], opath[160];

  node->id = node->name = "";
  if (!json_is_object(t)) {
    releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, path, 0, 0,
                     "is %s; an object is expected", releve_json_type_name(t));
    return;
  }
  releve_json_check_keys(&l->c, t, path, keys);
  releve_json_string(&l->c, t, path, "id", 1, &node->id);
  releve_json_string(&l->c, t, path, "name", 1, &node->name);
  l->parents[LEVEL_THEME] = node;
  if (releve_json_array(&l->c, t, path, "objectives", 1, &objs) != 1)
    return;
  releve_json_path(key, sizeof key, path, "objectives");
  json_array_foreach(objs, j, o) {
    releve_json_index(opath, sizeof opath, key, j);
    walk(l, o, opath, LEVEL_OBJECTIVE, NULL, NULL, 0);
  }
}

static int cmp_ind(const void *a, const void *b) {
  const releve_indicator *x = *(releve_indicator *const *)a, *y = *(releve_indicator *const *)b;
  return strcmp(x->id, y->id);
}

static int cmp_actor(const void *a, const void *b) {
  return strcmp(((const releve_ref_actor *)a)->id, ((const releve_ref_actor *)b)->id);
}

static void parse_actors(loader *l, json_t *root) {
  static const char *const keys[] = {"id", "name", NULL};
  json_t *arr, *a;
  size_t i;
  char path[64];

  if (releve_json_array(&l->c, root, "", "actors", 1, &arr) != 1)
    return;
  l->r->actors = calloc(json_array_size(arr) + 1, sizeof *l->r->actors);
  if (l->r->actors == NULL) {
    l->failed = -ENOMEM;
    return;
  }
  json_array_foreach(arr, i, a) {
    releve_ref_actor *ra = &l->r->actors[l->r->n_actors];
    releve_json_index(path, sizeof path, "actors", i);
    if (!json_is_object(a)) {
      releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, path, 0, 0,
                       "is %s; an object is expected", releve_json_type_name(a));
      continue;
    }
    releve_json_check_keys(&l->c, a, path, keys);
    if (releve_json_string(&l->c, a, path, "id", 1, &ra->id) == 1 &&
        releve_json_string(&l->c, a, path, "name", 1, &ra->name) == 1)
      l->r->n_actors++;
  }
  qsort(l->r->actors, l->r->n_actors, sizeof *l->r->actors, cmp_actor);
  for (i = 1; i < l->r->n_actors; i++)
    if (strcmp(l->r->actors[i - 1].id, l->r->actors[i].id) == 0)
      releve_diags_add(l->c.diags, RELEVE_DIAG_ERROR, l->c.file, "actors", 0, 0,
                       "actor id \"%s\" appears twice", l->r->actors[i].id);
}

int releve_referentiel_parse(releve_referentiel *r, const char *file, const char *text,
                             releve_diags *diags) {
  static const char *const keys[] = {"version", "title", "source", "actors", "themes", NULL};
  loader l;
  json_t *themes, *t;
  size_t i, n_nodes = 0, n_ind = 0, errors_before = releve_diags_count(diags, RELEVE_DIAG_ERROR);
  char path[64];

  memset(r, 0, sizeof *r);
  memset(&l, 0, sizeof l);
  l.c.file = file;
  l.c.diags = diags;
  l.r = r;
  r->root = releve_json_load_string(&l.c, text);
  if (r->root == NULL)
    return -EINVAL;
  releve_sha256_hex(text, strlen(text), r->sha256);
  if (!json_is_object(r->root)) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, NULL, 0, 0,
                     "the référentiel must be a JSON object");
    return -EINVAL;
  }
  releve_json_check_keys(&l.c, r->root, "", keys);
  if (releve_json_string(&l.c, r->root, "", "title", 0, &r->title) != 1)
    r->title = "";
  parse_actors(&l, r->root);
  if (releve_json_array(&l.c, r->root, "", "themes", 1, &themes) != 1)
    return -EINVAL;
  /* Every theme takes a slot, even one that is not an object (reported below). */
  json_array_foreach(themes, i, t) {
    if (!json_is_object(t))
      n_nodes++;
    walk(&l, t, "", LEVEL_THEME, &n_nodes, &n_ind, 1);
  }
  r->nodes = calloc(n_nodes + 1, sizeof *r->nodes);
  r->indicators = calloc(n_ind + 1, sizeof *r->indicators);
  r->by_id = calloc(n_ind + 1, sizeof *r->by_id);
  if (r->nodes == NULL || r->indicators == NULL || r->by_id == NULL || l.failed)
    return -ENOMEM;
  /* Themes take the first slots so that nodes[0..n_themes) are the themes;
   * the nodes below them are appended after. */
  r->n_themes = json_array_size(themes);
  r->n_nodes = r->n_themes;
  json_array_foreach(themes, i, t) {
    releve_json_index(path, sizeof path, "themes", i);
    parse_theme(&l, t, path, &r->nodes[i]);
  }
  for (i = 0; i < r->n_indicators; i++)
    r->by_id[i] = &r->indicators[i];
  qsort(r->by_id, r->n_indicators, sizeof *r->by_id, cmp_ind);
  for (i = 1; i < r->n_indicators; i++)
    if (strcmp(r->by_id[i - 1]->id, r->by_id[i]->id) == 0)
      releve_diags_add(diags, RELEVE_DIAG_ERROR, file, NULL, 0, 0,
                       "indicator id \"%s\" appears twice (seed lines %d and %d)",
                       r->by_id[i]->id, r->by_id[i - 1]->seed_line, r->by_id[i]->seed_line);
  if (r->n_indicators == 0)
    releve_diags_add(diags, RELEVE_DIAG_ERROR, file, "themes", 0, 0,
                     "the référentiel has no indicator");
  return releve_diags_count(diags, RELEVE_DIAG_ERROR) > errors_before ? -EINVAL : 0;
}

int releve_referentiel_load(releve_referentiel *r, const char *path, releve_diags *diags) {
  char *text;
  int rc = releve_fs_read_file(path, &text, NULL);

  if (rc) {
    memset(r, 0, sizeof *r);
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, NULL, 0, 0, "cannot read: %s",
                     strerror(-rc));
    return rc;
  }
  rc = releve_referentiel_parse(r, path, text, diags);
  free(text);
  return rc;
}

void releve_referentiel_free(releve_referentiel *r) {
  json_decref(r->root);
  free(r->actors);
  free(r->nodes);
  free(r->indicators);
  free(r->by_id);
  memset(r, 0, sizeof *r);
}

const releve_indicator *releve_referentiel_find(const releve_referentiel *r, const char *id) {
  size_t lo = 0, hi = r->n_indicators;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(id, r->by_id[mid]->id);
    if (c == 0)
      return r->by_id[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

const releve_ref_actor *releve_referentiel_actor(const releve_referentiel *r, const char *id) {
  releve_ref_actor key = {id, NULL};
  if (r->actors == NULL)
    return NULL;
  return bsearch(&key, r->actors, r->n_actors, sizeof key, cmp_actor);
}
