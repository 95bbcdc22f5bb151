/* Numbers in French form (report.h): what partners and the coordinator
 * read in reports, mails and the command line's tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "report.h"

#define SP RELEVE_NUMBER_SPACE

static const char *fmt(double v, int decimals, unsigned flags) {
  static char out[RELEVE_NUMBER_SIZE];
  return releve_report_format(v, decimals, flags, out);
}

static void test_integers(void **state) {
  (void)state;
  assert_string_equal(fmt(0, -1, RELEVE_NUMBER_GROUPED), "0");
  assert_string_equal(fmt(7, 0, RELEVE_NUMBER_GROUPED), "7");
  assert_string_equal(fmt(360, -1, RELEVE_NUMBER_GROUPED), "360");
  /* From four digits on, groups of three. */
  assert_string_equal(fmt(1360, -1, RELEVE_NUMBER_GROUPED), "1" SP "360");
  assert_string_equal(fmt(7056, 0, RELEVE_NUMBER_GROUPED), "7" SP "056");
  assert_string_equal(fmt(100000, -1, RELEVE_NUMBER_GROUPED), "100" SP "000");
  assert_string_equal(fmt(10002015, -1, RELEVE_NUMBER_GROUPED), "10" SP "002" SP "015");
  assert_string_equal(fmt(999999999999999, -1, RELEVE_NUMBER_GROUPED),
                      "999" SP "999" SP "999" SP "999" SP "999");
  /* Ungrouped, every digit still (never 1.0002e+07). */
  assert_string_equal(fmt(10002015, -1, 0), "10002015");
}

static void test_negatives(void **state) {
  (void)state;
  assert_string_equal(fmt(-5, -1, RELEVE_NUMBER_GROUPED), "-5");
  assert_string_equal(fmt(-1360, -1, RELEVE_NUMBER_GROUPED), "-1" SP "360");
  assert_string_equal(fmt(-123456.5, 1, RELEVE_NUMBER_GROUPED), "-123" SP "456,5");
  /* A value rounded to zero carries no sign. */
  assert_string_equal(fmt(-0.04, 1, RELEVE_NUMBER_GROUPED), "0,0");
  assert_string_equal(fmt(-0.4, 0, 0), "0");
  assert_string_equal(fmt(-0.0, -1, 0), "0");
}

static void test_decimals(void **state) {
  (void)state;
  assert_string_equal(fmt(12.5, -1, RELEVE_NUMBER_GROUPED), "12,5");
  assert_string_equal(fmt(0.125, -1, 0), "0,125");
  assert_string_equal(fmt(1234.75, -1, RELEVE_NUMBER_GROUPED), "1" SP "234,75");
  assert_string_equal(fmt(12, 2, RELEVE_NUMBER_GROUPED), "12,00");
  /* Digits after the comma are never grouped. */
  assert_string_equal(fmt(0.123456, 6, RELEVE_NUMBER_GROUPED), "0,123456");
}

static void test_rounding(void **state) {
  (void)state;
  /* Halves away from zero, not to even as printf would. */
  assert_string_equal(fmt(2.5, 0, 0), "3");
  assert_string_equal(fmt(3.5, 0, 0), "4");
  assert_string_equal(fmt(-2.5, 0, 0), "-3");
  assert_string_equal(fmt(0.125, 2, 0), "0,13");
  assert_string_equal(fmt(12.34, 1, 0), "12,3");
  assert_string_equal(fmt(12.36, 1, 0), "12,4");
  /* Rounding may add a digit, and a group with it. */
  assert_string_equal(fmt(999.5, 0, RELEVE_NUMBER_GROUPED), "1" SP "000");
  assert_string_equal(fmt(999999.96, 1, RELEVE_NUMBER_GROUPED), "1" SP "000" SP "000,0");
}

static void test_percent(void **state) {
  (void)state;
  assert_string_equal(fmt(12.5, -1, RELEVE_NUMBER_PERCENT), "12,5" SP "%");
  assert_string_equal(fmt(100, 0, RELEVE_NUMBER_PERCENT | RELEVE_NUMBER_GROUPED), "100" SP "%");
  assert_string_equal(fmt(0.04, 1, RELEVE_NUMBER_PERCENT), "0,0" SP "%");
  assert_string_equal(fmt(1250, 0, RELEVE_NUMBER_PERCENT | RELEVE_NUMBER_GROUPED),
                      "1" SP "250" SP "%");
}

static void test_out_of_range(void **state) {
  char out[32];
  (void)state;
  /* Past 10^15: exponent form, never grouped or overflowing. */
  assert_string_equal(fmt(1e20, 0, RELEVE_NUMBER_GROUPED), "1e+20");
  assert_string_equal(fmt(-1.5e300, -1, RELEVE_NUMBER_GROUPED), "-1,5e+300");
  assert_string_equal(fmt(INFINITY, 0, RELEVE_NUMBER_GROUPED), "inf");
  /* The report's own form is the same, ungrouped. */
  assert_string_equal(releve_report_number(-1234.5, out), "-1234,5");
  assert_string_equal(releve_report_number(1e16, out), "1e+16");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_integers), cmocka_unit_test(test_negatives),
      cmocka_unit_test(test_decimals), cmocka_unit_test(test_rounding),
      cmocka_unit_test(test_percent),  cmocka_unit_test(test_out_of_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
