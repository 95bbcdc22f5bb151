/* The mail queue's times, computed when a message is queued, claimed and
 * given an outcome: created_at, the backoff of a failed attempt, the
 * give-up age and sent_at, all stored as UTC text; a message not due is
 * not taken. Delivery is to the outbox folder, made to fail by naming a
 * folder under a plain file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "mail/mail_queue.h"
#include "mail/mail_send.h"
#include "util/clock.h"
#include "testutil.h"
#include "testcheck.h"

static char *dir, *blocked, *outbox;
static releve_store store;
static releve_config cfg;

static int setup(void **state) {
  char *db, *file;
  int rc;
  (void)state;
  dir = test_dir("mail_queue");
  db = releve_str_printf("%s/r.db", dir);
  file = test_file(dir, "plain", "not a folder\n");
  blocked = releve_str_printf("%s/outbox", file);
  outbox = releve_str_printf("%s/outbox", dir);
  memset(&cfg, 0, sizeof cfg);
  cfg.mail_from = "releve@ville.example";
  cfg.mail_timeout_seconds = 10;
  cfg.mail_max_per_run = 10;
  free(file);
  rc = releve_mail_global_init() || releve_store_open(&store, db, RELEVE_STORE_RW);
  free(db);
  return rc ? -1 : 0;
}

static int teardown(void **state) {
  (void)state;
  releve_store_close(&store);
  free(blocked);
  free(outbox);
  free(dir);
  return 0;
}

/* The text in the first column of the first row of sql, "" for NULL. */
static void read_text(const char *sql, char *out, size_t size) {
  releve_stmt *st;
  const char *v;
  assert_int_equal(releve_store_prepare(&store, sql, &st), 0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  v = releve_stmt_text(st, 0);
  snprintf(out, size, "%s", v ? v : "");
  releve_stmt_finalize(st);
}

/* at lies between lo and hi seconds from the two moments, as stored. */
static void assert_between(const char *at, time_t from, time_t to, long lo, long hi) {
  char low[32], high[32];
  releve_clock_utc_text(from + lo, low);
  releve_clock_utc_text(to + hi, high);
  assert_int_equal(strlen(at), 20);
  assert_int_equal(at[10], 'T');
  assert_int_equal(at[19], 'Z');
  if (strcmp(at, low) < 0 || strcmp(at, high) > 0)
    fail_msg("%s not between %s and %s", at, low, high);
}

static long long queue_one(const char *subject) {
  const char *to[] = {"partenaire@asso.example", NULL};
  releve_mail m;
  char why[256];
  long long id = 0;
  memset(&m, 0, sizeof m);
  m.from = cfg.mail_from;
  m.to = to;
  m.subject = subject;
  m.body = "Bonjour,\n";
  assert_int_equal(releve_mail_queue_queue(&store, &m, &id, why, sizeof why), 0);
  return id;
}

/* A delivery run of the messages due, timed; with past set, message 1 is
 * made due first. */
static void deliver(int past, releve_mail_queue_run *run, time_t *before, time_t *after) {
  if (past)
    assert_int_equal(releve_store_exec(&store, "UPDATE mail_queue SET next_attempt_at = "
                                               "'2000-01-01T00:00:00Z' WHERE id = 1"),
                     0);
  *before = time(NULL);
  assert_int_equal(releve_mail_queue_deliver(&store, &cfg, 10, NULL, run), 0);
  *after = time(NULL);
}

static void test_times(void **state) {
  releve_mail_queue_run run;
  char at[64];
  time_t before = time(NULL), after;
  long long fresh = queue_one("relance"), old = queue_one("ancienne relance");
  (void)state;

  assert_true(fresh > 0 && old > fresh);
  read_text("SELECT created_at FROM mail_queue WHERE id = 1", at, sizeof at);
  assert_between(at, before, time(NULL), 0, 0);
  /* Six days old: beyond the five days a message is retried. */
  assert_int_equal(
      releve_store_exec(&store, "UPDATE mail_queue SET created_at = '2000-01-01T00:00:00Z' "
                                "WHERE id = 2"),
      0);

  cfg.outbox = blocked;
  deliver(0, &run, &before, &after);
  assert_int_equal(run.retry, 1);
  assert_int_equal(run.failed, 1);
  read_text("SELECT state || ' ' || attempts FROM mail_queue WHERE id = 1", at, sizeof at);
  assert_string_equal(at, "pending 1");
  read_text("SELECT next_attempt_at FROM mail_queue WHERE id = 1", at, sizeof at);
  assert_between(at, before, after, 60, 60);
  read_text("SELECT state || ' ' || coalesce(next_attempt_at, '-') || ' ' || substr(last_error, "
            "1, 18) FROM mail_queue WHERE id = 2",
            at, sizeof at);
  assert_string_equal(at, "failed - gave up retrying: ");

  /* Not due yet: left alone. */
  deliver(0, &run, &before, &after);
  assert_int_equal(run.sent + run.retry + run.failed, 0);

  /* The second failure waits twice as long. */
  deliver(1, &run, &before, &after);
  assert_int_equal(run.retry, 1);
  read_text("SELECT next_attempt_at FROM mail_queue WHERE id = 1", at, sizeof at);
  assert_between(at, before, after, 120, 120);

  cfg.outbox = outbox;
  deliver(1, &run, &before, &after);
  assert_int_equal(run.sent, 1);
  read_text("SELECT state || ' ' || attempts || ' ' || coalesce(next_attempt_at, '-') || ' ' || "
            "coalesce(last_error, '-') FROM mail_queue WHERE id = 1",
            at, sizeof at);
  assert_string_equal(at, "sent 3 - -");
  read_text("SELECT sent_at FROM mail_queue WHERE id = 1", at, sizeof at);
  assert_between(at, before, after, 0, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_times, setup, teardown),
  };
  return cmocka_run_group_tests_name("mail_queue", tests, NULL, NULL);
}
