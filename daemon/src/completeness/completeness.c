#include "completeness/completeness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completeness/derive.h"
#include "store/store_sql.h"

void releve_completeness_due(const releve_config *cfg, int year, char out[11]) {
  size_t i;
  for (i = 0; i < cfg->n_campaigns; i++)
    if (cfg->campaigns[i].year == year) {
      snprintf(out, 11, "%s", cfg->campaigns[i].due);
      return;
    }
  /* Years are checked to lie in 2000-2100 when the configuration loads. */
  snprintf(out, 11, "%04u-06-30", (unsigned)(year + 1) % 10000u);
}

static int given(releve_stmt *st, const char *ind, const char *period, const char *geo,
                 const char *contract, int *out) {
  int rc;
  releve_stmt_bind_text(st, 1, ind);
  releve_stmt_bind_text(st, 2, period);
  releve_stmt_bind_text(st, 3, geo);
  releve_stmt_bind_text(st, 4, contract);
  rc = releve_stmt_step(st);
  releve_stmt_reset(st);
  if (rc < 0)
    return rc;
  *out = rc == RELEVE_STMT_ROW;
  return 0;
}

int releve_completeness_walk(releve_store *s, const releve_config *cfg, const char *actor,
                             int year, const char *today, releve_expected_cb cb, void *ud) {
  releve_deriver *der;
  releve_stmt *st;
  int this_year = atoi(today), first, last, rc;
  size_t a, i;

  if (year) {
    first = last = year;
  } else {
    first = cfg->first_year;
    last = cfg->last_year < this_year - 1 ? cfg->last_year : this_year - 1;
  }
  rc = releve_store_prepare(s, RELEVE_SQL_OBS_EXISTS, &st);
  if (rc)
    return rc;
  if ((rc = releve_deriver_new(s, cfg, &der)) != 0) {
    releve_stmt_finalize(st);
    return rc;
  }
  for (a = 0; a < cfg->n_actors && rc == 0; a++) {
    const releve_actor *act = &cfg->actors[a];
    if (actor && strcmp(actor, act->id))
      continue;
    for (i = 0; i < cfg->ref.n_indicators && rc == 0; i++) {
      const releve_indicator *ind = &cfg->ref.indicators[i];
      int y;
      if (strcmp(ind->actor, act->id))
        continue;
      for (y = first; y <= last && rc == 0; y++) {
        const char *const *scope;
        releve_expected cell;
        char period[16];
        cell.indicator = ind;
        cell.actor = act;
        cell.period = releve_period_for(ind->period, y);
        releve_period_format(&cell.period, period, sizeof period);
        releve_completeness_due(cfg, y, cell.due);
        for (scope = releve_config_geographies(act, ind); *scope && rc == 0; scope++) {
          double v;
          cell.geography = *scope;
          cell.derived = 0;
          rc = given(st, ind->id, period, *scope, cfg->contracts[0].id, &cell.given);
          if (rc == 0 && !cell.given && (rc = releve_derive(der, ind, period, *scope, &v)) == 1) {
            cell.given = cell.derived = 1;
            cell.value = v;
          }
          if (rc > 0)
            rc = 0;
          cell.late = !cell.given && strcmp(today, cell.due) > 0;
          if (rc == 0)
            rc = cb(ud, &cell);
        }
      }
    }
  }
  releve_stmt_finalize(st);
  releve_deriver_free(der);
  return rc;
}

int releve_completeness_campaign(const releve_config *cfg, const char *today) {
  int year = atoi(today) - 1, opened = 0;
  size_t i;
  for (i = 0; i < cfg->n_campaigns; i++)
    if (strcmp(cfg->campaigns[i].opens, today) <= 0 && cfg->campaigns[i].year > opened)
      opened = cfg->campaigns[i].year;
  if (opened)
    year = opened;
  if (year > cfg->last_year)
    year = cfg->last_year;
  return year < cfg->first_year ? cfg->first_year : year;
}

static int count_missing(void *ud, const releve_expected *cell) {
  *(int *)ud += !cell->given;
  return 0;
}

int releve_completeness_owed(releve_store *s, const releve_config *cfg, const char *actor,
                             int year, const char *today, int *owed) {
  *owed = 0;
  return releve_completeness_walk(s, cfg, actor, year, today, count_missing, owed);
}
