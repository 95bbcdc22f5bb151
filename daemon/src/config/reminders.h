/* reminders.h -- when partners are reminded: the "reminders" key, read
 * once when the configuration is loaded (remind/remind_ladder.h dates its
 * steps for each campaign).
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
#ifndef RELEVE_REMINDERS_H
#define RELEVE_REMINDERS_H

#include <jansson.h>
#include <stddef.h>

#include "util/json.h"

/* The forms of the collection table sent with reminders
 * ("reminders.template_format", `releve template --format`). */
typedef enum releve_template_format {
  RELEVE_TEMPLATE_CSV = 0,
  RELEVE_TEMPLATE_XLSX,
  RELEVE_TEMPLATE_ODS
} releve_template_format;

/* "csv", "xlsx", "ods" → the format; -EINVAL for another name. */
int releve_template_format_parse(const char *name, releve_template_format *out);
/* The file extension ("xlsx") and MIME type of a format. */
const char *releve_template_format_extension(releve_template_format format);
const char *releve_template_format_mime(releve_template_format format);

#define RELEVE_LADDER_MAX_RULES 16
#define RELEVE_LADDER_MAX_OVERDUE 52
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
  releve_template_format template_format; /* of the table attached (xlsx by default) */
} releve_ladder;

/* Reads a "reminders" object (NULL: every default), adding a diagnostic to
 * c for each problem. Returns 0 or -EINVAL. */
int releve_ladder_load(json_t *reminders, const releve_jctx *c, releve_ladder *l);
/* The same for the object at path at ("contracts[1].reminders"). */
int releve_ladder_load_at(json_t *reminders, const releve_jctx *c, const char *at,
                          releve_ladder *l);


#endif
