/* privacy.h -- personal data and statistical secrecy.
 *
 * A source marked "personal_data": true (per actor) sends one row per
 * person: its rows live only in memory while they are counted; reports,
 * logs and the database get aggregates, hashes and line numbers, never a
 * name or a street. Once its counts are committed the file itself is
 * deleted ("keep_days": 0, the default) or kept that many days in the
 * root-only folder spool/<actor>/personal/ (mode 0700), then deleted.
 * A plugin that declares person-level records (RELEVE_PLUGIN_PERSONAL_DATA)
 * makes every actor using it such a source, whatever its configuration
 * says (releve_plugins_enforce_privacy, plugin_check.h).
 *
 * Statistical secrecy on output ("secrecy": {"threshold": 5}): a count
 * from 1 to threshold-1 is shown as "secret", and so is a second cell
 * wherever a total would otherwise give the blanked one back by
 * subtraction (QP = QPV + QVA, QPV = its quartiers, QVA = its quartiers,
 * PARIS = its arrondissements). threshold 0 blanks nothing. It applies to
 * counts of persons and households only (the indicator's "counts"): a
 * count of schools, actions or homes identifies nobody. The share a
 * blanked count carries ("Nombre et part") is blanked with it, since the
 * share and the total would give the count back. */
#ifndef RELEVE_PRIVACY_H
#define RELEVE_PRIVACY_H

#include <stddef.h>

#include "config/config.h"
#include "util/json.h"

/* Reads an actor's "personal_data" and "keep_days" (entry is its object
 * in "actors", path its key path). */
void releve_privacy_actor_load(releve_actor *act, const releve_jctx *c, json_t *entry,
                               const char *path);
/* Reads the top-level "secrecy" (default threshold 5). */
void releve_privacy_secrecy_load(releve_config *cfg, const releve_jctx *c);

/* Whether statistical secrecy applies to ind's figures: a count of
 * persons or households. */
int releve_privacy_secrecy_covers(const releve_indicator *ind);

/* One figure of an indicator for one period. */
typedef struct releve_secrecy_cell {
  const char *geography;
  double value;
  int has_value; /* a count (a suppressed, missing or text value is never one) */
  int secret;    /* in: already blank (the partner's "secret"); out: show "secret" */
} releve_secrecy_cell;

/* Marks the cells to blank, primary and secondary. A quartier code the
 * address reference knows as a QVA counts towards QVA, any other towards
 * QPV (addresses may be NULL). */
void releve_privacy_secrecy_apply(releve_secrecy_cell *cells, size_t n, int threshold,
                                  const struct releve_addr_ref *addresses);

#endif
