/* The configuration checker: each kind of mistake is reported with its file,
 * key (or line and column) and what is expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/str.h"
#include "util/fs.h"

static char *dir;

/* Loads a configuration written from text (plus the environment check when
 * the file itself is fine); returns the number of errors. */
static size_t load(const char *text, releve_diags *d, releve_config *cfg) {
  if (test_config_load(dir, text, d, cfg) == 0)
    releve_config_check_environment(cfg, d);
  return releve_diags_count(d, RELEVE_DIAG_ERROR);
}


#define BASE "\"plugins\": \"plugins\", \"database\": \"var/r.db\", \"spool\": \"spool\""
#define CAF "{\"id\": \"caf\", \"emails\": [\"a@caf.example.org\"]}"

static int setup(void **state) {
  (void)state;
  dir = test_config_dir("config");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(dir);
  return 0;
}

static void test_builtin_default_loads(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(releve_config_load(&cfg, NULL, &d), 0);
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_ERROR), 0);
  assert_int_equal(cfg.ref.n_indicators, 392);
  assert_string_equal(cfg.database, "./var/releve.db");
  assert_string_equal(cfg.spool, "./spool");
  assert_string_equal(cfg.outbox, "./var/outbox");
  assert_string_equal(releve_config_actor(&cfg, "caf")->plugin, "caf");
  assert_string_equal(releve_config_actor(&cfg, "dasco")->plugin, "template");
  assert_int_equal(cfg.first_year, 2015);
  assert_int_equal(cfg.last_year, 2023);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_good_config_and_relative_paths(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  char *expect = releve_str_printf("%s/var/r.db", dir);
  (void)state;
  assert_int_equal(load("{" BASE ", \"actors\": [" CAF "]}", &d, &cfg), 0);
  assert_string_equal(cfg.database, expect);
  assert_int_equal(releve_config_actor(&cfg, "caf")->n_emails, 1);
  /* Actors without an entry are warned about, not refused. */
  assert_true(releve_diags_count(&d, RELEVE_DIAG_WARNING) > 0);
  free(expect);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_syntax_error_has_line_and_column(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  const releve_diag *e;
  (void)state;
  assert_int_equal(load("{\n  \"database\": \"x\",\n  \"spool\" \"y\"\n}\n", &d, &cfg), 1);
  e = test_error_with(&d, "invalid JSON");
  assert_int_equal(e->line, 3);
  assert_true(e->column > 0);
  assert_non_null(strstr(e->file, "releve.json"));
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_unknown_key_lists_allowed(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  const releve_diag *e;
  (void)state;
  assert_int_equal(load("{" BASE ", \"databse\": \"x\", \"mail\": {\"form\": \"a@b.fr\"}}", &d,
                        &cfg),
                   2);
  /* Every section of the loader's table, in its order. */
  e = test_error_with(&d, "unknown key; allowed keys here are: database, spool, plugins, "
                          "contracts, referentiel, contract, mail, actors, sources, mailboxes, "
                          "campaigns, reminders, daemon, validation, addresses, geography, "
                          "secrecy");
  assert_string_equal(e->key, "databse");
  e = test_error_with(&d, "allowed keys here are: from, smtp");
  assert_string_equal(e->key, "mail.form");
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

/* Each section gives its defaults when its key is absent, and what it reads
 * when present, once, at load: nothing reads the JSON again. */
static void test_sections_defaults_and_values(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  size_t i;
  (void)state;
  assert_int_equal(load("{" BASE "}", &d, &cfg), 0);
  {
    const struct {
      const char *key;
      double got, want;
    } defaults[] = {
        {"contract.first_year", cfg.first_year, 2015},
        {"contract.last_year", cfg.last_year, 2023},
        {"mail.timeout_seconds", cfg.mail_timeout_seconds, 30},
        {"mail.max_per_run", cfg.mail_max_per_run, 100},
        {"mail.starttls", cfg.mail_starttls, 1},
        {"daemon.rescan_seconds", cfg.rescan_seconds, 60},
        {"daemon.quiet_seconds", cfg.quiet_seconds, 5},
        {"daemon.max_jobs", cfg.max_jobs, 2},
        {"daemon.spool_mode", cfg.spool_mode, 02770},
        {"secrecy.threshold", cfg.secrecy_threshold, 5},
        {"validation.jump_factor", cfg.jump_factor, 3.0},
        {"sources", (double)cfg.sources.n, 0},
        {"reminders.steps", (double)cfg.ladder.n_rules, 4},
        {"reminders.receipts", cfg.ladder.receipts, 1},
        {"reminders.template_format", cfg.ladder.template_format, RELEVE_TEMPLATE_XLSX},
    };
    for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
      if (defaults[i].got != defaults[i].want)
        fail_msg("%s: %g by default, %g expected", defaults[i].key, defaults[i].got,
                 defaults[i].want);
  }
  assert_string_equal(cfg.ladder.rules[1].name, "J-14");
  releve_config_free(&cfg);
  releve_diags_free(&d);

  assert_int_equal(load("{" BASE ", \"contract\": {\"last_year\": 2024}, "
                        "\"mail\": {\"timeout_seconds\": 7}, \"daemon\": {\"max_jobs\": 4}, "
                        "\"reminders\": {\"receipts\": false, \"template_format\": \"ods\", "
                        "\"steps\": [{\"days_before_due\": 7}]}}",
                        &d, &cfg),
                   0);
  assert_int_equal(cfg.first_year, 2015); /* a default beside a value given */
  assert_int_equal(cfg.last_year, 2024);
  assert_int_equal(cfg.mail_timeout_seconds, 7);
  assert_int_equal(cfg.mail_max_per_run, 100);
  assert_int_equal(cfg.max_jobs, 4);
  assert_int_equal(cfg.ladder.n_rules, 1);
  assert_string_equal(cfg.ladder.rules[0].name, "J-7");
  assert_int_equal(cfg.ladder.receipts, 0);
  assert_int_equal(cfg.ladder.template_format, RELEVE_TEMPLATE_ODS);
  releve_config_free(&cfg);
  releve_diags_free(&d);

  /* A value out of range is refused and leaves the default. */
  assert_int_equal(load("{" BASE ", \"daemon\": {\"max_jobs\": 65}}", &d, &cfg), 1);
  assert_int_equal(cfg.max_jobs, 2);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

/* The one load path: -c wins over $RELEVE_CONFIG, and says so. */
static void test_open_locates_and_loads(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  const char *path, *why;
  char *file = test_file(dir, "open.json", "{" BASE ", \"contract\": {\"first_year\": 2016}}");
  (void)state;
  setenv("RELEVE_CONFIG", "/nonexistent/releve.json", 1);
  assert_int_equal(releve_config_open(&cfg, file, &d, &path, &why), 0);
  assert_string_equal(path, file);
  assert_string_equal(why, "-c");
  assert_int_equal(cfg.first_year, 2016);
  releve_config_free(&cfg);
  releve_diags_free(&d);
  assert_int_equal(releve_config_open(&cfg, NULL, &d, &path, &why), -EINVAL);
  assert_string_equal(why, "$RELEVE_CONFIG");
  assert_int_equal(d.n, 1);
  assert_string_equal(d.items[0].file, "/nonexistent/releve.json");
  releve_config_free(&cfg);
  unsetenv("RELEVE_CONFIG");
  releve_diags_free(&d);
  free(file);
}

static void test_wrong_types(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(load("{" BASE ", \"contract\": {\"first_year\": \"2015\", \"last_year\": 1999}}",
                        &d, &cfg),
                   2);
  assert_string_equal(test_error_with(&d, "is a string; an integer is expected")->key,
                      "contract.first_year");
  assert_string_equal(test_error_with(&d, "1999 is out of range")->key, "contract.last_year");
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_missing_referentiel(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  const releve_diag *e;
  (void)state;
  assert_true(load("{" BASE ", \"referentiel\": \"nowhere.json\"}", &d, &cfg) >= 1);
  e = test_error_with(&d, "cannot read: No such file or directory");
  assert_non_null(strstr(e->file, "nowhere.json"));
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_actor_problems(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(load("{" BASE ", \"actors\": [{\"id\": \"caf\"}, {\"id\": \"cnaf\", \"emails\": "
                        "[\"x@y.fr\"]}, {\"id\": \"academie\", \"emails\": [\"pas une adresse\"]}, "
                        "{\"id\": \"dasco\", \"emails\": [\"a@b.fr\\r\\nBcc: z@evil.fr\"]}]}",
                        &d, &cfg),
                   4);
  assert_string_equal(test_error_with(&d, "actor \"caf\" has no contact email")->key, "actors[0]");
  assert_string_equal(test_error_with(&d, "\"cnaf\" is not an actor of the référentiel")->key,
                      "actors[1].id");
  assert_string_equal(test_error_with(&d, "\"pas une adresse\" is not a mail address")->key,
                      "actors[2].emails[0]");
  assert_string_equal(test_error_with(&d, "Bcc")->key, "actors[3].emails[0]");
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_campaign_problems(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(load("{" BASE ", \"campaigns\": [{\"period\": 2030, \"opens\": \"2031-01-01\", "
                        "\"due\": \"2031-03-01\"}, {\"period\": 2019, \"opens\": \"2020-13-01\", "
                        "\"due\": \"2020-03-01\"}, {\"period\": 2019, \"opens\": \"2020-04-01\", "
                        "\"due\": \"2020-03-01\"}]}",
                        &d, &cfg),
                   3);
  assert_string_equal(test_error_with(&d, "2030 is outside the contract")->key, "campaigns[0].period");
  assert_string_equal(test_error_with(&d, "YYYY-MM-DD")->key, "campaigns[1]");
  assert_string_equal(test_error_with(&d, "is after due")->key, "campaigns[2]");
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_mapping_problems(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(
      load("{" BASE ", \"actors\": [{\"id\": \"caf\", \"emails\": [\"a@b.fr\"], \"mapping\": "
           "{\"kind\": \"rows\", \"period\": {\"column\": \"annee\", \"format\": \"trimestre\"}, "
           "\"geography\": {\"value\": \"QPZ\"}, \"indicators\": {\"Z01.1\": {\"op\": \"count\"}, "
           "\"G02.1\": {\"op\": \"count\"}, \"G04.1\": {\"op\": \"median\"}, "
           "\"G07.1\": {\"op\": \"sum\"}}}}]}",
           &d, &cfg),
      6);
  assert_string_equal(test_error_with(&d, "\"trimestre\" is not one of")->key,
                      "actors[0].mapping.period.format");
  assert_string_equal(test_error_with(&d, "\"QPZ\" is not a geography")->key,
                      "actors[0].mapping.geography.value");
  assert_string_equal(test_error_with(&d, "\"Z01.1\" is not an indicator")->key,
                      "actors[0].mapping.indicators.Z01.1");
  assert_string_equal(test_error_with(&d, "belongs to actor \"academie\", not \"caf\"")->key,
                      "actors[0].mapping.indicators.G02.1");
  assert_string_equal(test_error_with(&d, "\"median\" is not one of")->key,
                      "actors[0].mapping.indicators.G04.1.op");
  assert_string_equal(test_error_with(&d, "needs the column")->key,
                      "actors[0].mapping.indicators.G07.1.column");
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_unwritable_folders(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  char *file = test_file(dir, "afile", "x");
  (void)state;
  assert_int_equal(load("{\"plugins\": \"plugins\", \"database\": \"afile/r.db\", "
                        "\"spool\": \"afile/spool\"}",
                        &d, &cfg),
                   2);
  assert_string_equal(test_error_with(&d, "afile is not a folder")->key, "database");
  free(file);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

/* A PostgreSQL URI is kept as written, never resolved as a path; its
 * state folder is var/ beside the configuration, checked instead. */
static void test_database_uri(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  char *state_dir, *expect = releve_str_printf("%s/var", dir);
  (void)state;
  assert_int_equal(load("{\"plugins\": \"plugins\", \"database\": "
                        "\"postgresql://releve:s3cret@db.example.org/releve?sslmode=require\"}",
                        &d, &cfg),
                   0);
  assert_string_equal(cfg.database,
                      "postgresql://releve:s3cret@db.example.org/releve?sslmode=require");
  assert_true(releve_config_database_is_uri(cfg.database));
  assert_false(releve_config_database_is_uri("var/postgresql://x"));
  state_dir = releve_config_state_dir(&cfg);
  assert_string_equal(state_dir, expect);
  free(state_dir);
  free(expect);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_unsafe_plugin_folder(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  char *open_dir = releve_str_printf("%s/open-plugins", dir);
  (void)state;
  releve_fs_mkdir_p(open_dir, 0755);
  chmod(open_dir, 0777);
  assert_int_equal(load("{\"plugins\": \"open-plugins\", \"database\": \"var/r.db\"}", &d, &cfg),
                   1);
  assert_string_equal(test_error_with(&d, "writable by group or others")->key, "plugins");
  free(open_dir);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_default_loads),
      cmocka_unit_test(test_database_uri),
      cmocka_unit_test(test_good_config_and_relative_paths),
      cmocka_unit_test(test_syntax_error_has_line_and_column),
      cmocka_unit_test(test_unknown_key_lists_allowed),
      cmocka_unit_test(test_sections_defaults_and_values),
      cmocka_unit_test(test_open_locates_and_loads),
      cmocka_unit_test(test_wrong_types),
      cmocka_unit_test(test_missing_referentiel),
      cmocka_unit_test(test_actor_problems),
      cmocka_unit_test(test_campaign_problems),
      cmocka_unit_test(test_mapping_problems),
      cmocka_unit_test(test_unwritable_folders),
      cmocka_unit_test(test_unsafe_plugin_folder),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
