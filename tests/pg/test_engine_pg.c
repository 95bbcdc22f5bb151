/* The PostgreSQL engine against a real server: the URI of an empty
 * database in PG_URI (tests/pg/run_unit.sh starts one with tests/pg.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/stmt.h"
#include "store/store.h"
#include "util/str.h"

static const char *uri;

/* The URI of database name on the same server. */
static char *uri_of(const char *name) {
  const char *slash = strrchr(uri, '/');
  return releve_str_printf("%.*s/%s", (int)(slash - uri), uri, name);
}

static long long one_int(releve_store *s, const char *sql) {
  releve_stmt *st;
  long long v;
  assert_int_equal(releve_store_prepare(s, sql, &st), 0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  v = releve_stmt_int64(st, 0);
  releve_stmt_finalize(st);
  return v;
}

static void fresh_database(const char *name) {
  releve_store s;
  char *drop = releve_str_printf("DROP DATABASE IF EXISTS %s", name);
  char *create = releve_str_printf("CREATE DATABASE %s", name);
  /* Any database of the server will do to create another: the test's own
   * is migrated by then. One statement each: several would make one
   * transaction, where these cannot run. */
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_exec(&s, drop), 0);
  assert_int_equal(releve_store_exec(&s, create), 0);
  releve_store_close(&s);
  free(drop);
  free(create);
}

static void test_open_migrates_once(void **state) {
  releve_store s;
  (void)state;
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RW), 0);
  assert_string_equal(releve_store_engine(&s), "postgresql");
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  assert_int_equal(releve_store_exec(&s, "INSERT INTO geographies(code, kind) VALUES ('QPV', 'x')"),
                   0);
  releve_store_close(&s);
  /* Opened again: nothing migrated, nothing lost. */
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RW), 0);
  assert_int_equal(one_int(&s, "SELECT COUNT(*) FROM geographies WHERE code = 'QPV'"), 1);
  assert_int_equal(one_int(&s, "SELECT COUNT(*) FROM schema_version"), 1);
  assert_int_equal(releve_store_exec(&s, "DELETE FROM geographies"), 0);
  releve_store_close(&s);
}

static void test_two_opens_at_once(void **state) {
  char *two;
  pid_t kids[2];
  int i, status;
  releve_store s;
  (void)state;
  fresh_database("releve_two");
  two = uri_of("releve_two");
  for (i = 0; i < 2; i++) {
    kids[i] = fork();
    assert_true(kids[i] >= 0);
    if (kids[i] == 0) {
      releve_store k;
      int rc = releve_store_open(&k, two, RELEVE_STORE_RW);
      if (rc == 0)
        releve_store_close(&k);
      _exit(rc == 0 ? 0 : 1);
    }
  }
  for (i = 0; i < 2; i++) {
    assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  assert_int_equal(releve_store_open(&s, two, RELEVE_STORE_RW), 0);
  assert_int_equal(one_int(&s, "SELECT COUNT(*) FROM schema_version"), 1);
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  releve_store_close(&s);
  free(two);
}

static void test_newer_refused_unmigrated_empty(void **state) {
  releve_store s;
  char *three, *sql;
  (void)state;
  fresh_database("releve_three");
  three = uri_of("releve_three");
  /* Read-only, a database releved never migrated reads as an absent
   * SQLite file does: an empty stand-in of the current schema. */
  assert_int_equal(releve_store_open(&s, three, RELEVE_STORE_RO), 0);
  assert_string_equal(releve_store_engine(&s), "sqlite");
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  assert_int_equal(one_int(&s, "SELECT COUNT(*) FROM submissions"), 0);
  releve_store_close(&s);
  assert_int_equal(releve_store_open(&s, three, RELEVE_STORE_RW), 0);
  assert_string_equal(releve_store_engine(&s), "postgresql");
  sql = releve_str_printf("UPDATE schema_version SET version = %d",
                          releve_store_schema_version() + 1);
  assert_int_equal(releve_store_exec(&s, sql), 0);
  releve_store_close(&s);
  /* A database of another schema version is never replaced by one. */
  assert_int_equal(releve_store_open(&s, three, RELEVE_STORE_RO), -EPROTO);
  assert_int_equal(releve_store_open(&s, three, RELEVE_STORE_RW), -EPROTO);
  free(sql);
  free(three);
}

static void test_binds_and_columns(void **state) {
  static const unsigned char blob[] = {'a', 0, 0xff, '\\', 'x', 0, 'z'};
  releve_store s;
  releve_stmt *st;
  char text[] = "l'été";
  const void *b;
  size_t len;
  (void)state;
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_exec(&s, "CREATE TEMP TABLE t(a TEXT, b BIGINT, c DOUBLE "
                                         "PRECISION, d BYTEA, e TEXT, f TEXT)"),
                   0);
  /* Numbered out of order, then a bare "?" after the largest; a "?" in a
   * string is no parameter. */
  assert_int_equal(releve_store_prepare(&s,
                                        "INSERT INTO t(a, b, c, d, e, f) VALUES "
                                        "(?3, ?1, ?2, ?4, ?5, ? || '?')",
                                        &st),
                   0);
  assert_int_equal(releve_stmt_bind_int64(st, 1, -9007199254740993LL), 0);
  assert_int_equal(releve_stmt_bind_double(st, 2, 0.1), 0);
  assert_int_equal(releve_stmt_bind_copy(st, 3, text), 0);
  text[0] = 'X'; /* copied: the statement does not see it */
  assert_int_equal(releve_stmt_bind_blob(st, 4, blob, sizeof blob), 0);
  assert_int_equal(releve_stmt_bind_null(st, 5), 0);
  assert_int_equal(releve_stmt_bind_text(st, 6, "quoi"), 0);
  assert_int_equal(releve_stmt_bind_text(st, 7, "trop"), -ERANGE);
  assert_int_equal(releve_stmt_run(st), 0);
  assert_int_equal(releve_stmt_changes(st), 1);
  releve_stmt_finalize(st);

  assert_int_equal(releve_store_prepare(&s, "SELECT a, b, c, d, e, f FROM t", &st), 0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  assert_string_equal(releve_stmt_text(st, 0), "l'été");
  assert_true(releve_stmt_int64(st, 1) == -9007199254740993LL);
  assert_true(releve_stmt_double(st, 2) == 0.1);
  b = releve_stmt_blob(st, 3, &len);
  assert_int_equal(len, sizeof blob);
  assert_memory_equal(b, blob, sizeof blob);
  assert_true(releve_stmt_is_null(st, 4));
  assert_null(releve_stmt_text(st, 4));
  assert_false(releve_stmt_is_null(st, 0));
  assert_string_equal(releve_stmt_text(st, 5), "quoi?");
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_DONE);
  releve_stmt_finalize(st);
  releve_store_close(&s);
}

/* The same statement reset and run again, as the ingest does per row:
 * prepared on the server from its second run, bindings kept. */
static void test_rerun(void **state) {
  releve_store s;
  releve_stmt *ins, *sum;
  int i;
  (void)state;
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_exec(&s, "CREATE TEMP TABLE n(k BIGINT PRIMARY KEY, v TEXT)"), 0);
  assert_int_equal(releve_store_prepare(&s, "INSERT INTO n(k, v) VALUES (?, ?)", &ins), 0);
  assert_int_equal(releve_stmt_bind_text(ins, 2, "même"), 0);
  for (i = 1; i <= 5; i++) {
    assert_int_equal(releve_stmt_bind_int64(ins, 1, i), 0);
    assert_int_equal(releve_stmt_run(ins), 0);
    releve_stmt_reset(ins);
  }
  releve_stmt_finalize(ins);
  assert_int_equal(releve_store_prepare(&s, "SELECT SUM(k), COUNT(*) FROM n WHERE v = ?", &sum),
                   0);
  assert_int_equal(releve_stmt_bind_text(sum, 1, "même"), 0);
  for (i = 0; i < 3; i++) {
    assert_int_equal(releve_stmt_step(sum), RELEVE_STMT_ROW);
    assert_int_equal(releve_stmt_int64(sum, 0), 15);
    assert_int_equal(releve_stmt_int(sum, 1), 5);
    releve_stmt_reset(sum);
  }
  releve_stmt_finalize(sum);
  releve_store_close(&s);
}

static void test_constraint_and_rollback(void **state) {
  releve_store s;
  releve_stmt *st;
  (void)state;
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_exec(&s, "CREATE TEMP TABLE u(k TEXT PRIMARY KEY)"), 0);
  assert_int_equal(releve_store_prepare(&s, "INSERT INTO u(k) VALUES (?)", &st), 0);
  assert_int_equal(releve_stmt_bind_text(st, 1, "a"), 0);
  assert_int_equal(releve_stmt_run(st), 0);
  releve_stmt_reset(st);
  assert_int_equal(releve_stmt_run(st), -EEXIST);
  assert_non_null(strstr(releve_store_errmsg(&s), "duplicate key"));
  releve_stmt_reset(st);

  /* Rolled back: nothing of it stays. */
  assert_int_equal(releve_store_begin(&s), 0);
  assert_int_equal(releve_stmt_bind_text(st, 1, "b"), 0);
  assert_int_equal(releve_stmt_run(st), 0);
  releve_stmt_reset(st);
  releve_store_rollback(&s);
  assert_int_equal(one_int(&s, "SELECT COUNT(*) FROM u"), 1);

  /* A transaction a failed statement aborted cannot be committed. */
  assert_int_equal(releve_store_begin(&s), 0);
  assert_int_equal(releve_stmt_bind_text(st, 1, "a"), 0);
  assert_int_equal(releve_stmt_run(st), -EEXIST);
  releve_stmt_reset(st);
  assert_int_equal(releve_store_commit(&s), -EIO);
  /* The connection is usable again, and commits what it is given. */
  assert_int_equal(releve_store_begin(&s), 0);
  assert_int_equal(releve_stmt_bind_text(st, 1, "c"), 0);
  assert_int_equal(releve_stmt_run(st), 0);
  assert_int_equal(releve_store_commit(&s), 0);
  releve_stmt_finalize(st);
  assert_int_equal(one_int(&s, "SELECT COUNT(*) FROM u"), 2);
  releve_store_close(&s);
}

static void test_tune(void **state) {
  releve_store s;
  releve_store_tuning t = {.wait_ms = 1500, .relaxed = 1};
  releve_stmt *st;
  (void)state;
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_tune(&s, &t), 0);
  assert_int_equal(releve_store_prepare(&s, "SELECT current_setting('lock_timeout'), "
                                            "current_setting('synchronous_commit')",
                                        &st),
                   0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  assert_string_equal(releve_stmt_text(st, 0), "1500ms");
  assert_string_equal(releve_stmt_text(st, 1), "off");
  releve_stmt_finalize(st);
  releve_store_close(&s);
}

static void test_read_only(void **state) {
  releve_store s;
  releve_stmt *st;
  (void)state;
  assert_int_equal(releve_store_open(&s, uri, RELEVE_STORE_RO), 0);
  assert_int_equal(one_int(&s, "SELECT COUNT(*) FROM submissions"), 0);
  assert_int_equal(releve_store_prepare(&s, "INSERT INTO geographies(code, kind) VALUES (?, 'x')",
                                        &st),
                   0);
  assert_int_equal(releve_stmt_bind_text(st, 1, "QP075001"), 0);
  assert_int_equal(releve_stmt_run(st), -EACCES);
  releve_stmt_finalize(st);
  releve_store_close(&s);
}

static void test_password_masked(void **state) {
  releve_store s;
  const char *at = strchr(uri + strlen("postgresql://"), '@');
  /* The server trusts every connection: any password is let in. */
  char *with = releve_str_printf("postgresql://postgres:s3cret%s?password=s3cret&sslmode=disable",
                                 at);
  (void)state;
  assert_int_equal(releve_store_open(&s, with, RELEVE_STORE_RW), 0);
  assert_null(strstr(s.path, "s3cret"));
  assert_non_null(strstr(s.path, "postgres:***@"));
  assert_non_null(strstr(s.path, "password=***&sslmode=disable"));
  releve_store_close(&s);
  free(with);
}

static void test_connection_refused(void **state) {
  releve_store s;
  (void)state;
  /* Port 1 of loopback: nothing listens there. */
  assert_int_equal(releve_store_open(&s, "postgresql://postgres@127.0.0.1:1/releve?connect_timeout=5",
                                     RELEVE_STORE_RW),
                   -EIO);
  assert_null(s.conn);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_open_migrates_once),
      cmocka_unit_test(test_two_opens_at_once),
      cmocka_unit_test(test_newer_refused_unmigrated_empty),
      cmocka_unit_test(test_binds_and_columns),
      cmocka_unit_test(test_rerun),
      cmocka_unit_test(test_constraint_and_rollback),
      cmocka_unit_test(test_tune),
      cmocka_unit_test(test_read_only),
      cmocka_unit_test(test_password_masked),
      cmocka_unit_test(test_connection_refused),
  };
  uri = getenv("PG_URI");
  if (uri == NULL || strncmp(uri, "postgresql://", 13) != 0) {
    fprintf(stderr, "PG_URI must name a PostgreSQL database (tests/pg/run_unit.sh)\n");
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
