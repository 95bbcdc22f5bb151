/* remind_ladder.c -- dating a campaign's reminder steps from the ladder
 * read with the configuration (config/reminders.h). */
#include "remind/remind_ladder.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/date.h"

/* Insertion sort by date: stable, so steps on one day keep the configured
 * order (there are at most RELEVE_LADDER_MAX_RULES). */
static void sort_by_date(releve_ladder_step *steps, size_t n) {
  size_t i, j;
  for (i = 1; i < n; i++) {
    releve_ladder_step s = steps[i];
    for (j = i; j > 0 && strcmp(steps[j - 1].date, s.date) > 0; j--)
      steps[j] = steps[j - 1];
    steps[j] = s;
  }
}

size_t releve_ladder_steps(const releve_ladder *l, const releve_campaign *k,
                           releve_ladder_step *steps) {
  size_t n = 0, i, kept = 0;
  int overdue = 0, repeat;
  char base[11];

  for (i = 0; i < l->n_rules; i++) {
    const releve_ladder_rule *r = &l->rules[i];
    releve_ladder_step *s = &steps[n];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", r->name);
    if (releve_date_add(r->anchor == RELEVE_LADDER_OPENS ? k->opens : k->due, r->days, s->date))
      continue;
    if (strcmp(s->date, k->opens) < 0)
      continue; /* the campaign is not open yet */
    n++;
  }
  sort_by_date(steps, n);
  /* Two steps on one day: the first configured is sent. */
  for (i = 0; i < n; i++) {
    if (kept && strcmp(steps[kept - 1].date, steps[i].date) == 0)
      continue;
    if (strcmp(steps[i].date, k->due) > 0) {
      if (overdue == l->max_overdue)
        break;
      steps[i].overdue = ++overdue;
    }
    steps[kept++] = steps[i];
  }
  n = kept;
  snprintf(base, sizeof base, "%s",
           n && strcmp(steps[n - 1].date, k->due) > 0 ? steps[n - 1].date : k->due);
  for (repeat = 1; l->repeat_every_days > 0 && overdue < l->max_overdue; repeat++) {
    releve_ladder_step *s = &steps[n];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "relance-%d", repeat);
    if (releve_date_add(base, repeat * l->repeat_every_days, s->date))
      break;
    s->overdue = ++overdue;
    n++;
  }
  for (i = 0; i < n; i++) {
    if (i + 1 < n)
      memcpy(steps[i].until, steps[i + 1].date, sizeof steps[i].until);
    else
      releve_date_add(steps[i].date, l->repeat_every_days ? l->repeat_every_days : 14,
                      steps[i].until);
    steps[i].copy_coordinator = steps[i].overdue > l->copy_coordinator_after;
  }
  return n;
}

const releve_ladder_step *releve_ladder_due(const releve_ladder_step *steps, size_t n,
                                            const char *date) {
  size_t i;
  for (i = 0; i < n; i++)
    if (strcmp(steps[i].date, date) <= 0 && strcmp(date, steps[i].until) < 0)
      return &steps[i];
  return NULL;
}
