/* The database copy (`releve migrate-store`): every table and column of
 * the schema is copied, values keep their type (a blob with NUL bytes, a
 * real, NULL), the counts are checked, and a target that holds a row is
 * refused untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "store/copy.h"
#include "testutil.h"

static char *dir;

static releve_store open_at(const char *name) {
  releve_store s;
  char *db = releve_str_printf("%s/%s", dir, name);
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  free(db);
  return s;
}

static int setup(void **state) {
  (void)state;
  dir = test_dir("copy");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(dir);
  return 0;
}

/* Whether name is a word of the columns spec ("id:i sha256 …"). */
static int has_column(const char *spec, const char *name) {
  size_t n = strlen(name);
  const char *p = spec;
  while ((p = strstr(p, name)) != NULL) {
    if ((p == spec || p[-1] == ' ') && (p[n] == ' ' || p[n] == ':' || p[n] == '\0'))
      return 1;
    p += n;
  }
  return 0;
}

static int count_words(const char *spec) {
  int n = 0, in = 0;
  for (; *spec; spec++) {
    if (*spec != ' ' && !in)
      n++;
    in = *spec != ' ';
  }
  return n;
}

/* Each table SQLite holds is in the copy, with each of its columns and no
 * other: a migration that adds one fails here until copy.c knows it. */
static void test_covers_schema(void **state) {
  releve_store s = open_at("schema.db");
  releve_stmt *tables, *cols;
  int n = 0;
  (void)state;
  assert_int_equal(releve_store_prepare(&s,
                                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite%' ORDER BY name",
                                        &tables),
                   0);
  while (releve_stmt_step(tables) == RELEVE_STMT_ROW) {
    const char *name = releve_stmt_text(tables, 0), *spec = releve_store_copy_columns(name);
    int k = 0;
    if (spec == NULL)
      fail_msg("table %s is not copied", name);
    assert_int_equal(releve_store_prepare(&s, "SELECT name FROM pragma_table_info(?)", &cols), 0);
    releve_stmt_bind_text(cols, 1, name);
    while (releve_stmt_step(cols) == RELEVE_STMT_ROW) {
      if (!has_column(spec, releve_stmt_text(cols, 0)))
        fail_msg("column %s.%s is not copied", name, releve_stmt_text(cols, 0));
      k++;
    }
    assert_int_equal(k, count_words(spec));
    releve_stmt_finalize(cols);
    n++;
  }
  releve_stmt_finalize(tables);
  {
    const char *const *t = releve_store_copy_tables();
    int m = 0;
    while (t[m])
      m++;
    assert_int_equal(n, m);
  }
  releve_store_close(&s);
}

static void run(releve_store *s, const char *sql) { assert_int_equal(releve_store_exec(s, sql), 0); }

static void test_rows_and_types(void **state) {
  releve_store from = open_at("from.db"), to = open_at("to.db"), again = open_at("again.db");
  static const unsigned char message[] = {'a', 0, 'b', 0xff, '\n'};
  releve_stmt *st;
  char why[512] = "";
  const void *blob;
  size_t len;
  (void)state;
  run(&from, "INSERT INTO submissions(id, actor, channel, name, size, sha256, plugin, "
             "received_at, outcome, report) VALUES (41, 'caf', 'spool', 'a.csv', 10, 'x', 'caf', "
             "'2026-01-01T00:00:00Z', 'accepted', 'ok')");
  run(&from, "INSERT INTO observations(indicator, period, geography, value, text, share, status, "
             "comment, submission, line, updated_at) VALUES ('E3.1', '2019', 'QPV', 0.1, NULL, "
             "NULL, 'normal', 'é', 41, 7, '2026-01-01T00:00:00Z')");
  assert_int_equal(releve_store_prepare(&from,
                                        "INSERT INTO mail_queue(id, message_id, recipients, "
                                        "subject, message, created_at, state) VALUES (9, 'm', "
                                        "'r', 's', ?, 't', 'pending')",
                                        &st),
                   0);
  releve_stmt_bind_blob(st, 1, message, sizeof message);
  assert_int_equal(releve_stmt_run(st), 0);
  releve_stmt_finalize(st);

  assert_int_equal(releve_store_copy(&from, &to, NULL, NULL, why, sizeof why), 0);
  assert_int_equal(releve_store_prepare(&to,
                                        "SELECT value, text, comment, line FROM observations "
                                        "WHERE submission = 41",
                                        &st),
                   0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  assert_true(releve_stmt_double(st, 0) == 0.1);
  assert_true(releve_stmt_is_null(st, 1));
  assert_string_equal(releve_stmt_text(st, 2), "é");
  assert_int_equal(releve_stmt_int(st, 3), 7);
  releve_stmt_finalize(st);
  assert_int_equal(releve_store_prepare(&to, "SELECT message FROM mail_queue WHERE id = 9", &st),
                   0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  blob = releve_stmt_blob(st, 0, &len);
  assert_int_equal(len, sizeof message);
  assert_memory_equal(blob, message, sizeof message);
  releve_stmt_finalize(st);

  /* A target that holds a row is refused, and left as it was. */
  run(&again, "INSERT INTO mail_tokens(actor, token, created_at) VALUES ('caf', 't', 'c')");
  assert_int_equal(releve_store_copy(&from, &again, NULL, NULL, why, sizeof why), -ENOTEMPTY);
  assert_non_null(strstr(why, "mail_tokens"));
  assert_int_equal(releve_store_prepare(&again, "SELECT count(*) FROM submissions", &st), 0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  assert_int_equal(releve_stmt_int(st, 0), 0);
  releve_stmt_finalize(st);
  releve_store_close(&from);
  releve_store_close(&to);
  releve_store_close(&again);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_covers_schema),
      cmocka_unit_test(test_rows_and_types),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
