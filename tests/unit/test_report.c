/* Numbers in French form (report.h): what partners and the coordinator
 * read in reports, mails and the command line's tables; and where a report
 * says a problem is: lines of a text file, cells of a workbook sheet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <math.h>

#include "report/report.h"

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

static void test_locations(void **state) {
  (void)state;
  releve_report r = {0};
  char where[192];
  assert_string_equal(releve_report_where(&r, 12, 5, where), "ligne 12, colonne 5");
  assert_string_equal(releve_report_where(&r, 12, 0, where), "ligne 12");
  assert_string_equal(releve_report_where(&r, 0, 3, where), "fichier");
  assert_int_equal(releve_report_sheet(&r, "Feuil1"), 0);
  assert_string_equal(releve_report_where(&r, 12, 5, where), "cellule Feuil1!E12");
  assert_string_equal(releve_report_where(&r, 12, 0, where), "Feuil1, ligne 12");
  assert_string_equal(releve_report_where(&r, 0, 0, where), "fichier");
  assert_int_equal(releve_report_sheet(&r, "Mode d'emploi"), 0);
  assert_string_equal(releve_report_where(&r, 3, 28, where), "cellule 'Mode d''emploi'!AB3");
  assert_int_equal(releve_report_sheet(&r, "Données_2019"), 0);
  assert_string_equal(releve_report_where(&r, 1, 1, where), "cellule Données_2019!A1");
  releve_report_free(&r);
}

static void test_problem_and_warning_lines(void **state) {
  (void)state;
  releve_report r = {0};
  releve_report_problem(&r, 4, 2, "x", "avant");
  releve_report_sheet(&r, "Feuil1");
  releve_report_problem(&r, 12, 5, "12,5,3", "valeur illisible");
  releve_report_warning(&r, 7, "à vérifier");
  releve_report_sheet(&r, NULL);
  releve_report_problem(&r, 9, 0, NULL, "après");
  assert_string_equal(r.problems.data, "  - ligne 4, colonne 2, valeur « x » : avant\n"
                                       "  - cellule Feuil1!E12, valeur « 12,5,3 » : valeur "
                                       "illisible\n"
                                       "  - ligne 9 : après\n");
  assert_string_equal(r.warnings.data, "  - Feuil1, ligne 7 : à vérifier\n");
  releve_report_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_integers), cmocka_unit_test(test_negatives),
      cmocka_unit_test(test_decimals), cmocka_unit_test(test_rounding),
      cmocka_unit_test(test_percent),  cmocka_unit_test(test_out_of_range),
      cmocka_unit_test(test_locations), cmocka_unit_test(test_problem_and_warning_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
