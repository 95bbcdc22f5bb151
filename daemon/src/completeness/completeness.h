/* completeness.h -- which cells each actor owes and which have arrived.
 *
 * An actor owes, for every indicator it is referent for, every owed period
 * (each year of the contract up to last year, or the one asked for) and
 * every geography the indicator's cells are expected for (its
 * "geographies" in the référentiel, or the actor's "scopes" when its
 * configuration sets them). A cell that follows from given ones (QP =
 * QPV + QVA for counts, a QPV from all its quartiers: derive.h) is given,
 * and marked derived. A value
 * with status suppressed or not available counts as given; a zero is a
 * value; an empty cell is missing. A missing cell is late once its due date
 * (the campaign's, or 30 June of the following year) has passed. */
#ifndef RELEVE_COMPLETENESS_H
#define RELEVE_COMPLETENESS_H

#include "config/config.h"
#include "referentiel/period.h"
#include "store/store.h"

typedef struct releve_expected {
  const releve_indicator *indicator;
  const releve_actor *actor;
  releve_period period;
  const char *geography;
  int given;
  int derived;  /* given through derive.h, not by the partner */
  double value; /* a derived cell's value */
  int late;
  char due[11]; /* YYYY-MM-DD */
} releve_expected;

typedef int (*releve_expected_cb)(void *ud, const releve_expected *cell);

/* cfg, in every function below, is one contract's: a view
 * (releve_config_view) or a configuration of one contract. */

/* Calls cb for each owed cell, by actor, indicator, period, geography. actor
 * NULL means every actor; year 0 means every owed year up to the year
 * before today. today is YYYY-MM-DD. A non-zero return of cb stops the
 * walk and is returned. */
int releve_completeness_walk(releve_store *s, const releve_config *cfg, const char *actor,
                             int year, const char *today, releve_expected_cb cb, void *ud);

/* The year a campaign is collecting on today (YYYY-MM-DD): that of the
 * latest campaign opened by then, else last year, within the contract. */
int releve_completeness_campaign(const releve_config *cfg, const char *today);

/* How many cells actor still owes for year (missing, derived ones aside):
 * *owed. Returns 0 or a negative errno value. */
int releve_completeness_owed(releve_store *s, const releve_config *cfg, const char *actor,
                             int year, const char *today, int *owed);

/* The due date of a year's figures: its campaign's, else 30 June after. */
void releve_completeness_due(const releve_config *cfg, int year, char out[11]);

#endif
