/* releve_store_tune on SQLite: the wait for another writer's transaction
 * is the one asked for, and a relaxed connection flushes at checkpoints
 * (synchronous = NORMAL) where the others flush at each commit (FULL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <time.h>

#include "store/store.h"
#include "testutil.h"

static char *dir, *db;
static releve_store holder, waiter;

static int setup(void **state) {
  (void)state;
  dir = test_dir("store_tune");
  db = releve_str_printf("%s/r.db", dir);
  return releve_store_open(&holder, db, RELEVE_STORE_RW) ||
                 releve_store_open(&waiter, db, RELEVE_STORE_RW)
             ? -1
             : 0;
}

static int teardown(void **state) {
  (void)state;
  releve_store_close(&waiter);
  releve_store_close(&holder);
  free(db);
  free(dir);
  return 0;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long long synchronous(releve_store *s) {
  releve_stmt *st;
  long long v = -1;
  assert_int_equal(releve_store_prepare(s, "PRAGMA synchronous", &st), 0);
  if (releve_stmt_step(st) == RELEVE_STMT_ROW)
    v = releve_stmt_int64(st, 0);
  releve_stmt_finalize(st);
  return v;
}

static void test_wait(void **state) {
  releve_store_tuning t = {300, 0};
  double start, waited;
  (void)state;

  assert_int_equal(releve_store_tune(&waiter, &t), 0);
  assert_int_equal(releve_store_begin(&holder), 0);
  start = now_s();
  assert_int_equal(releve_store_begin(&waiter), -EBUSY);
  waited = now_s() - start;
  releve_store_rollback(&holder);
  /* The open's own wait is ten seconds. */
  if (waited < 0.25 || waited > 5)
    fail_msg("waited %.3f s for the writer, 0.3 s asked", waited);
  assert_int_equal(releve_store_begin(&waiter), 0);
  releve_store_rollback(&waiter);
}

static void test_relaxed(void **state) {
  releve_store_tuning none = {0, 0}, relaxed = {0, 1};
  (void)state;

  assert_int_equal(synchronous(&waiter), 2);
  assert_int_equal(releve_store_tune(&waiter, &none), 0);
  assert_int_equal(synchronous(&waiter), 2);
  assert_int_equal(releve_store_tune(&waiter, &relaxed), 0);
  assert_int_equal(synchronous(&waiter), 1);
  assert_int_equal(synchronous(&holder), 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_wait, setup, teardown),
      cmocka_unit_test_setup_teardown(test_relaxed, setup, teardown),
  };
  return cmocka_run_group_tests_name("store_tune", tests, NULL, NULL);
}
