/* contracts.c -- the contracts of releve.json: "contracts": [...], each
 * with its référentiel, years, QPV vintage, actors, campaigns and
 * reminders; or the old form, whose top-level "referentiel", "contract",
 * "actors", "campaigns" and "reminders" make one contract. Actor ids are
 * unique across the configuration: spool folders, reply tokens and
 * submissions are keyed by actor alone, and a submission's contract is its
 * actor's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "util/buf.h"

/* The id of the old form's contract when "contract" names none. */
#define DEFAULT_CONTRACT_ID "contrat"

static void load_referentiel(releve_config *cfg, releve_contract *k, const releve_jctx *c,
                             json_t *holder) {
  k->referentiel_path = releve__config_path_key(cfg, c, holder, k->where, "referentiel", NULL);
  if (k->referentiel_path)
    releve_referentiel_load(&k->ref, k->referentiel_path, c->diags);
  else
    releve_referentiel_parse(&k->ref, "(built-in référentiel)", releve_default_referentiel_json,
                             c->diags);
}

/* "first_year" and "last_year" of o (at path at), left at their defaults
 * when absent unless required. */
static void load_years(releve_contract *k, const releve_jctx *c, json_t *o, const char *at,
                       int required) {
  static const char *const years[] = {"first_year", "last_year"};
  size_t i;
  char where[96];

  int *year[2];

  year[0] = &k->first_year;
  year[1] = &k->last_year;
  for (i = 0; required && i < 2; i++)
    if (json_object_get(o, years[i]) == NULL)
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, at, years[i]), 0, 0,
                       "is missing; the contract's %s year (e.g. %d) is expected",
                       i ? "last" : "first", i ? 2030 : 2024);
  releve__config_int_key(c, o, at, "first_year", 2000, 2100, &k->first_year);
  releve__config_int_key(c, o, at, "last_year", 2000, 2100, &k->last_year);
  /* A missing year, said above, is taken as the other so that the
   * campaigns are still checked against a plausible span. */
  for (i = 0; required && i < 2; i++)
    if (*year[i] == 0)
      *year[i] = *year[1 - i];
  if (k->first_year > k->last_year)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, at, 0, 0,
                     "first_year %d is after last_year %d", k->first_year, k->last_year);
}

/* "id" and "name" of o; the id must be able to name a folder and be the
 * only one of its kind. */
static void load_id(releve_config *cfg, releve_contract *k, const releve_jctx *c, json_t *o,
                    const char *at, int required) {
  const char *id = NULL;
  char where[96];
  size_t i;

  releve_json_string(c, o, at, "name", 0, &k->name);
  if (releve_json_string(c, o, at, "id", required, &id) != 1)
    return;
  releve_json_path(where, sizeof where, at, "id");
  if (!releve_source_id_ok(id)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, where, 0, 0,
                     "\"%s\" cannot name a contract; letters, digits, '-', '_' and '.' (not "
                     "first), at most 64, are expected (e.g. \"paris-2024\")",
                     id);
    return;
  }
  for (i = 0; &cfg->contracts[i] != k; i++)
    if (strcmp(cfg->contracts[i].id, id) == 0) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, where, 0, 0,
                       "contract \"%s\" is already contracts[%zu]; each contract has its own id",
                       id, i);
      return;
    }
  k->id = id;
}

static void load_geography(releve_contract *k, const releve_jctx *c, json_t *o) {
  const char *g = NULL;
  char where[96];

  if (releve_json_string(c, o, k->where, "geography", 1, &g) != 1)
    return;
  if (strcmp(g, "qpv_2015") != 0 && strcmp(g, "qpv_2024") != 0) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, k->where, "geography"), 0, 0,
                     "\"%s\" is not a QPV vintage; \"qpv_2015\" or \"qpv_2024\" is expected", g);
    return;
  }
  k->geography = g;
}

static void load_old_form(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"id", "name", "first_year", "last_year", NULL};
  releve_contract *k = &cfg->contracts[0];
  json_t *o = NULL;

  k->id = DEFAULT_CONTRACT_ID;
  k->first_year = 2015;
  k->last_year = 2023;
  load_referentiel(cfg, k, c, cfg->root);
  if (releve_json_object(c, cfg->root, "", "contract", 0, &o) == 1) {
    releve_json_check_keys(c, o, "contract", keys);
    load_id(cfg, k, c, o, "contract", 0);
    load_years(k, c, o, "contract", 0);
  }
  releve__config_contract_actors(k, c, cfg->root);
  releve__config_contract_campaigns(k, c, cfg->root);
  if (releve_json_object(c, cfg->root, "", "reminders", 0, &o) != 1)
    o = NULL;
  releve_ladder_load_at(o, c, "reminders", &k->ladder);
}

static void load_contract(releve_config *cfg, releve_contract *k, json_t *o,
                          const releve_ladder *top_ladder, const releve_jctx *c) {
  static const char *const keys[] = {"id",         "name",      "first_year", "last_year",
                                     "referentiel", "geography", "actors",     "campaigns",
                                     "reminders",  NULL};
  json_t *own = NULL;
  char where[96];

  k->ladder = *top_ladder;
  if (!json_is_object(o)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, k->where, 0, 0,
                     "is %s; a contract object ({\"id\": …, \"first_year\": …, …}) is expected",
                     releve_json_type_name(o));
    return;
  }
  releve_json_check_keys(c, o, k->where, keys);
  load_id(cfg, k, c, o, k->where, 1);
  load_referentiel(cfg, k, c, o);
  load_years(k, c, o, k->where, 1);
  load_geography(k, c, o);
  releve__config_contract_actors(k, c, o);
  releve__config_contract_campaigns(k, c, o);
  if (releve_json_object(c, o, k->where, "reminders", 0, &own) == 1)
    releve_ladder_load_at(own, c, releve_json_path(where, sizeof where, k->where, "reminders"),
                          &k->ladder);
}

/* The old form's keys beside "contracts" would make two answers to which
 * contract they are of. */
static void refuse_mixed_forms(const releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"referentiel", "contract", "actors", "campaigns", NULL};
  releve_buf list = RELEVE_BUF_INIT;
  size_t i, n = 0;

  for (i = 0; keys[i]; i++)
    if (json_object_get(cfg->root, keys[i])) {
      releve_buf_addf(&list, "%s\"%s\"", n ? ", " : "", keys[i]);
      n++;
    }
  if (n)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "contracts", 0, 0,
                     "is given with the top-level %s: with \"contracts\", each contract holds "
                     "its own \"referentiel\", years, \"actors\" and \"campaigns\"; move %s "
                     "into the contract they are of",
                     list.data, n == 1 ? "it" : "them");
  releve_buf_free(&list);
}

static const char *actor_place(const releve_actor *a, char *buf, size_t size) {
  if (a->path)
    return a->path;
  snprintf(buf, size, "the référentiel of %s (\"%s\")", a->contract->where, a->contract->id);
  return buf;
}

/* Every contract's actors into one array, contract by contract, each
 * contract keeping its slice; two actors of one id are refused. */
static void merge_actors(releve_config *cfg, const releve_jctx *c) {
  size_t i, j, n = 0, off = 0;
  char one[128], two[128];

  for (i = 0; i < cfg->n_contracts; i++)
    n += cfg->contracts[i].n_actors;
  if ((cfg->actors = calloc(n + 1, sizeof *cfg->actors)) == NULL)
    return; /* each contract frees its own */
  for (i = 0; i < cfg->n_contracts; i++) {
    releve_contract *k = &cfg->contracts[i];
    if (k->n_actors)
      memcpy(cfg->actors + off, k->actors, k->n_actors * sizeof *k->actors);
    free(k->actors);
    k->actors = cfg->actors + off;
    for (j = 0; j < k->n_actors; j++)
      k->actors[j].contract = k;
    off += k->n_actors;
  }
  cfg->n_actors = n;
  if (releve__config_index_actors(cfg) != 0)
    return;
  for (i = 1; i < n; i++) {
    const releve_actor *a = cfg->actors_by_id[i - 1], *b = cfg->actors_by_id[i];
    if (strcmp(a->id, b->id) != 0)
      continue;
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, b->path ? b->path : b->contract->where,
                     0, 0,
                     "actor \"%s\" is both in %s and in %s: actor ids are unique across the "
                     "configuration; a partner of two contracts is two actors (e.g. \"%s-2015\" "
                     "and \"%s-2024\"), each in its contract's référentiel",
                     a->id, actor_place(a, one, sizeof one), actor_place(b, two, sizeof two),
                     a->id, a->id);
  }
}

/* What the configuration's one-contract fields borrow from k. */
static void borrow_contract(releve_config *cfg, const releve_contract *k) {
  cfg->referentiel_path = k->referentiel_path;
  cfg->ref = k->ref;
  cfg->first_year = k->first_year;
  cfg->last_year = k->last_year;
  cfg->campaigns = k->campaigns;
  cfg->n_campaigns = k->n_campaigns;
  cfg->ladder = k->ladder;
}

void releve__config_contracts(releve_config *cfg, const releve_jctx *c) {
  json_t *arr = NULL, *o, *top = NULL;
  releve_ladder top_ladder;
  size_t i;
  int many = releve_json_array(c, cfg->root, "", "contracts", 0, &arr) == 1;

  if (json_object_get(cfg->root, "contracts") && !many)
    return; /* not an array: said */
  if (many && json_array_size(arr) == 0) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "contracts", 0, 0,
                     "is empty; at least one contract is expected");
    return;
  }
  cfg->n_contracts = many ? json_array_size(arr) : 1;
  if ((cfg->contracts = calloc(cfg->n_contracts, sizeof *cfg->contracts)) == NULL) {
    cfg->n_contracts = 0;
    return;
  }
  if (!many) {
    load_old_form(cfg, c);
  } else {
    refuse_mixed_forms(cfg, c);
    if (releve_json_object(c, cfg->root, "", "reminders", 0, &top) != 1)
      top = NULL;
    releve_ladder_load_at(top, c, "reminders", &top_ladder);
    json_array_foreach(arr, i, o) {
      releve_contract *k = &cfg->contracts[i];
      k->id = "";
      releve_json_index(k->where, sizeof k->where, "contracts", i);
      load_contract(cfg, k, o, &top_ladder, c);
    }
  }
  merge_actors(cfg, c);
  /* The first contract stands for the configuration where one is meant. */
  borrow_contract(cfg, &cfg->contracts[0]);
}

void releve__config_contracts_free(releve_config *cfg) {
  size_t i;

  if (cfg->actors)
    releve__config_actors_free(cfg->actors, cfg->n_actors);
  for (i = 0; i < cfg->n_contracts; i++) {
    releve_contract *k = &cfg->contracts[i];
    if (cfg->actors == NULL)
      releve__config_actors_free(k->actors, k->n_actors);
    releve_referentiel_free(&k->ref);
    free(k->referentiel_path);
    free(k->campaigns);
  }
  free(cfg->actors_by_id);
  free(cfg->contracts);
}

const releve_contract *releve_config_contract(const releve_config *cfg, const char *id) {
  size_t i;
  for (i = 0; i < cfg->n_contracts; i++)
    if (strcmp(cfg->contracts[i].id, id) == 0)
      return &cfg->contracts[i];
  return NULL;
}

void releve_config_view(const releve_config *cfg, const releve_contract *k, releve_config *view) {
  *view = *cfg;
  borrow_contract(view, k);
  view->actors = k->actors;
  view->n_actors = k->n_actors;
  view->actors_by_id = NULL;
  view->contracts = (releve_contract *)k;
  view->n_contracts = 1;
}
