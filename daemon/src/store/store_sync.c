/* store_sync.c -- mirrors the référentiel and the actors into SQLite so that
 * reports and exports are plain queries, and records every change of the
 * référentiel over the years. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "referentiel/geo.h"
#include "referentiel/period.h"
#include "store/store.h"
#include "store/store_geography.h"
#include "store/store_sql.h"
#include "util/buf.h"
#include "util/log.h"

typedef struct sync_stmts {
  sqlite3_stmt *node, *actor, *ind_get, *ind_upsert, *change, *geo, *period;
} sync_stmts;

static void finalize_all(sync_stmts *q) {
  sqlite3_finalize(q->node);
  sqlite3_finalize(q->actor);
  sqlite3_finalize(q->ind_get);
  sqlite3_finalize(q->ind_upsert);
  sqlite3_finalize(q->change);
  sqlite3_finalize(q->geo);
  sqlite3_finalize(q->period);
}

static int step_done(releve_store *s, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    releve_err("sqlite: %s", sqlite3_errmsg(s->db));
    return releve_store_sqlite_errno(rc);
  }
  return 0;
}

static int put_node(releve_store *s, sync_stmts *q, const releve_node *n, const char *level,
                    const releve_node *parent) {
  sqlite3_bind_text(q->node, 1, n->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(q->node, 2, level, -1, SQLITE_STATIC);
  if (parent)
    sqlite3_bind_text(q->node, 3, parent->id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(q->node, 3);
  sqlite3_bind_text(q->node, 4, n->name, -1, SQLITE_STATIC);
  return step_done(s, q->node);
}

static int put_change(releve_store *s, sync_stmts *q, sqlite3_int64 version, const char *ind,
                      const char *change, const char *detail) {
  sqlite3_bind_int64(q->change, 1, version);
  sqlite3_bind_text(q->change, 2, ind, -1, SQLITE_STATIC);
  sqlite3_bind_text(q->change, 3, change, -1, SQLITE_STATIC);
  if (detail)
    sqlite3_bind_text(q->change, 4, detail, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(q->change, 4);
  return step_done(s, q->change);
}

/* What changed in an indicator already stored, or NULL when nothing did. */
static char *indicator_diff(sqlite3_stmt *get, const releve_indicator *ind) {
  releve_buf d = RELEVE_BUF_INIT;
  const char *label = (const char *)sqlite3_column_text(get, 0);
  const char *actor = (const char *)sqlite3_column_text(get, 1);
  const char *unit = (const char *)sqlite3_column_text(get, 2);
  int share = sqlite3_column_int(get, 3);
  const char *pk = (const char *)sqlite3_column_text(get, 4);
  const char *target = (const char *)sqlite3_column_text(get, 5);

  if (strcmp(label, ind->label))
    releve_buf_addf(&d, "label: \"%s\" -> \"%s\"; ", label, ind->label);
  if (strcmp(actor, ind->actor))
    releve_buf_addf(&d, "actor: %s -> %s; ", actor, ind->actor);
  if (strcmp(unit, releve_unit_name(ind->unit)))
    releve_buf_addf(&d, "unit: %s -> %s; ", unit, releve_unit_name(ind->unit));
  if (share != ind->share)
    releve_buf_addf(&d, "share: %d -> %d; ", share, ind->share);
  if (strcmp(pk, releve_period_kind_name(ind->period)))
    releve_buf_addf(&d, "period: %s -> %s; ", pk, releve_period_kind_name(ind->period));
  if (strcmp(target, ind->target.text))
    releve_buf_addf(&d, "target: \"%s\" -> \"%s\"; ", target, ind->target.text);
  if (d.len >= 2)
    d.data[d.len -= 2] = '\0';
  return d.len ? releve_buf_steal(&d) : (releve_buf_free(&d), NULL);
}

static void bind_target_number(sqlite3_stmt *st, int col, int has, double v) {
  if (has)
    sqlite3_bind_double(st, col, v);
  else
    sqlite3_bind_null(st, col);
}

static int put_indicator(releve_store *s, sync_stmts *q, const releve_indicator *ind) {
  const releve_target *t = &ind->target;
  int single = t->kind == RELEVE_TARGET_LEVEL || t->kind == RELEVE_TARGET_SHARE ||
               t->kind == RELEVE_TARGET_RISE || t->kind == RELEVE_TARGET_FLOOR;
  sqlite3_stmt *st = q->ind_upsert;

  sqlite3_bind_text(st, 1, ind->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, ind->label, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, ind->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, ind->theme->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, ind->action->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, releve_unit_name(ind->unit), -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 7, ind->share);
  sqlite3_bind_text(st, 8, releve_period_kind_name(ind->period), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, t->text, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 10, releve_target_kind_name(t->kind), -1, SQLITE_STATIC);
  bind_target_number(st, 11, single, t->value);
  bind_target_number(st, 12, t->kind == RELEVE_TARGET_RANGE, t->min);
  bind_target_number(st, 13, t->kind == RELEVE_TARGET_RANGE, t->max);
  return step_done(s, st);
}

static int sync_indicators(releve_store *s, sync_stmts *q, const releve_referentiel *ref,
                           sqlite3_int64 version, int counts[3]) {
  size_t i;
  int rc = 0;

  for (i = 0; i < ref->n_indicators && rc == 0; i++) {
    const releve_indicator *ind = &ref->indicators[i];
    char *diff = NULL;
    int exists, retired = 0, step;

    rc = put_node(s, q, ind->theme, "theme", NULL);
    if (rc == 0)
      rc = put_node(s, q, ind->objective, "objective", ind->theme);
    if (rc == 0)
      rc = put_node(s, q, ind->sub_objective, "sub_objective", ind->objective);
    if (rc == 0)
      rc = put_node(s, q, ind->goal, "goal", ind->sub_objective);
    if (rc == 0)
      rc = put_node(s, q, ind->action, "action", ind->goal);
    if (rc)
      break;
    sqlite3_bind_text(q->ind_get, 1, ind->id, -1, SQLITE_STATIC);
    step = sqlite3_step(q->ind_get);
    exists = step == SQLITE_ROW;
    if (exists) {
      diff = indicator_diff(q->ind_get, ind);
      retired = sqlite3_column_int(q->ind_get, 6);
    }
    sqlite3_reset(q->ind_get);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
      free(diff);
      return releve_store_sqlite_errno(step);
    }
    rc = put_indicator(s, q, ind);
    if (rc == 0 && !exists) {
      counts[0]++;
      rc = put_change(s, q, version, ind->id, "added", NULL);
    } else if (rc == 0 && retired) {
      counts[0]++;
      rc = put_change(s, q, version, ind->id, "restored", diff);
    } else if (rc == 0 && diff) {
      counts[1]++;
      rc = put_change(s, q, version, ind->id, "changed", diff);
    }
    free(diff);
  }
  return rc;
}

/* Indicators stored but gone from the référentiel: retired, observations kept. */
static int retire_missing(releve_store *s, sync_stmts *q, const releve_referentiel *ref,
                          sqlite3_int64 version, int counts[3]) {
  sqlite3_stmt *all, *retire;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IND_ALL_ACTIVE, &all), step = SQLITE_DONE;

  if (rc)
    return rc;
  rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IND_RETIRE, &retire);
  /* Retiring inside the scan is safe: the UPDATE only clears a flag the
   * SELECT filters on, on rows already visited. */
  while (rc == 0 && (step = sqlite3_step(all)) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(all, 0);
    if (releve_referentiel_find(ref, id))
      continue;
    sqlite3_bind_text(retire, 1, id, -1, SQLITE_TRANSIENT);
    rc = step_done(s, retire);
    if (rc == 0)
      rc = put_change(s, q, version, id, "retired", "no longer in the référentiel; "
                                                    "its observations are kept");
    counts[2]++;
  }
  if (rc == 0 && step != SQLITE_DONE)
    rc = releve_store_sqlite_errno(step);
  sqlite3_finalize(all);
  sqlite3_finalize(retire);
  return rc;
}

static int sync_actors(releve_store *s, sync_stmts *q, const releve_config *cfg) {
  size_t i, k;
  int rc = 0;

  for (i = 0; i < cfg->n_actors && rc == 0; i++) {
    const releve_actor *a = &cfg->actors[i];
    releve_buf emails = RELEVE_BUF_INIT;
    for (k = 0; k < a->n_emails; k++)
      releve_buf_addf(&emails, "%s%s", k ? "," : "", a->emails[k]);
    sqlite3_bind_text(q->actor, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q->actor, 2, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q->actor, 3, emails.data ? emails.data : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q->actor, 4, a->plugin, -1, SQLITE_STATIC);
    rc = step_done(s, q->actor);
    releve_buf_free(&emails);
  }
  return rc;
}

static int put_geo(releve_store *s, sync_stmts *q, const char *code) {
  sqlite3_bind_text(q->geo, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q->geo, 2, releve_geo_label(code), -1,
                    SQLITE_STATIC);
  return step_done(s, q->geo);
}

static int sync_geo_periods(releve_store *s, sync_stmts *q, const releve_config *cfg) {
  static const char *const fixed[] = {"PARIS", "QP", "QPV", "QVA", "REP", "REP+", NULL};
  const char *const *g;
  char code[16];
  int rc = 0, i, y;

  for (g = fixed; *g && rc == 0; g++)
    rc = put_geo(s, q, *g);
  for (i = 1; i <= 20 && rc == 0; i++) {
    snprintf(code, sizeof code, "751%02d", i);
    rc = put_geo(s, q, code);
  }
  for (y = cfg->first_year; y <= cfg->last_year && rc == 0; y++) {
    for (i = 0; i < 2 && rc == 0; i++) {
      releve_period p = releve_period_for(i ? RELEVE_PERIOD_SCHOOL_YEAR : RELEVE_PERIOD_YEAR, y);
      releve_period_format(&p, code, sizeof code);
      sqlite3_bind_text(q->period, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(q->period, 2, releve_period_kind_name(p.kind), -1, SQLITE_STATIC);
      sqlite3_bind_int(q->period, 3, y);
      rc = step_done(s, q->period);
    }
  }
  return rc;
}

static int record_version(releve_store *s, sync_stmts *q, const releve_config *cfg,
                          int *changed) {
  const releve_referentiel *ref = &cfg->ref;
  sqlite3_stmt *st;
  sqlite3_int64 version;
  int rc, counts[3] = {0, 0, 0}, same = 0;

  rc = releve_store_prepare_sqlite(s, RELEVE_SQL_REF_LAST, &st);
  if (rc)
    return rc;
  if (sqlite3_step(st) == SQLITE_ROW)
    same = strcmp((const char *)sqlite3_column_text(st, 1), ref->sha256) == 0;
  sqlite3_finalize(st);
  if (same)
    return 0;
  rc = releve_store_prepare_sqlite(s, RELEVE_SQL_REF_VERSION, &st);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, ref->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)ref->n_indicators);
  rc = step_done(s, st);
  sqlite3_finalize(st);
  if (rc)
    return rc;
  version = sqlite3_last_insert_rowid(s->db);
  rc = sync_indicators(s, q, ref, version, counts);
  if (rc == 0)
    rc = retire_missing(s, q, ref, version, counts);
  if (rc == 0 && releve_store_prepare_sqlite(s, RELEVE_SQL_REF_VERSION_COUNTS, &st) == 0) {
    sqlite3_bind_int(st, 1, counts[0]);
    sqlite3_bind_int(st, 2, counts[1]);
    sqlite3_bind_int(st, 3, counts[2]);
    sqlite3_bind_int64(st, 4, version);
    rc = step_done(s, st);
    sqlite3_finalize(st);
  }
  if (rc == 0) {
    *changed = 1;
    releve_info("référentiel version %lld recorded: %zu indicators, %d added, %d changed, "
                "%d retired",
                (long long)version, ref->n_indicators, counts[0], counts[1], counts[2]);
  }
  return rc;
}

int releve_store_sync(releve_store *s, const releve_config *cfg, int *changed) {
  sync_stmts q;
  int rc, dummy = 0;

  if (changed == NULL)
    changed = &dummy;
  *changed = 0;
  memset(&q, 0, sizeof q);
  rc = releve_store_begin(s);
  if (rc)
    return rc;
  if ((rc = releve_store_prepare_sqlite(s, RELEVE_SQL_NODE_UPSERT, &q.node)) ||
      (rc = releve_store_prepare_sqlite(s, RELEVE_SQL_ACTOR_UPSERT, &q.actor)) ||
      (rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IND_GET, &q.ind_get)) ||
      (rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IND_UPSERT, &q.ind_upsert)) ||
      (rc = releve_store_prepare_sqlite(s, RELEVE_SQL_REF_CHANGE, &q.change)) ||
      (rc = releve_store_prepare_sqlite(s, RELEVE_SQL_GEO_INSERT, &q.geo)) ||
      (rc = releve_store_prepare_sqlite(s, RELEVE_SQL_PERIOD_INSERT, &q.period)))
    goto out;
  rc = sync_actors(s, &q, cfg);
  if (rc == 0)
    rc = sync_geo_periods(s, &q, cfg);
  if (rc == 0)
    rc = releve_store_geography_sync(s, &cfg->geography);
  if (rc == 0)
    rc = record_version(s, &q, cfg, changed);
out:
  finalize_all(&q);
  if (rc == 0)
    rc = releve_store_commit(s);
  else
    releve_store_rollback(s);
  return rc;
}
