/* Periods as partners write them (period.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "referentiel/period.h"

static void test_parse(void **state) {
  releve_period p;
  (void)state;
  assert_int_equal(releve_period_parse(" 2019 ", &p), 0);
  assert_int_equal(p.kind, RELEVE_PERIOD_YEAR);
  assert_int_equal(p.year, 2019);
  assert_int_equal(releve_period_parse("2018/2019", &p), 0);
  assert_int_equal(p.kind, RELEVE_PERIOD_SCHOOL_YEAR);
  assert_int_equal(p.year, 2018);
  assert_int_equal(releve_period_parse("2018-19", &p), 0);
  assert_int_equal(releve_period_parse("2018-2020", &p), -EINVAL);
  assert_int_equal(releve_period_parse("1989", &p), -EINVAL);
}

static void test_parse_as(void **state) {
  releve_period p;
  (void)state;
  assert_int_equal(releve_period_parse_as("2019-T4", "year", &p), 0);
  assert_int_equal(p.year, 2019);
  assert_int_equal(releve_period_parse_as("2019-12-31", "date", &p), 0);
  assert_int_equal(p.year, 2019);
  assert_int_equal(p.kind, RELEVE_PERIOD_YEAR);
  assert_int_equal(releve_period_parse_as("2019-13-01", "date", &p), -EINVAL);
  assert_int_equal(releve_period_parse_as("31/12/2019", "date", &p), -EINVAL);
  assert_int_equal(releve_period_parse_as("2018-2019", "school_year", &p), 0);
  assert_int_equal(releve_period_parse_as("2018", "school_year", &p), -EINVAL);
}

/* A date's year is bounded like any other (found by fuzzing the mapping:
 * "1009-12-31" and "-999-12-31" were read as years whose formatted period
 * no longer parsed). */
static void test_date_year_bounded(void **state) {
  releve_period p;
  char text[16];
  (void)state;
  assert_int_equal(releve_period_parse_as("1009-12-31", "date", &p), -EINVAL);
  assert_int_equal(releve_period_parse_as("-999-12-31", "date", &p), -EINVAL);
  assert_int_equal(releve_period_parse_as("+201-12-31", "date", &p), -EINVAL);
  assert_int_equal(releve_period_parse_as("2100-01-01", "date", &p), 0);
  releve_period_format(&p, text, sizeof text);
  assert_int_equal(releve_period_parse(text, &p), 0);
  assert_int_equal(p.year, 2100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_parse_as),
      cmocka_unit_test(test_date_year_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
