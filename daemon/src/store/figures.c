#include "store/figures.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "referentiel/geography.h"
#include "store/store_sql.h"

int releve_figures_open(releve_store *s, const char *contract, releve_figures *w) {
  int rc;
  memset(w, 0, sizeof *w);
  w->store = s;
  w->contract = contract;
  /* One row per pair, not per figure: the part-above-total check at the
   * end is driven by them. */
  rc = releve_store_exec(s, RELEVE_SQL_PAIRS_RESET);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_OBS_GET, &w->get);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_OBS_INSERT, &w->insert);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_OBS_UPDATE, &w->update);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_REV_INSERT, &w->revision);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_PAIR_INSERT, &w->pair);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_GEO_INSERT, &w->geo);
  return rc;
}

void releve_figures_close(releve_figures *w) {
  releve_stmt_finalize(w->get);
  releve_stmt_finalize(w->insert);
  releve_stmt_finalize(w->update);
  releve_stmt_finalize(w->revision);
  releve_stmt_finalize(w->pair);
  releve_stmt_finalize(w->geo);
  memset(w, 0, sizeof *w);
}

/* Runs a statement of the ingest and makes it ready for the next row. */
static int run_reset(releve_stmt *st) {
  int rc = releve_stmt_run(st);
  releve_stmt_reset(st);
  return rc;
}

static int same_double(releve_stmt *st, int col, int has, double v) {
  if (releve_stmt_is_null(st, col))
    return !has;
  return has && fabs(releve_stmt_double(st, col) - v) < 1e-9;
}

/* A number or NULL, as a figure may lack its value or share. */
static int bind_maybe(releve_stmt *st, int i, int has, double v) {
  return has ? releve_stmt_bind_double(st, i, v) : releve_stmt_bind_null(st, i);
}

int releve_figures_read(releve_figures *w, const releve_figure *f, int *state, double *prev) {
  releve_stmt *st = w->get;
  releve_period before = releve_period_for(f->period.kind, f->period.year - 1);
  char period[16];
  int rc;

  releve_period_format(&before, period, sizeof period);
  if ((rc = releve_stmt_bind_text(st, 1, f->indicator->id)) ||
      (rc = releve_stmt_bind_text(st, 2, f->period_text)) ||
      (rc = releve_stmt_bind_text(st, 3, f->geography)) ||
      (rc = releve_stmt_bind_text(st, 4, period)) ||
      (rc = releve_stmt_bind_text(st, 5, w->contract)))
    return rc;
  *state = RELEVE_FIGURE_NEW;
  *prev = 0;
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    const char *status = releve_stmt_text(st, 4);
    const char *text = releve_stmt_text(st, 2);
    if (strcmp(releve_stmt_text(st, 0), f->period_text) != 0) {
      /* A suppressed or unavailable cell has nothing to compare with. */
      if (!releve_stmt_is_null(st, 1) && strcmp(status, "suppressed") != 0 &&
          strcmp(status, "not_available") != 0)
        *prev = releve_stmt_double(st, 1);
      continue;
    }
    *state = same_double(st, 1, f->has_value, f->value) &&
                     same_double(st, 3, f->has_share, f->share) && strcmp(status, f->status) == 0 &&
                     ((text == NULL && f->text == NULL) ||
                      (text && f->text && !strcmp(text, f->text)))
                 ? RELEVE_FIGURE_SAME
                 : RELEVE_FIGURE_CHANGED;
  }
  /* Also lets go of period, bound by pointer and about to go out of scope. */
  releve_stmt_reset(st);
  return rc;
}

static int bind_figure(releve_stmt *st, const char *contract, const releve_figure *f,
                       long long submission, unsigned long line, const char *received_at) {
  int rc;
  if ((rc = releve_stmt_bind_text(st, 1, f->indicator->id)) ||
      (rc = releve_stmt_bind_text(st, 2, f->period_text)) ||
      (rc = releve_stmt_bind_text(st, 3, f->geography)) ||
      (rc = bind_maybe(st, 4, f->has_value, f->value)) ||
      (rc = releve_stmt_bind_text(st, 5, f->text)) ||
      (rc = bind_maybe(st, 6, f->has_share, f->share)) ||
      (rc = releve_stmt_bind_text(st, 7, f->status)) ||
      (rc = releve_stmt_bind_text(st, 8, f->comment)) ||
      (rc = releve_stmt_bind_int64(st, 9, submission)))
    return rc;
  rc = line ? releve_stmt_bind_int64(st, 10, (long long)line) : releve_stmt_bind_null(st, 10);
  if (rc == 0)
    rc = releve_stmt_bind_text(st, 11, received_at);
  return rc ? rc : releve_stmt_bind_text(st, 12, contract);
}

int releve_figures_write(releve_figures *w, const releve_figure *f, int state,
                         long long submission, unsigned long line, const char *received_at) {
  releve_stmt *st = state == RELEVE_FIGURE_NEW ? w->insert : w->update;
  int rc;
  if ((rc = bind_figure(st, w->contract, f, submission, line, received_at)) ||
      (rc = run_reset(st)) ||
      (rc = bind_figure(w->revision, w->contract, f, submission, line, received_at)))
    return rc;
  return run_reset(w->revision);
}

int releve_figures_quartier(releve_figures *w, const char *code, const char *label) {
  int rc;
  if ((rc = releve_stmt_bind_text(w->geo, 1, code)) ||
      (rc = releve_stmt_bind_text(w->geo, 2, label)) ||
      (rc = releve_stmt_bind_text(w->geo, 3, releve_geography_vintage(code))))
    return rc;
  return run_reset(w->geo);
}

int releve_figures_pair(releve_figures *w, const char *indicator, const char *period) {
  int rc;
  if ((rc = releve_stmt_bind_text(w->pair, 1, indicator)) ||
      (rc = releve_stmt_bind_text(w->pair, 2, period)))
    return rc;
  return run_reset(w->pair);
}

int releve_figures_above_whole(releve_store *s, const char *contract, long long submission,
                               void (*each)(void *ud, const releve_figures_excess *e), void *ud) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_PART_ABOVE_WHOLE, &st);

  if (rc)
    return rc;
  rc = releve_stmt_bind_int64(st, 1, submission);
  if (rc == 0)
    rc = releve_stmt_bind_text(st, 2, contract);
  while (rc == 0 && (rc = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    releve_figures_excess e;
    e.indicator = releve_stmt_text(st, 0);
    e.period = releve_stmt_text(st, 1);
    e.part = releve_stmt_text(st, 2);
    e.part_value = releve_stmt_double(st, 3);
    e.part_line = (unsigned long)releve_stmt_int64(st, 4);
    e.whole = releve_stmt_text(st, 5);
    e.whole_value = releve_stmt_double(st, 6);
    e.whole_line = (unsigned long)releve_stmt_int64(st, 7);
    e.part_here = releve_stmt_int(st, 8);
    e.whole_here = releve_stmt_int(st, 9);
    each(ud, &e);
    rc = 0;
  }
  releve_stmt_finalize(st);
  return rc;
}
