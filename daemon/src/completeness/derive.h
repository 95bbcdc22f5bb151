/* derive.h -- cells of the référentiel's table that follow from what partners
 * gave, without being given themselves:
 *
 *   QPV, QVA   the sum of its quartiers, once every quartier of the kind
 *              and of one list has a value: the loaded geography list of
 *              that vintage (referentiel/geography.h: the 20 QPV of Paris
 *              of 2015 by default), else the quartiers the address
 *              reference lists with their kind (2015 codes QP075…, 2024
 *              codes QN075…, the city's QVA codes); a 2015 and a 2024 code
 *              are never added together;
 *   QP         QPV + QVA, each given or derived.
 *
 * Only counts and amounts add up: a share, a rate or a text is never derived.
 * A derived cell counts as given for completeness and is marked "derived"
 * wherever it is shown. */
#ifndef RELEVE_DERIVE_H
#define RELEVE_DERIVE_H

#include "config/config.h"
#include "store/store.h"

typedef struct releve_deriver releve_deriver;

/* Prepares the statements on s, for the figures of cfg's contract (a
 * view, releve_config_view, or a one-contract configuration). Returns 0 or a negative errno value. */
int releve_deriver_new(releve_store *s, const releve_config *cfg, releve_deriver **out);
void releve_deriver_free(releve_deriver *d);

/* Whether the cell (ind, period, geography), not given itself, can be
 * derived: 1 with its value in *value, 0 when not, or a negative errno
 * value. */
int releve_derive(releve_deriver *d, const releve_indicator *ind, const char *period,
                  const char *geography, double *value);

#endif
