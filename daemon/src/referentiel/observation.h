/* observation.h -- one figure on its way from a partner's row to the
 * database: what the mapping made of the row (a candidate), and what
 * validation made of the candidate (a figure, as it is stored). */
#ifndef RELEVE_OBSERVATION_H
#define RELEVE_OBSERVATION_H

#include "referentiel/period.h"
#include "referentiel/referentiel.h"
#include "releve/plugin.h"

typedef struct releve_candidate {
  const char *indicator;  /* as written in the file or the mapping */
  const char *period;     /* as written ("2019", "2019-T4" already reduced by the map) */
  const char *geography;  /* as written */
  releve_cell value;      /* the value cell (kind, text, number, column) */
  releve_cell share;      /* RELEVE_CELL_EMPTY when none */
  const char *status;     /* as written, may be NULL or "" */
  const char *comment;    /* may be NULL */
  unsigned long line;     /* source line, 0 for an aggregate */
} releve_candidate;

/* A candidate checked against the référentiel (validate.h). */
typedef struct releve_figure {
  const releve_indicator *indicator;
  releve_period period;
  char period_text[16];
  char geography[16];
  int has_value;
  double value;
  const char *text;   /* text indicators */
  int has_share;
  double share;
  const char *status; /* normal, provisional, estimated, suppressed, not_available */
  const char *comment;
} releve_figure;

#endif
