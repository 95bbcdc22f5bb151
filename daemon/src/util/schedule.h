/* schedule.h -- when a scheduled pull runs: a cron expression or an
 * interval.
 *
 *   cron      five fields "minute hour day-of-month month day-of-week", each
 *             "*", a number, a range "a-b", a step "*\/n", "a-b/n" or "a/n",
 *             or a comma-separated list of those. Months may be written
 *             jan…dec and days sun…sat; day-of-week 0 and 7 are Sunday. As
 *             in Vixie cron, when both day fields are restricted (neither
 *             starts with "*") a day matching either one runs. Evaluated in
 *             local time.
 *   interval  a whole number and a unit: "90s", "30m", "6h", "1d".
 *
 * Used by the source checker (check-config explains a bad schedule) and by
 * the poller. */
#ifndef RELEVE_SCHEDULE_H
#define RELEVE_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct releve_schedule {
  long interval;          /* seconds; 0 for a cron expression */
  uint64_t minutes;       /* bit m: minute m (0-59) */
  uint32_t hours;         /* 0-23 */
  uint32_t mdays;         /* 1-31 */
  uint16_t months;        /* 1-12 */
  uint8_t wdays;          /* 0-6, Sunday 0 */
  int mday_any, wday_any; /* the day field starts with "*" */
} releve_schedule;

/* Parses text. Returns 0, or -EINVAL with a sentence in err saying which
 * field is wrong and what is allowed. */
int releve_schedule_parse(releve_schedule *s, const char *text, char *err, size_t errlen);

/* The first run strictly after `after`: after + interval, or the next
 * minute matching the cron fields. Returns 0, or -ERANGE when a cron
 * expression never matches (such as "0 0 30 2 *"). */
int releve_schedule_next(const releve_schedule *s, time_t after, time_t *next);

/* The next run after `after`, or a day later when the schedule never
 * matches (the configuration checker refuses such a schedule). */
time_t releve_schedule_after(const releve_schedule *s, time_t after);

/* When to try again, from `from`, after `failures` failures in a row:
 * first_delay seconds, doubled per further failure, at most a day, and
 * never later than next_regular, the next scheduled run. */
time_t releve_schedule_retry_at(int first_delay, int failures, time_t from, time_t next_regular);

#endif
