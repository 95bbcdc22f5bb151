/* remind_ladder.h -- the reminder steps of a campaign, dated from the
 * ladder of the configuration ("reminders", config/reminders.h documents
 * it). */
#ifndef RELEVE_REMIND_LADDER_H
#define RELEVE_REMIND_LADDER_H

#include <stddef.h>

#include "config/config.h"

#define RELEVE_LADDER_MAX_STEPS (RELEVE_LADDER_MAX_RULES + RELEVE_LADDER_MAX_OVERDUE)

typedef struct releve_ladder_step {
  char name[RELEVE_LADDER_NAME];
  char date[11];  /* YYYY-MM-DD, the first day it is sent */
  char until[11]; /* the day it gives way to the next step */
  int overdue;    /* 1, 2… for reminders after the due date, 0 before */
  int copy_coordinator;
} releve_ladder_step;

/* The dated steps of campaign k, in date order, into steps (room for
 * RELEVE_LADDER_MAX_STEPS). Returns how many. */
size_t releve_ladder_steps(const releve_ladder *l, const releve_campaign *k,
                           releve_ladder_step *steps);
/* The step to send on date (YYYY-MM-DD) among steps, or NULL. */
const releve_ladder_step *releve_ladder_due(const releve_ladder_step *steps, size_t n,
                                            const char *date);


#endif
