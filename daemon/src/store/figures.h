/* figures.h -- a file's figures written as they stream by, inside the
 * ingest's transaction: each cell read as stored (and a year earlier, for
 * the jump check), then inserted or updated with its revision. The
 * statements (store_sql.h) are prepared once per file. Errors are returned
 * as negative errno values and never logged here (submission.h). */
#ifndef RELEVE_FIGURES_H
#define RELEVE_FIGURES_H

#include "referentiel/observation.h"
#include "store/store.h"

typedef struct releve_figures {
  releve_store *store;
  const char *contract; /* the contract every figure is stored under, borrowed */
  releve_stmt *get, *insert, *update, *revision, *pair, *geo;
} releve_figures;

/* A figure against the stored cell. */
enum { RELEVE_FIGURE_NEW = 0, RELEVE_FIGURE_SAME = 1, RELEVE_FIGURE_CHANGED = 2 };

/* Prepares the statements and an empty ingest_pairs (the file's
 * (indicator, period) pairs), for figures of that contract. Returns 0 or a
 * negative errno value; w is to be closed in either case. */
int releve_figures_open(releve_store *s, const char *contract, releve_figures *w);
void releve_figures_close(releve_figures *w);

/* *state: how f compares with the stored cell (RELEVE_FIGURE_*); *prev:
 * the same cell's value a year earlier, or 0 when there is none to compare
 * with (none, suppressed or not available). */
int releve_figures_read(releve_figures *w, const releve_figure *f, int *state, double *prev);
/* Writes f, new or changed as state says, and its revision, for
 * submission from its line (0: none) at received_at. */
int releve_figures_write(releve_figures *w, const releve_figure *f, int state,
                         long long submission, unsigned long line, const char *received_at);
/* Records a quartier code met for the first time, with its label. */
int releve_figures_quartier(releve_figures *w, const char *code, const char *label);
/* Notes an (indicator, period) pair of the file, once each, for
 * releve_figures_above_whole(). */
int releve_figures_pair(releve_figures *w, const char *indicator, const char *period);

/* A part above its whole among the file's pairs: a count for QPV or QVA
 * above QP, any part above PARIS. */
typedef struct releve_figures_excess {
  const char *indicator, *period, *part, *whole;
  double part_value, whole_value;
  unsigned long part_line, whole_line;
  int part_here, whole_here; /* given by this submission (else already stored) */
} releve_figures_excess;

/* Calls each for every part above its whole that submission wrote, among
 * the contract's figures. Returns 0 or a negative errno value. */
int releve_figures_above_whole(releve_store *s, const char *contract, long long submission,
                               void (*each)(void *ud, const releve_figures_excess *e), void *ud);

#endif
