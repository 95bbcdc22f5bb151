/* store/run.h: one statement run with text parameters, on the statements
 * of the modules that use it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "store/run.h"
#include "store/store.h"
#include "store/store_sql.h"
#include "testutil.h"
#include "testcheck.h"

static releve_store store;
static char *dir;

static int setup(void **state) {
  (void)state;
  dir = test_store_dir("store_run", &store);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  releve_store_close(&store);
  free(dir);
  return 0;
}

/* The changes a run wrote, on the note sent once a day per sender. */
static void test_changes_say_whether_it_wrote(void **state) {
  long long changes = -1;
  (void)state;
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_ANSWER_ONCE,
                                          (const char *[]){"Ana@Example.org", "2026-12-03"}, 2,
                                          &changes),
                   0);
  assert_int_equal(changes, 1);
  /* the sender compared without case: the same sender, the same day */
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_ANSWER_ONCE,
                                          (const char *[]){"ana@example.org", "2026-12-03"}, 2,
                                          &changes),
                   0);
  assert_int_equal(changes, 0);
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_ANSWER_ONCE,
                                          (const char *[]){"ana@example.org", "2026-12-04"}, 2,
                                          &changes),
                   0);
  assert_int_equal(changes, 1);
}

/* 1 when the statement finds a row, 0 when not. */
static void test_row_or_none(void **state) {
  const char *const file[] = {"<m1@example.org>", "ab12"};
  (void)state;
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_DROP_PENDING, file, 2, NULL), 0);
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_DROP_NOTE,
                                          (const char *[]){file[0], file[1], "caf", "f.xlsx"}, 4,
                                          NULL),
                   0);
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_DROP_PENDING, file, 2, NULL), 1);
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_DROP_DONE, file, 2, NULL), 0);
  assert_int_equal(releve_store_run_texts(&store, RELEVE_SQL_MAIL_DROP_PENDING, file, 2, NULL), 0);
}

/* A NULL text is SQL NULL; a statement that fails says so and wrote
 * nothing. */
static void test_null_and_failures(void **state) {
  long long changes = -1;
  (void)state;
  assert_int_equal(releve_store_run_texts(&store, "SELECT 1 WHERE ?1 IS NULL",
                                          (const char *[]){NULL}, 1, NULL),
                   1);
  assert_int_equal(releve_store_run_texts(&store, "SELECT 1 WHERE ?1 IS NULL",
                                          (const char *[]){"x"}, 1, NULL),
                   0);
  /* a drop without a name breaks NOT NULL */
  assert_true(releve_store_run_texts(&store, RELEVE_SQL_MAIL_DROP_NOTE,
                                     (const char *[]){"<m2@example.org>", "cd34", "caf", NULL}, 4,
                                     &changes) < 0);
  assert_int_equal(changes, 0);
  assert_true(releve_store_run_texts(&store, "SELECT FROM nowhere", NULL, 0, &changes) < 0);
  assert_int_equal(changes, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_changes_say_whether_it_wrote),
      cmocka_unit_test(test_row_or_none),
      cmocka_unit_test(test_null_and_failures),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
