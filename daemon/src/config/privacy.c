/* privacy.c -- see privacy.h. */
#include "config/privacy.h"

#include <string.h>

#include "address/addr_ref.h"
#include "referentiel/geo.h"

void releve_privacy_actor_load(releve_actor *act, const releve_jctx *c, json_t *entry,
                               const char *path) {
  long long days = 0;
  char where[300];
  int has_days;

  act->personal_data = 0;
  act->keep_days = 0;
  releve_json_bool(c, entry, path, "personal_data", 0, &act->personal_data);
  has_days = releve_json_int(c, entry, path, "keep_days", 0, &days) == 1;
  if (!has_days)
    return;
  releve_json_path(where, sizeof where, path, "keep_days");
  if (!act->personal_data)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, where, 0, 0,
                     "applies only to a source with \"personal_data\": true");
  else if (days < 0 || days > 366)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, where, 0, 0,
                     "%lld is out of range; 0 (delete once counted) to 366 days expected", days);
  else
    act->keep_days = (int)days;
}

void releve_privacy_secrecy_load(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"threshold", NULL};
  long long v;
  json_t *o;

  cfg->secrecy_threshold = 5; /* as the CAF does */
  if (releve_json_object(c, cfg->root, "", "secrecy", 0, &o) != 1)
    return;
  releve_json_check_keys(c, o, "secrecy", keys);
  if (releve_json_int(c, o, "secrecy", "threshold", 0, &v) != 1)
    return;
  if (v < 0 || v > 1000)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "secrecy.threshold", 0, 0,
                     "%lld is out of range; 0 (blank nothing) to 1000 expected", v);
  else
    cfg->secrecy_threshold = (int)v;
}

int releve_privacy_secrecy_covers(const releve_indicator *ind) {
  return ind->unit == RELEVE_UNIT_COUNT &&
         (ind->counts == RELEVE_COUNTS_PERSONS || ind->counts == RELEVE_COUNTS_HOUSEHOLDS);
}

/* ---- secondary suppression ------------------------------------------------ */

enum { T_QP, T_QPV, T_QVA, T_PARIS, T_N };

/* Which total a cell is a part of (-1 none); is_total gets the total it is. */
static int part_of(const releve_secrecy_cell *cell, const releve_addr_ref *addresses,
                   int *is_total) {
  const char *g = cell->geography;
  *is_total = !strcmp(g, "QP") ? T_QP : !strcmp(g, "QPV") ? T_QPV : !strcmp(g, "QVA") ? T_QVA
              : !strcmp(g, "PARIS") ? T_PARIS : -1;
  if (*is_total == T_QPV || *is_total == T_QVA)
    return T_QP;
  switch (releve_geo_classify(g)) {
  case RELEVE_GEO_QUARTIER: {
    const releve_addr_zone *z = addresses ? releve_addr_ref_zone_by_code(addresses, g) : NULL;
    return z && z->kind == RELEVE_ADDR_ZONE_QVA ? T_QVA : T_QPV;
  }
  case RELEVE_GEO_ARRONDISSEMENT:
    return T_PARIS;
  default:
    return -1;
  }
}

/* One pass over the totals: a total and its parts make one equation, so
 * a single blanked cell among them could be computed back; then the
 * smallest shown part is blanked too (or the total when no part is
 * shown). Returns whether anything changed. */
static int protect_totals(releve_secrecy_cell *cells, size_t n, const int *parent,
                          const int *total_of) {
  int changed = 0, t;
  for (t = 0; t < T_N; t++) {
    size_t i, secret = 0, total = n, smallest = n;
    for (i = 0; i < n; i++) {
      if (total_of[i] == t) {
        total = i;
        secret += cells[i].secret != 0;
      }
      if (parent[i] != t)
        continue;
      if (cells[i].secret)
        secret++;
      else if (cells[i].has_value && (smallest == n || cells[i].value < cells[smallest].value))
        smallest = i;
    }
    if (total == n || secret != 1)
      continue;
    if (smallest == n && cells[total].secret)
      continue; /* nothing shown to blank: the equation has no known side */
    cells[smallest < n ? smallest : total].secret = 1;
    changed = 1;
  }
  return changed;
}

void releve_privacy_secrecy_apply(releve_secrecy_cell *cells, size_t n, int threshold,
                                  const releve_addr_ref *addresses) {
  int parent[64], total_of[64];
  size_t i;

  if (threshold <= 0)
    return;
  for (i = 0; i < n; i++)
    if (cells[i].has_value && cells[i].value > 0 && cells[i].value < threshold)
      cells[i].secret = 1;
  if (n > sizeof parent / sizeof parent[0])
    n = sizeof parent / sizeof parent[0]; /* the export shows at most 64 geographies */
  for (i = 0; i < n; i++)
    parent[i] = part_of(&cells[i], addresses, &total_of[i]);
  /* Blanking a part can expose another total (a quartier blanked under
   * QPV, then QPV under QP): repeat until nothing changes. */
  while (protect_totals(cells, n, parent, total_of))
    ;
}
