/* validate.h -- every figure checked against the référentiel before
 * anything is stored: the indicator exists and belongs to the submitting
 * actor; the period lies in the contract and is of the indicator's kind;
 * the geography is known; the value fits the unit (count: whole number ≥ 0,
 * percent: 0–100, amount ≥ 0, text: not empty); a share lies in 0–100 and
 * only where the indicator carries one. Suppressed and not-available
 * figures keep their status and are never turned into zero. */
#ifndef RELEVE_VALIDATE_H
#define RELEVE_VALIDATE_H

#include "config/config.h"
#include "referentiel/observation.h"
#include "referentiel/period.h"
#include "util/buf.h"

enum { RELEVE_VALID = 0, RELEVE_EMPTY = 1, RELEVE_INVALID = -1 };

/* Checks c for actor against cfg, the view of actor's contract
 * (releve_config_view): its référentiel, years and QPV vintage. RELEVE_VALID fills out; RELEVE_EMPTY means the row
 * gives no figure (an empty value, which is not a zero); RELEVE_INVALID
 * puts the French reason and what is expected in why, and the column and
 * value at fault in *column and *value. */
int releve_validate(const releve_config *cfg, const releve_actor *actor, const releve_candidate *c,
                    releve_figure *out, releve_buf *why, unsigned *column, const char **value);

#endif
