/* store_sync.c -- mirrors the référentiel and the actors into the store so that
 * reports and exports are plain queries, and records every change of the
 * référentiel over the years. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "referentiel/geo.h"
#include "referentiel/period.h"
#include "store/store.h"
#include "store/store_geography.h"
#include "store/store_sql.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"

typedef struct sync_stmts {
  releve_stmt *node, *actor, *ind_get, *ind_upsert, *change, *geo, *period;
  const char *contract; /* the contract whose référentiel is being synced */
} sync_stmts;

static void finalize_all(sync_stmts *q) {
  releve_stmt_finalize(q->node);
  releve_stmt_finalize(q->actor);
  releve_stmt_finalize(q->ind_get);
  releve_stmt_finalize(q->ind_upsert);
  releve_stmt_finalize(q->change);
  releve_stmt_finalize(q->geo);
  releve_stmt_finalize(q->period);
}

/* Runs st, whose parameters bind_rc says were bound (0) or not, logs a
 * failure and makes st ready for the next row. */
static int step_done(releve_store *s, releve_stmt *st, int bind_rc) {
  int rc = bind_rc ? bind_rc : releve_stmt_run(st);
  releve_stmt_reset(st);
  if (rc)
    releve_err("%s: %s", releve_store_engine(s), releve_store_errmsg(s));
  return rc;
}

static int put_node(releve_store *s, sync_stmts *q, const releve_node *n, const char *level,
                    const releve_node *parent) {
  int rc;
  if ((rc = releve_stmt_bind_text(q->node, 1, n->id)) == 0 &&
      (rc = releve_stmt_bind_text(q->node, 2, level)) == 0 &&
      (rc = releve_stmt_bind_text(q->node, 3, parent ? parent->id : NULL)) == 0 &&
      (rc = releve_stmt_bind_text(q->node, 4, n->name)) == 0)
    rc = releve_stmt_bind_text(q->node, 5, q->contract);
  return step_done(s, q->node, rc);
}

static int put_change(releve_store *s, sync_stmts *q, long long version, const char *ind,
                      const char *change, const char *detail) {
  int rc;
  if ((rc = releve_stmt_bind_int64(q->change, 1, version)) == 0 &&
      (rc = releve_stmt_bind_text(q->change, 2, ind)) == 0 &&
      (rc = releve_stmt_bind_text(q->change, 3, change)) == 0)
    rc = releve_stmt_bind_text(q->change, 4, detail);
  return step_done(s, q->change, rc);
}

/* What changed in an indicator already stored, or NULL when nothing did. */
static char *indicator_diff(releve_stmt *get, const releve_indicator *ind) {
  releve_buf d = RELEVE_BUF_INIT;
  const char *label = releve_stmt_text(get, 0);
  const char *actor = releve_stmt_text(get, 1);
  const char *unit = releve_stmt_text(get, 2);
  int share = releve_stmt_int(get, 3);
  const char *pk = releve_stmt_text(get, 4);
  const char *target = releve_stmt_text(get, 5);

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

static int bind_target_number(releve_stmt *st, int col, int has, double v) {
  return has ? releve_stmt_bind_double(st, col, v) : releve_stmt_bind_null(st, col);
}

static int put_indicator(releve_store *s, sync_stmts *q, const releve_indicator *ind) {
  const releve_target *t = &ind->target;
  int single = t->kind == RELEVE_TARGET_LEVEL || t->kind == RELEVE_TARGET_SHARE ||
               t->kind == RELEVE_TARGET_RISE || t->kind == RELEVE_TARGET_FLOOR;
  releve_stmt *st = q->ind_upsert;
  int rc;

  if ((rc = releve_stmt_bind_text(st, 1, ind->id)) == 0 &&
      (rc = releve_stmt_bind_text(st, 2, ind->label)) == 0 &&
      (rc = releve_stmt_bind_text(st, 3, ind->actor)) == 0 &&
      (rc = releve_stmt_bind_text(st, 4, ind->theme->id)) == 0 &&
      (rc = releve_stmt_bind_text(st, 5, ind->action->id)) == 0 &&
      (rc = releve_stmt_bind_text(st, 6, releve_unit_name(ind->unit))) == 0 &&
      (rc = releve_stmt_bind_int64(st, 7, ind->share)) == 0 &&
      (rc = releve_stmt_bind_text(st, 8, releve_period_kind_name(ind->period))) == 0 &&
      (rc = releve_stmt_bind_text(st, 9, t->text)) == 0 &&
      (rc = releve_stmt_bind_text(st, 10, releve_target_kind_name(t->kind))) == 0 &&
      (rc = bind_target_number(st, 11, single, t->value)) == 0 &&
      (rc = bind_target_number(st, 12, t->kind == RELEVE_TARGET_RANGE, t->min)) == 0 &&
      (rc = bind_target_number(st, 13, t->kind == RELEVE_TARGET_RANGE, t->max)) == 0)
    rc = releve_stmt_bind_text(st, 14, q->contract);
  return step_done(s, st, rc);
}

static int sync_indicators(releve_store *s, sync_stmts *q, const releve_referentiel *ref,
                           long long version, int counts[3]) {
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
    step = releve_stmt_bind_text(q->ind_get, 1, ind->id);
    if (step == 0)
      step = releve_stmt_bind_text(q->ind_get, 2, q->contract);
    if (step == 0)
      step = releve_stmt_step(q->ind_get);
    exists = step == RELEVE_STMT_ROW;
    if (exists) {
      diff = indicator_diff(q->ind_get, ind);
      retired = releve_stmt_int(q->ind_get, 6);
    }
    releve_stmt_reset(q->ind_get);
    if (step < 0)
      return step;
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
                          long long version, int counts[3]) {
  releve_stmt *all, *retire;
  int rc = releve_store_prepare(s, RELEVE_SQL_IND_ALL_ACTIVE, &all), step = RELEVE_STMT_DONE;

  if (rc)
    return rc;
  rc = releve_stmt_bind_text(all, 1, q->contract);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_IND_RETIRE, &retire);
  else
    retire = NULL;
  /* Retiring inside the scan is safe: the UPDATE only clears a flag the
   * SELECT filters on, on rows already visited. */
  while (rc == 0 && (step = releve_stmt_step(all)) == RELEVE_STMT_ROW) {
    const char *id = releve_stmt_text(all, 0);
    if (releve_referentiel_find(ref, id))
      continue;
    int bound = releve_stmt_bind_copy(retire, 1, id);
    if (bound == 0)
      bound = releve_stmt_bind_text(retire, 2, q->contract);
    rc = step_done(s, retire, bound);
    if (rc == 0)
      rc = put_change(s, q, version, id, "retired", "no longer in the référentiel; "
                                                    "its observations are kept");
    counts[2]++;
  }
  if (rc == 0 && step < 0)
    rc = step;
  releve_stmt_finalize(all);
  releve_stmt_finalize(retire);
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
    if ((rc = releve_stmt_bind_text(q->actor, 1, a->id)) == 0 &&
        (rc = releve_stmt_bind_text(q->actor, 2, a->name)) == 0 &&
        (rc = releve_stmt_bind_text(q->actor, 3, emails.data ? emails.data : "")) == 0)
      rc = releve_stmt_bind_text(q->actor, 4, a->plugin);
    /* emails is bound by pointer: freed once the row is written and the
     * statement reset. */
    rc = step_done(s, q->actor, rc);
    releve_buf_free(&emails);
  }
  return rc;
}

static int put_geo(releve_store *s, sync_stmts *q, const char *code) {
  int rc = releve_stmt_bind_text(q->geo, 1, code);
  if (rc == 0)
    rc = releve_stmt_bind_text(q->geo, 2, releve_geo_label(code));
  return step_done(s, q->geo, rc);
}

/* The periods stored span every contract's years. */
static int first_year(const releve_config *cfg) {
  int y = cfg->contracts[0].first_year;
  size_t i;
  for (i = 1; i < cfg->n_contracts; i++)
    if (cfg->contracts[i].first_year < y)
      y = cfg->contracts[i].first_year;
  return y;
}

static int last_year(const releve_config *cfg) {
  int y = cfg->contracts[0].last_year;
  size_t i;
  for (i = 1; i < cfg->n_contracts; i++)
    if (cfg->contracts[i].last_year > y)
      y = cfg->contracts[i].last_year;
  return y;
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
  for (y = first_year(cfg); y <= last_year(cfg) && rc == 0; y++) {
    for (i = 0; i < 2 && rc == 0; i++) {
      releve_period p = releve_period_for(i ? RELEVE_PERIOD_SCHOOL_YEAR : RELEVE_PERIOD_YEAR, y);
      releve_period_format(&p, code, sizeof code);
      if ((rc = releve_stmt_bind_text(q->period, 1, code)) == 0 &&
          (rc = releve_stmt_bind_text(q->period, 2, releve_period_kind_name(p.kind))) == 0)
        rc = releve_stmt_bind_int64(q->period, 3, y);
      rc = step_done(s, q->period, rc);
    }
  }
  return rc;
}

static int record_version(releve_store *s, sync_stmts *q, const releve_contract *k,
                          int *changed) {
  const releve_referentiel *ref = &k->ref;
  releve_stmt *st;
  long long version = 0;
  char now[32];
  int rc, counts[3] = {0, 0, 0};

  q->contract = k->id;
  rc = releve_store_prepare(s, RELEVE_SQL_REF_LAST, &st);
  if (rc)
    return rc;
  rc = releve_stmt_bind_text(st, 1, k->id);
  if (rc == 0)
    rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW)
    rc = strcmp(releve_stmt_text(st, 1), ref->sha256) == 0;
  releve_stmt_finalize(st);
  if (rc) /* the same référentiel (1), or a failure */
    return rc < 0 ? rc : 0;
  rc = releve_store_prepare(s, RELEVE_SQL_REF_VERSION, &st);
  if (rc)
    return rc;
  releve_clock_utc_text(time(NULL), now);
  if ((rc = releve_stmt_bind_text(st, 1, ref->sha256)) == 0 &&
      (rc = releve_stmt_bind_text(st, 2, now)) == 0 &&
      (rc = releve_stmt_bind_int64(st, 3, (long long)ref->n_indicators)) == 0 &&
      (rc = releve_stmt_bind_text(st, 4, k->id)) == 0)
    rc = releve_stmt_step(st); /* the new version's id */
  if (rc == RELEVE_STMT_ROW) {
    version = releve_stmt_int64(st, 0);
    rc = 0;
  } else if (rc == RELEVE_STMT_DONE) {
    rc = -EIO;
  }
  if (rc)
    releve_err("%s: %s", releve_store_engine(s), releve_store_errmsg(s));
  releve_stmt_finalize(st);
  if (rc)
    return rc;
  rc = sync_indicators(s, q, ref, version, counts);
  if (rc == 0)
    rc = retire_missing(s, q, ref, version, counts);
  if (rc == 0 && (rc = releve_store_prepare(s, RELEVE_SQL_REF_VERSION_COUNTS, &st)) == 0) {
    int bound;
    if ((bound = releve_stmt_bind_int64(st, 1, counts[0])) == 0 &&
        (bound = releve_stmt_bind_int64(st, 2, counts[1])) == 0 &&
        (bound = releve_stmt_bind_int64(st, 3, counts[2])) == 0)
      bound = releve_stmt_bind_int64(st, 4, version);
    rc = step_done(s, st, bound);
    releve_stmt_finalize(st);
  }
  if (rc == 0) {
    *changed = 1;
    releve_info("contract %s: référentiel version %lld recorded: %zu indicators, %d added, "
                "%d changed, %d retired",
                k->id, (long long)version, ref->n_indicators, counts[0], counts[1], counts[2]);
  }
  return rc;
}

int releve_store_assign_contract(releve_store *s, const releve_config *cfg) {
  static const char *const assign[] = {
      RELEVE_SQL_CONTRACT_ASSIGN("referentiel_versions"), RELEVE_SQL_CONTRACT_ASSIGN("nodes"),
      RELEVE_SQL_CONTRACT_ASSIGN("indicators"), RELEVE_SQL_CONTRACT_ASSIGN("observations"),
      RELEVE_SQL_CONTRACT_ASSIGN("revisions")};
  releve_stmt *st;
  size_t i;
  int rc = releve_store_prepare(s, RELEVE_SQL_CONTRACT_PENDING, &st);

  if (rc == 0)
    rc = releve_stmt_step(st);
  releve_stmt_finalize(st);
  if (rc != RELEVE_STMT_ROW) /* none waits (0), or a failure */
    return rc;
  if (cfg->n_contracts != 1) {
    releve_err("database %s holds figures stored before contracts, which belong to one "
               "contract: run once with a configuration of that contract alone",
               s->path);
    return -EINVAL;
  }
  for (i = 0, rc = 0; i < sizeof assign / sizeof assign[0] && rc == 0; i++) {
    if ((rc = releve_store_prepare(s, assign[i], &st)) != 0)
      break;
    rc = step_done(s, st, releve_stmt_bind_text(st, 1, cfg->contracts[0].id));
    releve_stmt_finalize(st);
  }
  if (rc == 0)
    rc = releve_store_exec(s, RELEVE_SQL_CONTRACT_ASSIGNED);
  if (rc == 0)
    releve_info("database %s: figures stored before contracts assigned to contract %s", s->path,
                cfg->contracts[0].id);
  return rc;
}

int releve_store_sync(releve_store *s, const releve_config *cfg, int *changed) {
  sync_stmts q;
  size_t i;
  int rc, dummy = 0;

  if (changed == NULL)
    changed = &dummy;
  *changed = 0;
  memset(&q, 0, sizeof q);
  rc = releve_store_begin(s);
  if (rc)
    return rc;
  if ((rc = releve_store_prepare(s, RELEVE_SQL_NODE_UPSERT, &q.node)) ||
      (rc = releve_store_prepare(s, RELEVE_SQL_ACTOR_UPSERT, &q.actor)) ||
      (rc = releve_store_prepare(s, RELEVE_SQL_IND_GET, &q.ind_get)) ||
      (rc = releve_store_prepare(s, RELEVE_SQL_IND_UPSERT, &q.ind_upsert)) ||
      (rc = releve_store_prepare(s, RELEVE_SQL_REF_CHANGE, &q.change)) ||
      (rc = releve_store_prepare(s, RELEVE_SQL_GEO_INSERT, &q.geo)) ||
      (rc = releve_store_prepare(s, RELEVE_SQL_PERIOD_INSERT, &q.period)))
    goto out;
  rc = releve_store_assign_contract(s, cfg);
  if (rc == 0)
    rc = sync_actors(s, &q, cfg);
  if (rc == 0)
    rc = sync_geo_periods(s, &q, cfg);
  if (rc == 0)
    rc = releve_store_geography_sync(s, &cfg->geography);
  for (i = 0; i < cfg->n_contracts && rc == 0; i++)
    rc = record_version(s, &q, &cfg->contracts[i], changed);
out:
  finalize_all(&q);
  if (rc == 0)
    rc = releve_store_commit(s);
  else
    releve_store_rollback(s);
  return rc;
}
