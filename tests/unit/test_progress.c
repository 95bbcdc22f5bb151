/* Progress toward the 2020 target, for each kind of target of the
 * référentiel, and the mark the coordinator reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "referentiel/progress.h"

static releve_indicator indicator(releve_unit unit, releve_target_kind kind, double value) {
  releve_indicator ind;
  memset(&ind, 0, sizeof ind);
  ind.id = "X01.1";
  ind.unit = unit;
  ind.target.kind = kind;
  ind.target.value = value;
  ind.target.percent = kind == RELEVE_TARGET_SHARE;
  return ind;
}

static releve_progress_input values(double start, double last) {
  releve_progress_input in;
  memset(&in, 0, sizeof in);
  in.start.has_value = in.last.has_value = 1;
  in.start.value = start;
  in.last.value = last;
  return in;
}

static releve_progress measure(const releve_indicator *ind, const releve_progress_input *in) {
  releve_progress p;
  assert_int_equal(releve_progress_compute(ind, in, &p), 0);
  return p;
}

#define assert_ratio(p, want)                                                                 \
  do {                                                                                        \
    assert_true((p).has_ratio);                                                               \
    if (fabs((p).ratio - (want)) > 1e-9)                                                      \
      fail_msg("ratio %g, expected %g", (p).ratio, (double)(want));                           \
  } while (0)

static void test_level(void **state) {
  /* "1200 enfants accompagnés par an": 1 020 is 85 %. */
  releve_indicator ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_LEVEL, 1200);
  releve_progress_input in = values(800, 1020);
  releve_progress p = measure(&ind, &in);
  (void)state;
  assert_ratio(p, 0.85);
  assert_int_equal(p.mark, RELEVE_PROGRESS_ADVANCING);
  assert_true(p.has_goal);
  assert_true(p.goal == 1200);
  in = values(1300, 1250);
  p = measure(&ind, &in);
  assert_int_equal(p.mark, RELEVE_PROGRESS_REACHED);
  /* Below the target and below the start: receding. */
  ind.target.value = 11;
  in = values(9, 8);
  p = measure(&ind, &in);
  assert_int_equal(p.mark, RELEVE_PROGRESS_RECEDING);
  /* One figure only: no direction, still a measure. */
  in.same_period = 1;
  p = measure(&ind, &in);
  assert_int_equal(p.mark, RELEVE_PROGRESS_ADVANCING);
}

static void test_level_cumulative(void **state) {
  /* "2000 jeunes sur la durée du plan": the years received add up. */
  releve_indicator ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_LEVEL, 2000);
  releve_progress_input in = values(400, 300);
  releve_progress p;
  (void)state;
  ind.target.cumulative = 1;
  in.has_total = 1;
  in.total = 1500;
  p = measure(&ind, &in);
  assert_ratio(p, 0.75);
  assert_int_equal(p.mark, RELEVE_PROGRESS_ADVANCING);
  /* A hole in the years: no total, nothing to measure. */
  in.has_total = 0;
  p = measure(&ind, &in);
  assert_int_equal(p.mark, RELEVE_PROGRESS_UNMEASURABLE);
  assert_false(p.has_ratio);
}

static void test_share(void **state) {
  /* "100 % des collèges REP/REP+" on a percent indicator. */
  releve_indicator ind = indicator(RELEVE_UNIT_PERCENT, RELEVE_TARGET_SHARE, 100);
  releve_progress_input in = values(60, 90);
  releve_progress p = measure(&ind, &in);
  (void)state;
  assert_ratio(p, 0.9);
  assert_int_equal(p.mark, RELEVE_PROGRESS_ADVANCING);
  assert_false(releve_progress_uses_share(&ind));
  /* On a count, the share it carries; without one, nothing to say. */
  ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_SHARE, 20);
  ind.share = 1;
  assert_true(releve_progress_uses_share(&ind));
  in = values(300, 350);
  p = measure(&ind, &in);
  assert_int_equal(p.mark, RELEVE_PROGRESS_UNMEASURABLE);
  in.start.has_share = in.last.has_share = 1;
  in.start.share = 12;
  in.last.share = 25;
  p = measure(&ind, &in);
  assert_ratio(p, 1.25);
  assert_int_equal(p.mark, RELEVE_PROGRESS_REACHED);
}

static void test_rise(void **state) {
  /* "+75 % par rapport à 2015": from 20 toward 35; 30 is two thirds. */
  releve_indicator ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_RISE, 75);
  releve_progress_input in = values(20, 30);
  releve_progress p = measure(&ind, &in);
  (void)state;
  assert_ratio(p, 10.0 / 15);
  assert_int_equal(p.mark, RELEVE_PROGRESS_ADVANCING);
  assert_true(p.goal == 35);
  in = values(20, 36);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_REACHED);
  in = values(20, 15);
  p = measure(&ind, &in);
  assert_int_equal(p.mark, RELEVE_PROGRESS_RECEDING);
  assert_true(p.ratio < 0);
  /* No start, or the start is the only figure: a rise cannot be measured. */
  in = values(20, 30);
  in.start.has_value = 0;
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_UNMEASURABLE);
  in = values(20, 20);
  in.same_period = 1;
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_UNMEASURABLE);
  in = values(0, 20);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_UNMEASURABLE);
}

static void test_fall(void **state) {
  /* "-20 %": from 50 toward 40. */
  releve_indicator ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_FALL, 20);
  releve_progress_input in = values(50, 45);
  releve_progress p = measure(&ind, &in);
  (void)state;
  assert_ratio(p, 0.5);
  assert_int_equal(p.mark, RELEVE_PROGRESS_ADVANCING);
  assert_true(p.goal == 40);
  in = values(50, 40);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_REACHED);
  in = values(50, 55);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_RECEDING);
}

static void test_floor(void **state) {
  /* "au minimum 3 temps" (not a percentage). */
  releve_indicator ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_FLOOR, 3);
  releve_progress_input in = values(1, 2);
  releve_progress p = measure(&ind, &in);
  (void)state;
  assert_ratio(p, 2.0 / 3);
  assert_int_equal(p.mark, RELEVE_PROGRESS_ADVANCING);
  in = values(1, 3);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_REACHED);
  /* "Au moins 30 %" on a count: the share it carries. */
  ind.target.value = 30;
  ind.target.percent = 1;
  assert_true(releve_progress_uses_share(&ind));
  in = values(100, 90);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_UNMEASURABLE);
}

static void test_range(void **state) {
  /* "Entre 120 et 140": below measured against 120; within or above, reached. */
  releve_indicator ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_RANGE, 0);
  releve_progress_input in = values(100, 90);
  releve_progress p;
  (void)state;
  ind.target.min = 120;
  ind.target.max = 140;
  p = measure(&ind, &in);
  assert_ratio(p, 0.75);
  assert_int_equal(p.mark, RELEVE_PROGRESS_RECEDING);
  in = values(100, 130);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_REACHED);
  in = values(100, 150);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_REACHED);
}

static void test_not_measurable(void **state) {
  releve_indicator ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_QUALITATIVE, 0);
  releve_progress_input in = values(10, 20);
  releve_progress p = measure(&ind, &in);
  (void)state;
  /* "Augmenter le nombre…": a direction without a figure. */
  assert_int_equal(p.mark, RELEVE_PROGRESS_UNMEASURABLE);
  assert_false(p.has_ratio);
  assert_false(p.has_goal);
  ind.target.kind = RELEVE_TARGET_NONE;
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_UNMEASURABLE);
  /* A secret, "nd" or text latest figure. */
  ind = indicator(RELEVE_UNIT_COUNT, RELEVE_TARGET_LEVEL, 100);
  in.last.has_value = 0;
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_UNMEASURABLE);
  ind.unit = RELEVE_UNIT_TEXT;
  in = values(10, 20);
  assert_int_equal(measure(&ind, &in).mark, RELEVE_PROGRESS_UNMEASURABLE);
  assert_int_equal(releve_progress_compute(NULL, &in, &p), -EINVAL);
}

static void test_mark_text(void **state) {
  (void)state;
  assert_string_equal(releve_progress_mark_text(RELEVE_PROGRESS_REACHED), "atteint");
  assert_string_equal(releve_progress_mark_text(RELEVE_PROGRESS_ADVANCING), "en progrès");
  assert_string_equal(releve_progress_mark_text(RELEVE_PROGRESS_RECEDING), "en recul");
  assert_string_equal(releve_progress_mark_text(RELEVE_PROGRESS_UNMEASURABLE), "non mesurable");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_level),      cmocka_unit_test(test_level_cumulative),
      cmocka_unit_test(test_share),      cmocka_unit_test(test_rise),
      cmocka_unit_test(test_fall),       cmocka_unit_test(test_floor),
      cmocka_unit_test(test_range),      cmocka_unit_test(test_not_measurable),
      cmocka_unit_test(test_mark_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
