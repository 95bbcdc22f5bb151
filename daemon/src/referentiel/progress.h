/* progress.h -- how far an indicator has come toward its 2020 target.
 *
 * The référentiel parses each target (referentiel.h, conf/REFERENTIEL.md);
 * this module measures a figure against it:
 *   level  "1200 enfants accompagnés par an": the latest value over the
 *          target (1 020 -> 85 %); a cumulative level ("2000 jeunes sur la
 *          durée du plan") takes the total of the years received;
 *   share  "100 % des collèges REP/REP+": the share reached over the one
 *          aimed at: the value of a percent indicator, or the share a
 *          count carries (its "part"); a count without one cannot say;
 *   floor  "au moins 30 %": as a level; reached at the floor;
 *   range  "entre 120 et 140": reached within or above the range, below
 *          it measured against the lower bound;
 *   rise   "+20 % sur la durée du contrat": the way gone from the start
 *          value toward start × 1.2 (needs a start and a later value);
 *   fall   "-20 %": the same toward start × 0.8;
 * qualitative and none targets, and text, secret or missing figures, are
 * not measurable.
 *
 * The mark: reached; else receding when the latest value is worse than the
 * start (lower, or higher for a fall); else advancing (a target not yet
 * reached and not moving away from it). */
#ifndef RELEVE_PROGRESS_H
#define RELEVE_PROGRESS_H

#include "referentiel/referentiel.h"

typedef enum releve_progress_mark {
  RELEVE_PROGRESS_UNMEASURABLE = 0,
  RELEVE_PROGRESS_REACHED,
  RELEVE_PROGRESS_ADVANCING,
  RELEVE_PROGRESS_RECEDING
} releve_progress_mark;
#define RELEVE_PROGRESS_MARKS 4

/* One figure: its number and, for a "Nombre et part" count, its share. */
typedef struct releve_progress_figure {
  int has_value;
  double value;
  int has_share;
  double share; /* percentage 0-100 */
} releve_progress_figure;

typedef struct releve_progress_input {
  releve_progress_figure start; /* at the start of the contract */
  releve_progress_figure last;  /* the latest */
  int same_period;              /* start and last are one figure */
  int has_total;
  double total; /* of every yearly value received (cumulative levels) */
} releve_progress_input;

typedef struct releve_progress {
  releve_progress_mark mark;
  int has_ratio;
  double ratio; /* of the target reached: 0.85 for 85 %; negative when receding from a rise */
  int has_goal;
  double goal; /* the figure aimed at, in the measured figure's terms (charts) */
} releve_progress;

/* Measures in against ind's target into out. Returns 0, or -EINVAL when
 * an argument is NULL. */
int releve_progress_compute(const releve_indicator *ind, const releve_progress_input *in,
                            releve_progress *out);

/* Whether ind's target is measured on the share a count carries rather
 * than on its value. */
int releve_progress_uses_share(const releve_indicator *ind);

/* The mark as the coordinator reads it: "atteint", "en progrès", "en recul",
 * "non mesurable". */
const char *releve_progress_mark_text(releve_progress_mark m);

#endif
