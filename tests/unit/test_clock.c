/* util/clock.h: moments as the database keeps them, whatever the zone the
 * process runs under. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"

static void test_utc_text_and_day(void **state) {
  char text[32], day[11];
  (void)state;
  /* a zone fourteen hours ahead, where that last second is already the
   * next year */
  setenv("TZ", "XYZ-14", 1);
  tzset();
  releve_clock_utc_text(1798761599, text);
  releve_clock_utc_day(1798761599, day);
  assert_string_equal(text, "2026-12-31T23:59:59Z");
  assert_string_equal(day, "2026-12-31");
  releve_clock_utc_day(1772352000, day);
  assert_string_equal(day, "2026-03-01");
  /* the day is the start of the time text: they always agree */
  releve_clock_utc_text(1772352000, text);
  assert_int_equal(strncmp(text, day, 10), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_utc_text_and_day)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
