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

static void bind3(releve_stmt *st, const char *ind, const char *period, const char *geo) {
  releve_stmt_bind_text(st, 1, ind);
  releve_stmt_bind_text(st, 2, period);
  if (geo)
    releve_stmt_bind_text(st, 3, geo);
}

/* 1 with the stored value of a cell that has one, 0 when it has none. */
static int stored_value(releve_deriver *d, const char *ind, const char *period, const char *geo,
                        double *v) {
  int rc, found = 0;
  bind3(d->value, ind, period, geo);
  rc = releve_stmt_step(d->value);
  if (rc == RELEVE_STMT_ROW && !releve_stmt_is_null(d->value, 0)) {
    *v = releve_stmt_double(d->value, 0);
    found = 1;
  }
  releve_stmt_reset(d->value);
  return rc < 0 ? rc : found;
}

/* The kind of a quartier: the décret's QPV, else what the address
 * reference says, else 0 (a quartier nothing places). */
static int quartier_kind(const releve_config *cfg, const char *code) {
  const releve_addr_zone *z;
  if (releve_geo_decree_qpv(code))
    return RELEVE_ADDR_ZONE_QPV;
  z = cfg->addresses ? releve_addr_ref_zone_by_code(cfg->addresses, code) : NULL;
  return z ? (int)z->kind : 0;
}

/* How many quartiers of a kind the lists know in one vintage (the 2015 or
 * 2024 QPV list, the city's QVA codes): the décret's 20 QPV of 2015 and
 * the address reference's zones. */
static size_t quartiers_known(const releve_config *cfg, int kind, releve_geo_vintage v) {
  const releve_addr_zone *z;
  size_t n = kind == RELEVE_ADDR_ZONE_QPV && v == RELEVE_GEO_QPV_2015 ? 20 : 0;
  int k;
  for (k = 1; cfg->addresses && (z = releve_addr_ref_zone(cfg->addresses, k)) != NULL; k++)
    if ((int)z->kind == kind && z->vintage == v &&
        !(kind == RELEVE_ADDR_ZONE_QPV && releve_geo_decree_qpv(z->code)))
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

  bind3(d->quartiers, ind, period, NULL);
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
