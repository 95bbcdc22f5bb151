/* The store on SQLite: migrations, référentiel versions, nothing ever dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "store/store.h"
#include "store/store_sql.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/str.h"
#include "util/fs.h"

static char *dir;

#define REF_HEAD REF_HEAD_OF("caf")
#define REF_HEAD_OF(actor)                                                                      \
  "{\"actors\": [{\"id\": \"" actor "\", \"name\": \"CAF\"}], \"themes\": [{\"id\": \"G\", \"name\": " \
  "\"Grandir\", \"objectives\": [{\"id\": \"G1\", \"name\": \"o\", \"sub_objectives\": [{\"id\": " \
  "\"G1.1\", \"name\": \"s\", \"goals\": [{\"id\": \"G1.1.1\", \"name\": \"g\", \"actions\": "   \
  "[{\"id\": \"G01\", \"label\": \"a\", \"indicators\": ["
#define REF_TAIL "]}]}]}]}]}]}"
#define IND(id, label) IND_OF(id, label, "caf")
#define IND_OF(id, label, actor)                                                                \
  "{\"id\": \"" id "\", \"label\": \"" label "\", \"actor\": \"" actor "\", \"unit\": \"count\", " \
  "\"period\": \"year\", \"target\": {\"text\": \"Pas d'objectifs fixés\", \"kind\": \"none\"}}"

static int setup(void **state) {
  (void)state;
  dir = test_dir("store");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(dir);
  return 0;
}


/* The configuration conf_text, its référentiel ref.json being ref_text. */
static void load_config_text(releve_config *cfg, const char *ref_text, const char *conf_text) {
  releve_diags d = {0};
  char *ref = test_file(dir, "ref.json", ref_text);
  char *conf = test_file(dir, "releve.json", conf_text);
  if (releve_config_load(cfg, conf, &d) != 0) {
    releve_diags_print(&d, stderr);
    fail();
  }
  releve_diags_free(&d);
  free(ref);
  free(conf);
}

#define ACTOR_CAF "\"actors\": [{\"id\": \"caf\", \"emails\": [\"a@caf.example.org\"]}]"

static void load_config(releve_config *cfg, const char *ref_text) {
  load_config_text(cfg, ref_text,
                   "{\"referentiel\": \"ref.json\", \"database\": \"var/r.db\", " ACTOR_CAF "}");
}

static void test_fresh_database_is_migrated(void **state) {
  releve_store s;
  char *db = releve_str_printf("%s/fresh/r.db", dir);
  (void)state;
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  assert_true(releve_store_schema_version() >= 2);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM sqlite_master WHERE name IN "
                              "('observations','revisions','submissions','mail_queue','reminders')"),
                   5);
  assert_int_equal(test_scalar(&s, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
  assert_int_equal(test_scalar(&s, "PRAGMA synchronous"), 2); /* FULL */
  releve_store_close(&s);
  /* Opening again migrates nothing and keeps the version. */
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  releve_store_close(&s);
  /* Read-only opens work on it too. */
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RO), 0);
  assert_int_equal(s.readonly, 1);
  releve_store_close(&s);
  free(db);
}

/* A database as a build knowing only the first `version` migrations left
 * it, with `rows` written into it: a store opened on a new file, every
 * table dropped, then those migrations run and their version set, all
 * through the store's own connection. */
static char *old_database(const char *name, int version, const char *rows) {
  char *db = releve_str_printf("%s/%s/r.db", dir, name), *blank;
  char pragma[64];
  releve_store s;
  releve_stmt *st;
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_prepare(&s, "SELECT group_concat('DROP TABLE ' || name, ';') "
                                            "FROM sqlite_master WHERE type = 'table'",
                                        &st),
                   0);
  assert_int_equal(releve_stmt_step(st), RELEVE_STMT_ROW);
  blank = releve_str_printf("PRAGMA foreign_keys = OFF; %s; PRAGMA user_version = 0",
                            releve_stmt_text(st, 0));
  releve_stmt_finalize(st);
  assert_int_equal(releve_store_exec(&s, blank), 0);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM sqlite_master"), 0);
  for (int v = 0; v < version; v++)
    assert_int_equal(releve_store_exec(&s, releve_sql_migrations[v]), 0);
  snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
  assert_int_equal(releve_store_exec(&s, rows), 0);
  assert_int_equal(releve_store_exec(&s, pragma), 0);
  releve_store_close(&s);
  free(blank);
  return db;
}

static void test_migration_from_version_one(void **state) {
  releve_store s;
  char *db = old_database("v1", 1, "");
  (void)state;
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM mail_queue"), 0);
  releve_store_close(&s);
  free(db);
}

/* A database written at version 2, with figures in it: migration 3
 * rebuilds observations and revisions, and every row must come through. */
static void test_migration_three_keeps_every_figure(void **state) {
  releve_store s;
  char *db = old_database(
      "v2", 2,
      "INSERT INTO submissions(id, actor, channel, name, size, sha256, plugin, "
      "received_at, outcome, report) VALUES "
      "(1, 'caf', 'spool', 'a.csv', 1, 'x1', 'template', '2020-01-01T00:00:00Z', "
      "'accepted', ''), "
      "(2, 'caf', 'spool', 'b.csv', 1, 'x2', 'template', '2021-01-01T00:00:00Z', "
      "'accepted', '');"
      "INSERT INTO observations VALUES ('G01.1', '2019', 'QPV', 12, NULL, NULL, "
      "'normal', NULL, 2, 3, '2021-01-01T00:00:00Z'), ('G01.1', '2019', 'PARIS', "
      "NULL, NULL, NULL, 'not_available', 'absent', 1, 4, '2020-01-01T00:00:00Z');"
      "INSERT INTO revisions(indicator, period, geography, value, text, share, "
      "status, comment, submission, line, received_at) VALUES "
      "('G01.1', '2019', 'QPV', 10, NULL, NULL, 'normal', NULL, 1, 3, "
      "'2020-01-01T00:00:00Z'), ('G01.1', '2019', 'PARIS', NULL, NULL, NULL, "
      "'not_available', 'absent', 1, 4, '2020-01-01T00:00:00Z'), ('G01.1', "
      "'2019', 'QPV', 12, NULL, NULL, 'normal', NULL, 2, 3, "
      "'2021-01-01T00:00:00Z');");
  (void)state;

  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations"), 2);
  assert_int_equal(test_scalar(&s, "SELECT value FROM observations WHERE geography = 'QPV'"), 12);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations WHERE status = "
                                   "'not_available' AND comment = 'absent' AND line = 4"),
                   1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM revisions"), 3);
  /* A cell's history still reads in the order the values arrived. */
  assert_int_equal(test_scalar(&s, "SELECT group_concat(value, '>') = '10.0>12.0' FROM "
                                   "(SELECT value FROM revisions WHERE geography = 'QPV' "
                                   "ORDER BY indicator, period, geography, submission)"),
                   1);
  /* The status rule survived the rebuild. */
  assert_int_not_equal(releve_store_exec(&s, "UPDATE observations SET status = 'bogus'"), 0);
  releve_store_close(&s);
  free(db);
}

/* A database written at version 7, with figures: migration 8 rebuilds
 * submissions, which observations and revisions point to. Every row keeps
 * its id, the figures still point to it, the foreign keys are on again
 * afterwards, and a submission may now come by "mail". */
static void test_migration_eight_keeps_submissions(void **state) {
  releve_store s;
  char *db = old_database(
      "v7", 7,
      "INSERT INTO submissions(id, actor, channel, name, size, sha256, plugin, "
      "received_at, outcome, report) VALUES "
      "(5, 'caf', 'poll', 'a.csv', 1, 'x1', 'template', '2020-01-01T00:00:00Z', "
      "'accepted', 'rapport');"
      "INSERT INTO observations VALUES ('G01.1', '2019', 'QPV', 12, NULL, NULL, "
      "'normal', NULL, 5, 3, '2020-01-01T00:00:00Z');"
      "INSERT INTO revisions(indicator, period, geography, value, text, share, "
      "status, comment, submission, line, received_at) VALUES "
      "('G01.1', '2019', 'QPV', 12, NULL, NULL, 'normal', NULL, 5, 3, "
      "'2020-01-01T00:00:00Z');");
  (void)state;

  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM submissions WHERE id = 5 AND channel = "
                                   "'poll' AND report = 'rapport' AND message_id IS NULL"),
                   1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations o JOIN submissions s ON "
                                   "s.id = o.submission"),
                   1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  assert_int_equal(test_scalar(&s, "PRAGMA foreign_keys"), 1);
  /* Deleting a submission figures point to is still refused. */
  assert_int_not_equal(releve_store_exec(&s, "DELETE FROM submissions WHERE id = 5"), 0);
  /* The same bytes are still accepted once (the index was rebuilt). */
  assert_int_not_equal(
      releve_store_exec(&s, "INSERT INTO submissions(actor, channel, name, size, sha256, "
                            "plugin, received_at, outcome, report) VALUES ('caf', 'mail', "
                            "'b.csv', 1, 'x1', 'template', 'now', 'accepted', '')"),
      0);
  assert_int_equal(
      releve_store_exec(&s, "INSERT INTO submissions(actor, channel, name, size, sha256, "
                            "plugin, received_at, outcome, report, message_id) VALUES ('caf', "
                            "'mail', 'b.csv', 1, 'x2', 'template', 'now', 'accepted', '', "
                            "'m@x')"),
      0);
  assert_int_not_equal(
      releve_store_exec(&s, "INSERT INTO submissions(actor, channel, name, size, sha256, "
                            "plugin, received_at, outcome, report) VALUES ('caf', 'fax', "
                            "'c.csv', 1, 'x3', 'template', 'now', 'accepted', '')"),
      0);
  releve_store_close(&s);
  free(db);
}

static void test_newer_database_refused(void **state) {
  releve_store s;
  char *db = releve_str_printf("%s/newer/r.db", dir);
  (void)state;
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_exec(&s, "PRAGMA user_version = 99"), 0);
  releve_store_close(&s);
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), -EPROTO);
  free(db);
}

static void test_readonly_missing_gives_empty_standin(void **state) {
  releve_store s;
  char *db = releve_str_printf("%s/none/r.db", dir);
  struct stat st;
  (void)state;
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RO), 0);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations"), 0);
  releve_store_close(&s);
  assert_int_not_equal(stat(db, &st), 0); /* nothing created on disk */
  free(db);
}

static void test_referentiel_changes_recorded_never_dropped(void **state) {
  releve_config cfg;
  releve_store s;
  int changed = 0;
  char *db;
  (void)state;
  load_config(&cfg, REF_HEAD IND("G01.1", "un") "," IND("G01.2", "deux") REF_TAIL);
  db = strdup(cfg.database);
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_sync(&s, &cfg, &changed), 0);
  assert_int_equal(changed, 1);
  assert_int_equal(test_scalar(&s, "SELECT added FROM referentiel_versions WHERE id = 1"), 2);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM periods"), 18);
  /* The same référentiel again records nothing. */
  assert_int_equal(releve_store_sync(&s, &cfg, &changed), 0);
  assert_int_equal(changed, 0);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM referentiel_versions"), 1);
  /* A figure for G01.2. */
  assert_int_equal(releve_store_exec(&s, "INSERT INTO submissions(actor, channel, name, size, "
                                         "sha256, plugin, received_at, outcome, report) VALUES "
                                         "('caf','cli','f.csv',1,'ab','template','now',"
                                         "'accepted','')"),
                   0);
  assert_int_equal(releve_store_exec(&s, "INSERT INTO observations(indicator, period, geography, "
                                         "value, status, submission, updated_at) VALUES "
                                         "('G01.2','2018','QPV',12,'normal',1,'now')"),
                   0);
  releve_config_free(&cfg);
  /* G01.1 relabelled, G01.2 gone, G01.3 new. */
  load_config(&cfg, REF_HEAD IND("G01.1", "un bis") "," IND("G01.3", "trois") REF_TAIL);
  assert_int_equal(releve_store_sync(&s, &cfg, &changed), 0);
  assert_int_equal(changed, 1);
  assert_int_equal(test_scalar(&s, "SELECT added * 100 + changed * 10 + retired FROM "
                              "referentiel_versions WHERE id = 2"),
                   111);
  assert_int_equal(test_scalar(&s, "SELECT retired FROM indicators WHERE id = 'G01.2'"), 1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations WHERE indicator = 'G01.2'"), 1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM referentiel_changes WHERE version = 2 AND "
                              "indicator = 'G01.1' AND change = 'changed' AND detail LIKE "
                              "'%un bis%'"),
                   1);
  releve_store_close(&s);
  releve_config_free(&cfg);
  free(db);
}

/* A database written at version 10, with figures: migration 11 keys them
 * by contract. They come through under '', waiting for a contract; the
 * first sync gives them the configuration's one contract, whose id is not
 * the default, and the same indicator may then be stored by another
 * contract beside them. With several contracts configured, rows still
 * waiting are refused rather than guessed. */
static void test_migration_eleven_assigns_the_contract(void **state) {
  releve_store s;
  releve_config cfg, two;
  char *db = old_database(
      "v10", 10,
      "INSERT INTO referentiel_versions(id, sha256, loaded_at, indicators, added, changed, "
      "retired) VALUES (1, 'old', '2020-01-01T00:00:00Z', 1, 1, 0, 0);"
      "INSERT INTO indicators(id, label, actor, theme, action, unit, share, period_kind, "
      "target_text, target_kind) VALUES ('G01.1', 'un', 'caf', 'G', 'G01', 'count', 0, 'year', "
      "'', 'none');"
      "INSERT INTO submissions(id, actor, channel, name, size, sha256, plugin, "
      "received_at, outcome, report) VALUES "
      "(1, 'caf', 'spool', 'a.csv', 1, 'x1', 'template', '2020-01-01T00:00:00Z', "
      "'accepted', '');"
      "INSERT INTO observations VALUES ('G01.1', '2019', 'QPV', 12, NULL, NULL, "
      "'normal', NULL, 1, 3, '2020-01-01T00:00:00Z');"
      "INSERT INTO revisions(indicator, period, geography, value, text, share, "
      "status, comment, submission, line, received_at) VALUES "
      "('G01.1', '2019', 'QPV', 12, NULL, NULL, 'normal', NULL, 1, 3, "
      "'2020-01-01T00:00:00Z');");
  (void)state;

  free(test_file(dir, "ref_b.json", REF_HEAD_OF("caf-b") IND_OF("G01.1", "un", "caf-b") REF_TAIL));
  assert_int_equal(releve_store_open(&s, db, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_user_version(&s), releve_store_schema_version());
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations WHERE contract = '' AND "
                                   "value = 12 AND line = 3"),
                   1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM contract_pending"), 1);

  load_config_text(&two, REF_HEAD IND("G01.1", "un") REF_TAIL,
                   "{\"database\": \"var/r.db\", \"contracts\": ["
                   "{\"id\": \"a\", \"first_year\": 2015, \"last_year\": 2023, \"geography\": "
                   "\"qpv_2015\", \"referentiel\": \"ref.json\", " ACTOR_CAF "}, "
                   "{\"id\": \"b\", \"first_year\": 2024, \"last_year\": 2030, \"geography\": "
                   "\"qpv_2024\", \"referentiel\": \"ref_b.json\", \"actors\": "
                   "[{\"id\": \"caf-b\", \"emails\": [\"b@caf.example.org\"]}]}]}");
  assert_int_equal(two.n_contracts, 2);
  assert_int_equal(releve_store_sync(&s, &two, NULL), -EINVAL);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM contract_pending"), 1);
  releve_config_free(&two);

  load_config_text(&cfg, REF_HEAD IND("G01.1", "un") REF_TAIL,
                   "{\"referentiel\": \"ref.json\", \"database\": \"var/r.db\", "
                   "\"contract\": {\"id\": \"paris-2015\"}, " ACTOR_CAF "}");
  assert_int_equal(releve_store_sync(&s, &cfg, NULL), 0);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM contract_pending"), 0);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations WHERE contract = "
                                   "'paris-2015' AND value = 12"),
                   1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM revisions WHERE contract = "
                                   "'paris-2015' AND submission = 1"),
                   1);
  /* The old version is the contract's; its référentiel changed since
   * ('old' is not its hash), so a second version follows it. */
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM referentiel_versions WHERE contract = "
                                   "'paris-2015'"),
                   2);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM indicators WHERE contract = "
                                   "'paris-2015'"),
                   1);
  assert_int_equal(test_scalar(&s, "SELECT count(*) FROM observations WHERE contract = ''"), 0);
  /* Another contract's H07.1-like twin stands beside it, not over it. */
  assert_int_equal(releve_store_exec(&s, "INSERT INTO observations(indicator, period, geography, "
                                         "value, status, submission, updated_at, contract) VALUES "
                                         "('G01.1', '2019', 'QPV', 40, 'normal', 1, "
                                         "'2024-01-01T00:00:00Z', 'paris-2024')"),
                   0);
  assert_int_equal(test_scalar(&s, "SELECT sum(value) FROM observations"), 52);
  /* A second sync has nothing left to assign. */
  assert_int_equal(releve_store_sync(&s, &cfg, NULL), 0);
  releve_store_close(&s);
  releve_config_free(&cfg);
  free(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fresh_database_is_migrated),
      cmocka_unit_test(test_migration_from_version_one),
      cmocka_unit_test(test_migration_three_keeps_every_figure),
      cmocka_unit_test(test_migration_eight_keeps_submissions),
      cmocka_unit_test(test_migration_eleven_assigns_the_contract),
      cmocka_unit_test(test_newer_database_refused),
      cmocka_unit_test(test_readonly_missing_gives_empty_standin),
      cmocka_unit_test(test_referentiel_changes_recorded_never_dropped),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
