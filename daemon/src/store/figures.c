#include "store/figures.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "referentiel/geography.h"
#include "store/store_sql.h"

int releve_figures_open(releve_store *s, releve_figures *w) {
  int rc;
  memset(w, 0, sizeof *w);
  w->store = s;
  /* One row per pair, not per figure: the part-above-total check at the
   * end is driven by them. */
  rc = releve_store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS ingest_pairs("
                            "indicator TEXT, period TEXT, PRIMARY KEY (indicator, period)) "
                            "WITHOUT ROWID;"
                            "DELETE FROM temp.ingest_pairs;");
  if (rc == 0)
    rc = releve_store_prepare_sqlite(s, RELEVE_SQL_OBS_GET, &w->get);
  if (rc == 0)
    rc = releve_store_prepare_sqlite(s, RELEVE_SQL_OBS_INSERT, &w->insert);
  if (rc == 0)
    rc = releve_store_prepare_sqlite(s, RELEVE_SQL_OBS_UPDATE, &w->update);
  if (rc == 0)
    rc = releve_store_prepare_sqlite(s, RELEVE_SQL_REV_INSERT, &w->revision);
  if (rc == 0)
    rc = releve_store_prepare_sqlite(s, RELEVE_SQL_PAIR_INSERT, &w->pair);
  if (rc == 0)
    rc = releve_store_prepare_sqlite(s, RELEVE_SQL_GEO_INSERT, &w->geo);
  return rc;
}

void releve_figures_close(releve_figures *w) {
  sqlite3_finalize(w->get);
  sqlite3_finalize(w->insert);
  sqlite3_finalize(w->update);
  sqlite3_finalize(w->revision);
  sqlite3_finalize(w->pair);
  sqlite3_finalize(w->geo);
  memset(w, 0, sizeof *w);
}

static int step_reset(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}

static int same_double(sqlite3_stmt *st, int col, int has, double v) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL)
    return !has;
  return has && fabs(sqlite3_column_double(st, col) - v) < 1e-9;
}

int releve_figures_read(releve_figures *w, const releve_figure *f, int *state, double *prev) {
  sqlite3_stmt *st = w->get;
  releve_period before = releve_period_for(f->period.kind, f->period.year - 1);
  char period[16];
  int rc;

  releve_period_format(&before, period, sizeof period);
  sqlite3_bind_text(st, 1, f->indicator->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, f->period_text, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, f->geography, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, period, -1, SQLITE_STATIC);
  *state = RELEVE_FIGURE_NEW;
  *prev = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *status = (const char *)sqlite3_column_text(st, 4);
    const char *text = (const char *)sqlite3_column_text(st, 2);
    if (strcmp((const char *)sqlite3_column_text(st, 0), f->period_text) != 0) {
      /* A suppressed or unavailable cell has nothing to compare with. */
      if (sqlite3_column_type(st, 1) != SQLITE_NULL && strcmp(status, "suppressed") != 0 &&
          strcmp(status, "not_available") != 0)
        *prev = sqlite3_column_double(st, 1);
      continue;
    }
    *state = same_double(st, 1, f->has_value, f->value) &&
                     same_double(st, 3, f->has_share, f->share) && strcmp(status, f->status) == 0 &&
                     ((text == NULL && f->text == NULL) ||
                      (text && f->text && !strcmp(text, f->text)))
                 ? RELEVE_FIGURE_SAME
                 : RELEVE_FIGURE_CHANGED;
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}

static void bind_figure(sqlite3_stmt *st, const releve_figure *f, long long submission,
                        unsigned long line, const char *received_at) {
  sqlite3_bind_text(st, 1, f->indicator->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, f->period_text, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, f->geography, -1, SQLITE_STATIC);
  if (f->has_value)
    sqlite3_bind_double(st, 4, f->value);
  else
    sqlite3_bind_null(st, 4);
  if (f->text)
    sqlite3_bind_text(st, 5, f->text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, 5);
  if (f->has_share)
    sqlite3_bind_double(st, 6, f->share);
  else
    sqlite3_bind_null(st, 6);
  sqlite3_bind_text(st, 7, f->status, -1, SQLITE_STATIC);
  if (f->comment)
    sqlite3_bind_text(st, 8, f->comment, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, 8);
  sqlite3_bind_int64(st, 9, submission);
  if (line)
    sqlite3_bind_int64(st, 10, (sqlite3_int64)line);
  else
    sqlite3_bind_null(st, 10);
  sqlite3_bind_text(st, 11, received_at, -1, SQLITE_STATIC);
}

int releve_figures_write(releve_figures *w, const releve_figure *f, int state,
                         long long submission, unsigned long line, const char *received_at) {
  sqlite3_stmt *st = state == RELEVE_FIGURE_NEW ? w->insert : w->update;
  int rc;
  bind_figure(st, f, submission, line, received_at);
  if ((rc = step_reset(st)) != 0)
    return rc;
  bind_figure(w->revision, f, submission, line, received_at);
  return step_reset(w->revision);
}

int releve_figures_quartier(releve_figures *w, const char *code, const char *label) {
  sqlite3_bind_text(w->geo, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text(w->geo, 2, label, -1, SQLITE_STATIC);
  sqlite3_bind_text(w->geo, 3, releve_geography_vintage(code), -1, SQLITE_STATIC);
  return step_reset(w->geo);
}

int releve_figures_pair(releve_figures *w, const char *indicator, const char *period) {
  sqlite3_bind_text(w->pair, 1, indicator, -1, SQLITE_STATIC);
  sqlite3_bind_text(w->pair, 2, period, -1, SQLITE_STATIC);
  return step_reset(w->pair);
}

int releve_figures_above_whole(releve_store *s, long long submission,
                               void (*each)(void *ud, const releve_figures_excess *e), void *ud) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_PART_ABOVE_WHOLE, &st);

  if (rc)
    return rc;
  sqlite3_bind_int64(st, 1, submission);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    releve_figures_excess e;
    e.indicator = (const char *)sqlite3_column_text(st, 0);
    e.period = (const char *)sqlite3_column_text(st, 1);
    e.part = (const char *)sqlite3_column_text(st, 2);
    e.part_value = sqlite3_column_double(st, 3);
    e.part_line = (unsigned long)sqlite3_column_int64(st, 4);
    e.whole = (const char *)sqlite3_column_text(st, 5);
    e.whole_value = sqlite3_column_double(st, 6);
    e.whole_line = (unsigned long)sqlite3_column_int64(st, 7);
    e.part_here = sqlite3_column_int(st, 8);
    e.whole_here = sqlite3_column_int(st, 9);
    each(ud, &e);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}
