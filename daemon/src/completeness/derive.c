#include "completeness/derive.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "address/addr_ref.h"
#include "referentiel/geo.h"
#include "store/store_sql.h"

struct releve_deriver {
  const releve_config *cfg;
  releve_stmt *value, *quartiers;
};

int releve_deriver_new(releve_store *s, const releve_config *cfg, releve_deriver **out) {
  releve_deriver *d = calloc(1, sizeof *d);
  int rc;

  *out = NULL;
  if (d == NULL)
    return -ENOMEM;
  d->cfg = cfg;
  if ((rc = releve_store_prepare(s, RELEVE_SQL_OBS_VALUE, &d->value)) != 0 ||
      (rc = releve_store_prepare(s, RELEVE_SQL_OBS_QUARTIERS, &d->quartiers)) != 0) {
    releve_deriver_free(d);
    return rc;
  }
  *out = d;
  return 0;
}

void releve_deriver_free(releve_deriver *d) {
  if (d == NULL)
    return;
  releve_stmt_finalize(d->value);
  releve_stmt_finalize(d->quartiers);
  free(d);
}

/* Binds the cell; geo NULL for the quartiers of an (indicator, period). */
static void bind_cell(releve_deriver *d, releve_stmt *st, const char *ind, const char *period,
                      const char *geo) {
  int n = 1;
  releve_stmt_bind_text(st, n++, ind);
  releve_stmt_bind_text(st, n++, period);
  if (geo)
    releve_stmt_bind_text(st, n++, geo);
  releve_stmt_bind_text(st, n, d->cfg->contracts[0].id);
}

/* 1 with the stored value of a cell that has one, 0 when it has none. */
static int stored_value(releve_deriver *d, const char *ind, const char *period, const char *geo,
                        double *v) {
  int rc, found = 0;
  bind_cell(d, d->value, ind, period, geo);
  rc = releve_stmt_step(d->value);
  if (rc == RELEVE_STMT_ROW && !releve_stmt_is_null(d->value, 0)) {
    *v = releve_stmt_double(d->value, 0);
    found = 1;
  }
  releve_stmt_reset(d->value);
  return rc < 0 ? rc : found;
}

/* The kind a geography list gives its quartiers (0 for the arrondissements). */
static int list_kind(releve_geography_list_id id) {
  return id == RELEVE_GEOGRAPHY_QVA ? RELEVE_ADDR_ZONE_QVA
         : id < RELEVE_GEOGRAPHY_QVA ? RELEVE_ADDR_ZONE_QPV
                                     : 0;
}

/* The kind of a quartier: its vintage's list when loaded (the shipped 2015
 * list of Paris's QPV by default), else what the address reference says,
 * else 0 (a quartier nothing places). */
static int quartier_kind(const releve_config *cfg, const char *code) {
  const releve_addr_zone *z;
  const releve_geography_list *l = releve_geography_list_of(&cfg->geography, code);
  if (l)
    return releve_geography_find(&cfg->geography, code)
               ? list_kind(releve_geography_list_for(code))
               : 0;
  z = cfg->addresses ? releve_addr_ref_zone_by_code(cfg->addresses, code) : NULL;
  return z ? (int)z->kind : 0;
}

/* How many quartiers of a kind make the whole in one vintage (the 2015 or
 * 2024 QPV list, the city's QVA codes): that vintage's list when loaded,
 * else the address reference's zones. */
static size_t quartiers_known(const releve_config *cfg, int kind, releve_geo_vintage v) {
  static const releve_geography_list_id of[] = {
      [RELEVE_GEO_QPV_2015] = RELEVE_GEOGRAPHY_QPV_2015,
      [RELEVE_GEO_QPV_2024] = RELEVE_GEOGRAPHY_QPV_2024,
      [RELEVE_GEO_QVA_CITY] = RELEVE_GEOGRAPHY_QVA};
  const releve_geography_list *l = &cfg->geography.lists[of[v]];
  const releve_addr_zone *z;
  size_t n = 0;
  int k;
  if (l->source)
    return list_kind(of[v]) == kind ? l->n : 0;
  for (k = 1; cfg->addresses && (z = releve_addr_ref_zone(cfg->addresses, k)) != NULL; k++)
    if ((int)z->kind == kind && z->vintage == v)
      n++;
  return n;
}

/* QPV or QVA from its quartiers, each vintage apart: a 2015 code and a
 * 2024 code never name the same ground (geo.h). */
static int from_quartiers(releve_deriver *d, const char *ind, const char *period, int kind,
                          double *value) {
  size_t have[RELEVE_GEO_QVA_CITY + 1] = {0}, v;
  double sum[RELEVE_GEO_QVA_CITY + 1] = {0};
  int rc;

  bind_cell(d, d->quartiers, ind, period, NULL);
  while ((rc = releve_stmt_step(d->quartiers)) == RELEVE_STMT_ROW) {
    const char *code = releve_stmt_text(d->quartiers, 0);
    /* A cell is one (indicator, period, geography): each code is met once. */
    if (quartier_kind(d->cfg, code) != kind)
      continue;
    v = releve_geo_vintage_of(code);
    have[v]++;
    sum[v] += releve_stmt_double(d->quartiers, 1);
  }
  releve_stmt_reset(d->quartiers);
  if (rc < 0)
    return rc;
  for (v = RELEVE_GEO_QPV_2015; v <= RELEVE_GEO_QVA_CITY; v++) {
    size_t known = quartiers_known(d->cfg, kind, (releve_geo_vintage)v);
    if (known && have[v] == known) {
      *value = sum[v];
      return 1;
    }
  }
  return 0;
}

/* QPV or QVA as given, else from its quartiers. */
static int part(releve_deriver *d, const char *ind, const char *period, const char *geo,
                double *value) {
  int rc = stored_value(d, ind, period, geo, value);
  if (rc != 0)
    return rc;
  return from_quartiers(d, ind, period,
                        strcmp(geo, "QPV") == 0 ? RELEVE_ADDR_ZONE_QPV : RELEVE_ADDR_ZONE_QVA, value);
}

int releve_derive(releve_deriver *d, const releve_indicator *ind, const char *period,
                  const char *geography, double *value) {
  double qpv, qva;
  int rc;

  if (ind->unit != RELEVE_UNIT_COUNT && ind->unit != RELEVE_UNIT_AMOUNT)
    return 0;
  if (strcmp(geography, "QPV") == 0)
    return from_quartiers(d, ind->id, period, RELEVE_ADDR_ZONE_QPV, value);
  if (strcmp(geography, "QVA") == 0)
    return from_quartiers(d, ind->id, period, RELEVE_ADDR_ZONE_QVA, value);
  if (strcmp(geography, "QP") != 0)
    return 0;
  if ((rc = part(d, ind->id, period, "QPV", &qpv)) != 1 ||
      (rc = part(d, ind->id, period, "QVA", &qva)) != 1)
    return rc;
  *value = qpv + qva;
  return 1;
}
