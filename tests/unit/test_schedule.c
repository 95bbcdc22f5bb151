/* The schedule parser: the next run after a given time for cron
 * expressions (lists, ranges, steps, names, both day fields) and
 * intervals, and a message naming the field for each invalid form. Runs
 * in UTC so that the expected times do not depend on the machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/schedule.h"

static time_t at(int y, int mo, int d, int h, int mi) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  return timegm(&tm);
}

static void expect_next(const char *text, time_t after, time_t want) {
  releve_schedule s;
  char err[512] = "";
  time_t got = 0;
  if (releve_schedule_parse(&s, text, err, sizeof err) != 0)
    fail_msg("\"%s\" refused: %s", text, err);
  assert_int_equal(releve_schedule_next(&s, after, &got), 0);
  if (got != want) {
    char a[32], b[32];
    strftime(a, sizeof a, "%Y-%m-%d %H:%M %a", gmtime(&got));
    strftime(b, sizeof b, "%Y-%m-%d %H:%M %a", gmtime(&want));
    fail_msg("\"%s\": next is %s, expected %s", text, a, b);
  }
}

static void test_cron_steps_and_ranges(void **state) {
  (void)state;
  expect_next("*/15 * * * *", at(2024, 1, 1, 0, 7) + 30, at(2024, 1, 1, 0, 15));
  expect_next("*/15 * * * *", at(2024, 1, 1, 0, 15), at(2024, 1, 1, 0, 30)); /* strictly after */
  expect_next("5/20 * * * *", at(2024, 1, 1, 0, 6), at(2024, 1, 1, 0, 25));
  expect_next("0 9-17/4 * * *", at(2024, 1, 5, 9, 0), at(2024, 1, 5, 13, 0));
  expect_next("0 9-17/4 * * *", at(2024, 1, 5, 17, 30), at(2024, 1, 6, 9, 0));
  expect_next("59 23 31 12 *", at(2024, 1, 1, 0, 0), at(2024, 12, 31, 23, 59));
}

static void test_cron_lists_and_names(void **state) {
  (void)state;
  expect_next("30 8 1,15 * *", at(2024, 1, 15, 9, 0), at(2024, 2, 1, 8, 30));
  expect_next("0 0 1 jan,jul *", at(2024, 2, 1, 0, 0), at(2024, 7, 1, 0, 0));
  expect_next("0,30 6,18 * * *", at(2024, 3, 10, 6, 30), at(2024, 3, 10, 18, 0));
  expect_next("0 0 1 JAN-MAR/2 *", at(2024, 1, 1, 0, 0), at(2024, 3, 1, 0, 0));
}

static void test_cron_day_of_week(void **state) {
  (void)state;
  /* 2024-01-01 is a Monday. */
  expect_next("0 6 * * 1", at(2024, 1, 1, 7, 0), at(2024, 1, 8, 6, 0));
  expect_next("0 9 * * mon-fri", at(2024, 1, 5, 17, 30), at(2024, 1, 8, 9, 0));
  expect_next("0 12 * * 7", at(2024, 1, 1, 0, 0), at(2024, 1, 7, 12, 0)); /* 7 is Sunday */
  expect_next("0 12 * * sun", at(2024, 1, 1, 0, 0), at(2024, 1, 7, 12, 0));
  /* Both day fields restricted: either matches (the 13th, or a Friday). */
  expect_next("0 0 13 * 5", at(2024, 1, 1, 0, 0), at(2024, 1, 5, 0, 0));
  expect_next("0 0 13 * 5", at(2024, 1, 12, 0, 0), at(2024, 1, 13, 0, 0));
  /* A starred day-of-month: only the day of week counts. */
  expect_next("0 0 */1 * 5", at(2024, 1, 1, 0, 0), at(2024, 1, 5, 0, 0));
}

static void test_cron_rare_and_never(void **state) {
  releve_schedule s;
  char err[512];
  time_t t;
  (void)state;
  expect_next("0 0 29 2 *", at(2024, 3, 1, 0, 0), at(2028, 2, 29, 0, 0));
  assert_int_equal(releve_schedule_parse(&s, "0 0 30 2 *", err, sizeof err), 0);
  assert_int_equal(releve_schedule_next(&s, at(2024, 1, 1, 0, 0), &t), -ERANGE);
}

static void test_intervals(void **state) {
  releve_schedule s;
  char err[512];
  (void)state;
  expect_next("30m", 1000, 1000 + 1800);
  expect_next("6h", 1000, 1000 + 6 * 3600);
  expect_next("1d", 1000, 1000 + 86400);
  expect_next("90s", 1000, 1090);
  assert_int_equal(releve_schedule_parse(&s, "2h", err, sizeof err), 0);
  assert_int_equal(s.interval, 7200);
}

static void expect_refused(const char *text, const char *needle) {
  releve_schedule s;
  char err[512] = "";
  if (releve_schedule_parse(&s, text, err, sizeof err) != -EINVAL)
    fail_msg("\"%s\" accepted", text);
  if (strstr(err, needle) == NULL)
    fail_msg("\"%s\": message \"%s\" does not mention \"%s\"", text, err, needle);
  /* Every message says what is allowed. */
  assert_non_null(strstr(err, "minute hour day-of-month month day-of-week"));
}

static void test_invalid_forms(void **state) {
  (void)state;
  expect_refused("", "has 0 fields");
  expect_refused("* * * *", "has 4 fields");
  expect_refused("* * * * * *", "more than 5 fields");
  expect_refused("60 * * * *", "minute field \"60\": 60 is out of range (0-59)");
  expect_refused("* 24 * * *", "hour field \"24\": 24 is out of range (0-23)");
  expect_refused("* * 0 * *", "day-of-month field \"0\": 0 is out of range (1-31)");
  expect_refused("* * * 13 *", "month field \"13\": 13 is out of range (1-12 or jan-dec)");
  expect_refused("* * * * 8", "day-of-week field \"8\": 8 is out of range");
  expect_refused("* * * * lun", "day-of-week field \"lun\": \"lun\" is not a value");
  expect_refused("*/0 * * * *", "minute field \"*/0\": the step 0 is out of range");
  expect_refused("*/ * * * *", "minute field \"*/\": a step is a number");
  expect_refused("5-2 * * * *", "minute field \"5-2\": the range 5-2 is reversed");
  expect_refused("1,,2 * * * *", "minute field \"1,,2\"");
  expect_refused("1, * * * *", "minute field \"1,\": unexpected");
  expect_refused("** * * * *", "minute field \"**\": unexpected");
  expect_refused("0m", "an interval runs from 1s to 366d");
  expect_refused("367d", "an interval runs from 1s to 366d");
  expect_refused("5x", "unknown interval unit \"x\"");
  expect_refused("1.5h", "unknown interval unit \".5h\"");
  expect_refused("30 m", "has 2 fields");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cron_steps_and_ranges),
      cmocka_unit_test(test_cron_lists_and_names),
      cmocka_unit_test(test_cron_day_of_week),
      cmocka_unit_test(test_cron_rare_and_never),
      cmocka_unit_test(test_intervals),
      cmocka_unit_test(test_invalid_forms),
  };
  setenv("TZ", "UTC", 1);
  tzset();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
