/* progress.c -- see progress.h. */
#include "referentiel/progress.h"

#include <errno.h>
#include <string.h>

const char *releve_progress_mark_text(releve_progress_mark m) {
  static const char *const text[RELEVE_PROGRESS_MARKS] = {"non mesurable", "atteint",
                                                          "en progrès", "en recul"};
  return (unsigned)m < RELEVE_PROGRESS_MARKS ? text[m] : text[0];
}

/* A percentage target on a count is about the share it carries. */
int releve_progress_uses_share(const releve_indicator *ind) {
  const releve_target *t = &ind->target;
  int percent = t->kind == RELEVE_TARGET_SHARE || (t->kind == RELEVE_TARGET_FLOOR && t->percent);
  return percent && ind->unit != RELEVE_UNIT_PERCENT;
}

/* The figure the target speaks of, or 0 when there is none. */
static int measure(const releve_indicator *ind, const releve_progress_figure *f, double *out) {
  if (releve_progress_uses_share(ind)) {
    if (!f->has_share) /* the partner did not say which share the count is */
      return 0;
    *out = f->share;
    return 1;
  }
  if (!f->has_value)
    return 0;
  *out = f->value;
  return 1;
}

/* Reached at or above goal (a ratio of the goal); otherwise the direction
 * since the start. */
static void toward(releve_progress *out, double m, double goal, int has_start, double start) {
  out->has_goal = 1;
  out->goal = goal;
  if (goal > 0) {
    out->has_ratio = 1;
    out->ratio = m / goal;
  }
  if (m >= goal)
    out->mark = RELEVE_PROGRESS_REACHED;
  else if (has_start && m < start)
    out->mark = RELEVE_PROGRESS_RECEDING;
  else
    out->mark = RELEVE_PROGRESS_ADVANCING;
}

int releve_progress_compute(const releve_indicator *ind, const releve_progress_input *in,
                            releve_progress *out) {
  const releve_target *t;
  double last, start, span;
  int has_start;

  if (ind == NULL || in == NULL || out == NULL)
    return -EINVAL;
  memset(out, 0, sizeof *out);
  t = &ind->target;
  if (ind->unit == RELEVE_UNIT_TEXT || !measure(ind, &in->last, &last))
    return 0;
  has_start = !in->same_period && measure(ind, &in->start, &start);
  switch (t->kind) {
  case RELEVE_TARGET_LEVEL:
    if (t->cumulative) {
      if (!in->has_total)
        return 0;
      /* A running total only grows: no direction to read from it. */
      toward(out, in->total, t->value, 0, 0);
    } else {
      toward(out, last, t->value, has_start, start);
    }
    break;
  case RELEVE_TARGET_SHARE:
  case RELEVE_TARGET_FLOOR:
    toward(out, last, t->value, has_start, start);
    break;
  case RELEVE_TARGET_RANGE:
    toward(out, last, t->min, has_start, start);
    break;
  case RELEVE_TARGET_RISE:
  case RELEVE_TARGET_FALL:
    if (!has_start || start <= 0)
      return 0;
    span = start * t->value / 100;
    out->has_goal = out->has_ratio = 1;
    if (t->kind == RELEVE_TARGET_RISE) {
      out->goal = start + span;
      out->ratio = (last - start) / span;
      out->mark = last >= out->goal ? RELEVE_PROGRESS_REACHED
                  : last < start    ? RELEVE_PROGRESS_RECEDING
                                    : RELEVE_PROGRESS_ADVANCING;
    } else {
      out->goal = start - span;
      out->ratio = (start - last) / span;
      out->mark = last <= out->goal ? RELEVE_PROGRESS_REACHED
                  : last > start    ? RELEVE_PROGRESS_RECEDING
                                    : RELEVE_PROGRESS_ADVANCING;
    }
    break;
  default:
    break;
  }
  return 0;
}
