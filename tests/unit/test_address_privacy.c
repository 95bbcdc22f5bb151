/* Statistical secrecy on output: small counts are blanked, and so is a
 * second cell wherever a total would give a blanked one back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "address/addr_ref.h"
#include "config/privacy.h"
#include "testutil.h"

#define CELL(g, v) {g, v, 1, 0}

static const char *blanked(const releve_secrecy_cell *c, size_t n, char *out, size_t size) {
  size_t i, k = 0;
  out[0] = '\0';
  for (i = 0; i < n; i++)
    if (c[i].secret)
      k += (size_t)snprintf(out + k, size - k, "%s%s", k ? " " : "", c[i].geography);
  return out;
}

static void check(releve_secrecy_cell *c, size_t n, int threshold, const releve_addr_ref *ref,
                  const char *want) {
  char got[256];
  releve_privacy_secrecy_apply(c, n, threshold, ref);
  if (strcmp(blanked(c, n, got, sizeof got), want) != 0)
    fail_msg("blanked \"%s\", expected \"%s\"", got, want);
}

static void test_primary(void **state) {
  releve_secrecy_cell c[] = {CELL("QPV", 12), CELL("QVA", 7), CELL("QP", 19), CELL("PARIS", 3)};
  releve_secrecy_cell zero[] = {CELL("QPV", 0), CELL("QP", 0)};
  (void)state;
  check(c, 4, 5, NULL, "PARIS");
  /* A zero is a figure, not a person to protect. */
  check(zero, 2, 5, NULL, "");
}

static void test_one_of_qpv_qva_blanked(void **state) {
  /* QP - QPV would give QVA back: the next smallest, QPV, goes too. */
  releve_secrecy_cell c[] = {CELL("QPV", 40), CELL("QVA", 3), CELL("QP", 43)};
  /* Without a QVA figure QP would be QPV itself: QP goes. */
  releve_secrecy_cell alone[] = {CELL("QPV", 2), CELL("QP", 2), CELL("PARIS", 900)};
  (void)state;
  check(c, 3, 5, NULL, "QPV QVA");
  check(alone, 3, 5, NULL, "QPV QP");
}

static void test_quartiers_then_scopes(void **state) {
  /* One quartier blanked: the smallest other quartier goes (QPV shown);
   * QPV itself stays, QP stays. */
  releve_secrecy_cell c[] = {CELL("QP075012", 4), CELL("QP075014", 9), CELL("QP075011", 30),
                             CELL("QPV", 43), CELL("QP", 43)};
  /* Two blanked already: the pair cannot be split, nothing more. */
  releve_secrecy_cell two[] = {CELL("QP075012", 4), CELL("QP075014", 1), CELL("QPV", 5),
                               CELL("QP", 5)};
  (void)state;
  check(c, 5, 5, NULL, "QP075012 QP075014");
  check(two, 4, 5, NULL, "QP075012 QP075014");
}

static void test_cascade_through_totals(void **state) {
  /* QVA 2 blanked; QPV, the only other part of QP, goes; then QPV's
   * quartiers would give QPV back: one of them goes too. */
  releve_secrecy_cell c[] = {CELL("QVA", 2), CELL("QPV", 20), CELL("QP", 22),
                             CELL("QP075012", 8), CELL("QP075014", 12)};
  releve_secrecy_cell arr[] = {CELL("75118", 3), CELL("75119", 50), CELL("75120", 70),
                               CELL("PARIS", 123)};
  (void)state;
  check(c, 5, 5, NULL, "QVA QPV QP075012");
  check(arr, 4, 5, NULL, "75118 75119");
}

static void test_qva_quartiers_from_the_reference(void **state) {
  releve_addr_spec spec = {RELEVE_SOURCE_DIR "/tests/fixtures/addresses/near_miss_plain.csv",
                           "plain", NULL, NULL};
  releve_diags d = {0};
  releve_addr_ref *ref;
  /* QN07599A is a QVA in the reference: it is a part of QVA, not of QPV. */
  releve_secrecy_cell c[] = {CELL("QN07599A", 3), CELL("QVA", 3), CELL("QPV", 60),
                             CELL("QP075012", 60)};
  (void)state;
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), 0);
  check(c, 4, 5, ref, "QN07599A QVA");
  releve_addr_ref_free(ref);
  releve_diags_free(&d);
}

static void test_threshold_zero_blanks_nothing(void **state) {
  releve_secrecy_cell c[] = {CELL("QPV", 1), CELL("QP", 1)};
  (void)state;
  check(c, 2, 0, NULL, "");
}

/* Secrecy protects persons and households; a count of schools, actions
 * or homes identifies nobody, and neither does a percentage. */
static void test_covers_by_what_is_counted(void **state) {
  static const struct {
    releve_unit unit;
    releve_counts counts;
    int covered;
  } cases[] = {{RELEVE_UNIT_COUNT, RELEVE_COUNTS_PERSONS, 1},
               {RELEVE_UNIT_COUNT, RELEVE_COUNTS_HOUSEHOLDS, 1},
               {RELEVE_UNIT_COUNT, RELEVE_COUNTS_STRUCTURES, 0},
               {RELEVE_UNIT_COUNT, RELEVE_COUNTS_ACTIONS, 0},
               {RELEVE_UNIT_COUNT, RELEVE_COUNTS_PLACES, 0},
               {RELEVE_UNIT_COUNT, RELEVE_COUNTS_HOURS, 0},
               {RELEVE_UNIT_COUNT, RELEVE_COUNTS_SURFACE, 0},
               {RELEVE_UNIT_PERCENT, RELEVE_COUNTS_PERSONS, 0},
               {RELEVE_UNIT_AMOUNT, RELEVE_COUNTS_PERSONS, 0}};
  releve_indicator ind;
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memset(&ind, 0, sizeof ind);
    ind.unit = cases[i].unit;
    ind.counts = cases[i].counts;
    if (releve_privacy_secrecy_covers(&ind) != cases[i].covered)
      fail_msg("unit %s counting %s: covered %d, expected %d", releve_unit_name(ind.unit),
               releve_counts_name(ind.counts), !cases[i].covered, cases[i].covered);
  }
}

/* "Nombre d'écoles" (G02.1) at REP = 1 is shown; "Nombre d'enfants
 * accompagnés" (G01.2) = 1 is not, in the shipped référentiel. */
static void test_covers_in_the_referentiel(void **state) {
  releve_referentiel ref;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(releve_referentiel_load(&ref, RELEVE_SOURCE_DIR "/conf/referentiel.json", &d), 0);
  assert_false(releve_privacy_secrecy_covers(releve_referentiel_find(&ref, "G02.1")));
  assert_true(releve_privacy_secrecy_covers(releve_referentiel_find(&ref, "G01.2")));
  assert_true(releve_privacy_secrecy_covers(releve_referentiel_find(&ref, "G31.2"))); /* familles */
  releve_referentiel_free(&ref);
  releve_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_primary),
      cmocka_unit_test(test_one_of_qpv_qva_blanked),
      cmocka_unit_test(test_quartiers_then_scopes),
      cmocka_unit_test(test_cascade_through_totals),
      cmocka_unit_test(test_qva_quartiers_from_the_reference),
      cmocka_unit_test(test_threshold_zero_blanks_nothing),
      cmocka_unit_test(test_covers_by_what_is_counted),
      cmocka_unit_test(test_covers_in_the_referentiel),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
