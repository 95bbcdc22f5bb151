/* observation.h -- one figure on its way from a partner's row to the
 * database: what the mapping made of the row, before validation. */
#ifndef RELEVE_OBSERVATION_H
#define RELEVE_OBSERVATION_H

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

#endif
