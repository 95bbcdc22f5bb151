/* remind_ladder.h -- when partners are reminded: the "reminders" key.
 *
 *   "reminders": {
 *     "steps": [{"name": "ouverture", "at": "opens"}, {"days_before_due": 14},
 *               {"days_before_due": 3}, {"days_after_due": 1}],
 *     "repeat_every_days": 14, "max_overdue": 6,
 *     "copy_coordinator_after": 2, "receipts": true }
 *
 * (those are the defaults). A step is dated from its campaign: "at" "opens"
 * or "due", or a number of days_after_opens, days_before_due or
 * days_after_due. Steps before the campaign opens are left out. After the
 * last step, a reminder is repeated every repeat_every_days (0: never)
 * while the figures are late; max_overdue bounds the reminders sent after
 * the due date, repeats included. From the overdue reminder after the
 * first copy_coordinator_after ones, the coordinator (mail.coordinator) is
 * copied. receipts: whether each file's report is mailed to its sender.
 *
 * A step is sent from its date until the next step's (the last one for
 * repeat_every_days, or 14 days): a daemon stopped on the day still sends
 * it the day after, an old campaign never wakes up, and skipped steps are
 * not sent in a burst. Step names ("ouverture", "J-14", "J+1",
 * "relance-1"…) key the record of what was sent: renaming a step makes it
 * a new one. */
#ifndef RELEVE_REMIND_LADDER_H
#define RELEVE_REMIND_LADDER_H

#include <jansson.h>
#include <stddef.h>

#include "config/config.h"
#include "util/json.h"

#define RELEVE_LADDER_MAX_RULES 16
#define RELEVE_LADDER_MAX_OVERDUE 52
#define RELEVE_LADDER_MAX_STEPS (RELEVE_LADDER_MAX_RULES + RELEVE_LADDER_MAX_OVERDUE)
#define RELEVE_LADDER_NAME 48

typedef enum releve_ladder_anchor { RELEVE_LADDER_OPENS, RELEVE_LADDER_DUE } releve_ladder_anchor;

typedef struct releve_ladder_rule {
  char name[RELEVE_LADDER_NAME];
  releve_ladder_anchor anchor;
  int days; /* after the anchor, negative before */
} releve_ladder_rule;

typedef struct releve_ladder {
  releve_ladder_rule rules[RELEVE_LADDER_MAX_RULES];
  size_t n_rules;
  int repeat_every_days;
  int max_overdue;
  int copy_coordinator_after;
  int receipts;
  int template_format; /* releve_template_format of the table attached (xlsx by default) */
} releve_ladder;

typedef struct releve_ladder_step {
  char name[RELEVE_LADDER_NAME];
  char date[11];  /* YYYY-MM-DD, the first day it is sent */
  char until[11]; /* the day it gives way to the next step */
  int overdue;    /* 1, 2… for reminders after the due date, 0 before */
  int copy_coordinator;
} releve_ladder_step;

/* Reads a "reminders" object (NULL: every default), adding a diagnostic to
 * c for each problem. Returns 0 or -EINVAL. */
int releve_ladder_load(json_t *reminders, const releve_jctx *c, releve_ladder *l);
/* releve_ladder_load for the configuration checker. */
void releve_ladder_check(json_t *reminders, const releve_jctx *c);
/* The ladder of a loaded configuration (checked when it was loaded). */
int releve_ladder_of(const releve_config *cfg, releve_ladder *l);

/* The dated steps of campaign k, in date order, into steps (room for
 * RELEVE_LADDER_MAX_STEPS). Returns how many. */
size_t releve_ladder_steps(const releve_ladder *l, const releve_campaign *k,
                           releve_ladder_step *steps);
/* The step to send on date (YYYY-MM-DD) among steps, or NULL. */
const releve_ladder_step *releve_ladder_due(const releve_ladder_step *steps, size_t n,
                                            const char *date);

/* Date arithmetic on YYYY-MM-DD: out = date + days. -EINVAL for a date
 * that is not one. */
int releve_date_add(const char *date, int days, char out[11]);

#endif
