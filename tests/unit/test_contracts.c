/* Several contracts in one configuration: the "contracts" form and the old
 * one as its single contract, each contract's référentiel, years, vintage,
 * actors, campaigns and reminders, and each mistake said at its key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config/config.h"
#include "testutil.h"
#include "testcheck.h"

static char *dir;

#define BASE "\"plugins\": \"plugins\", \"database\": \"var/r.db\", \"spool\": \"spool\""

/* A référentiel of one action whose indicator H07.1 is owed by actor. */
#define REFERENTIEL(actor)                                                                     \
  "{\"actors\": [{\"id\": \"" actor "\", \"name\": \"CAF\"}], \"themes\": [{\"id\": \"H\", "     \
  "\"name\": \"h\", \"objectives\": [{\"id\": \"H1\", \"name\": \"o\", \"sub_objectives\": "    \
  "[{\"id\": \"H1.1\", \"name\": \"s\", \"goals\": [{\"id\": \"H1.1.1\", \"name\": \"b\", "     \
  "\"actions\": [{\"id\": \"H07\", \"label\": \"a\", \"indicators\": [{\"id\": \"H07.1\", "     \
  "\"label\": \"x\", \"actor\": \"" actor "\", \"unit\": \"count\", \"period\": \"year\", "     \
  "\"target\": {\"text\": \"\", \"kind\": \"none\"}}]}]}]}]}]}]}"

#define CONTRACT(id, first, last, ref, geo, actor, extra)                                      \
  "{\"id\": \"" id "\", \"name\": \"Contrat " id "\", \"first_year\": " first                 \
  ", \"last_year\": " last ", \"referentiel\": \"" ref "\", \"geography\": \"" geo "\", "      \
  "\"actors\": [{\"id\": \"" actor "\", \"emails\": [\"a@caf.example.fr\"]}]" extra "}"

#define TWO                                                                                    \
  "{" BASE ", \"reminders\": {\"max_overdue\": 3}, \"contracts\": ["                           \
  CONTRACT("paris-2015", "2015", "2023", "r2015.json", "qpv_2015", "caf-2015",                 \
           ", \"campaigns\": [{\"period\": 2022, \"opens\": \"2023-01-15\", \"due\": "         \
           "\"2023-03-31\"}]") ", "                                                            \
  CONTRACT("paris-2024", "2024", "2030", "r2024.json", "qpv_2024", "caf-2024",                 \
           ", \"reminders\": {\"max_overdue\": 5}") "]}"

static int setup(void **state) {
  (void)state;
  dir = test_config_dir("contracts");
  free(test_file(dir, "r2015.json", REFERENTIEL("caf-2015")));
  free(test_file(dir, "r2024.json", REFERENTIEL("caf-2024")));
  free(test_file(dir, "rcaf.json", REFERENTIEL("caf")));
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(dir);
  return 0;
}

static void test_old_form_is_one_contract(void **state) {
  releve_config cfg, view;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(test_config_load(dir, "{" BASE ", \"contract\": {\"last_year\": 2020}}", &d,
                                    &cfg),
                   0);
  assert_int_equal(cfg.n_contracts, 1);
  assert_string_equal(cfg.contracts[0].id, "contrat");
  assert_null(cfg.contracts[0].geography);
  assert_int_equal(cfg.contracts[0].last_year, 2020);
  assert_int_equal(cfg.contracts[0].n_actors, cfg.n_actors);
  assert_ptr_equal(releve_config_actor(&cfg, "caf")->contract, &cfg.contracts[0]);
  assert_int_equal(cfg.contracts[0].ref.n_indicators, 392);
  releve_config_view(&cfg, &cfg.contracts[0], &view);
  assert_ptr_equal(releve_config_actor(&view, "caf"), releve_config_actor(&cfg, "caf"));
  releve_config_free(&cfg);
  releve_diags_free(&d);

  assert_int_equal(test_config_load(dir, "{" BASE ", \"contract\": {\"id\": \"paris\", \"name\": "
                                         "\"Contrat de ville\"}}",
                                    &d, &cfg),
                   0);
  assert_string_equal(cfg.contracts[0].id, "paris");
  assert_string_equal(cfg.contracts[0].name, "Contrat de ville");
  assert_non_null(releve_config_contract(&cfg, "paris"));
  assert_null(releve_config_contract(&cfg, "contrat"));
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_two_contracts(void **state) {
  releve_config cfg, view;
  releve_diags d = {0};
  const releve_contract *k15, *k24;
  const releve_actor *a;
  (void)state;
  assert_int_equal(test_config_load(dir, TWO, &d, &cfg), 0);
  assert_int_equal(cfg.n_contracts, 2);
  k15 = releve_config_contract(&cfg, "paris-2015");
  k24 = releve_config_contract(&cfg, "paris-2024");
  assert_non_null(k15);
  assert_non_null(k24);
  assert_null(releve_config_contract(&cfg, "lyon-2024"));
  assert_string_equal(k24->name, "Contrat paris-2024");
  assert_string_equal(k15->geography, "qpv_2015");
  assert_string_equal(k24->geography, "qpv_2024");
  assert_int_equal(k24->first_year, 2024);
  assert_int_equal(k24->last_year, 2030);
  /* The same indicator code in each, from each contract's référentiel. */
  assert_string_equal(releve_referentiel_find(&k15->ref, "H07.1")->actor, "caf-2015");
  assert_string_equal(releve_referentiel_find(&k24->ref, "H07.1")->actor, "caf-2024");
  assert_int_equal(k15->n_campaigns, 1);
  assert_int_equal(k24->n_campaigns, 0);
  /* A contract without "reminders" takes the top-level ones. */
  assert_int_equal(k15->ladder.max_overdue, 3);
  assert_int_equal(k24->ladder.max_overdue, 5);
  assert_int_equal(cfg.n_actors, 2);
  a = releve_config_actor(&cfg, "caf-2024");
  assert_non_null(a);
  assert_ptr_equal(a->contract, k24);
  assert_string_equal(a->path, "contracts[1].actors[0]");
  assert_ptr_equal(releve_config_actor(&cfg, "caf-2015")->contract, k15);
  /* A contract's view sees its own actors only. */
  releve_config_view(&cfg, k24, &view);
  assert_int_equal(view.n_actors, 1);
  assert_int_equal(view.first_year, 2024);
  assert_int_equal(view.ladder.max_overdue, 5);
  assert_null(releve_config_actor(&view, "caf-2015"));
  assert_ptr_equal(releve_config_actor(&view, "caf-2024"), a);
  assert_ptr_equal(releve_referentiel_find(&view.ref, "H07.1"),
                   releve_referentiel_find(&k24->ref, "H07.1"));
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_actor_ids_unique_across_contracts(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  const releve_diag *e;
  (void)state;
  /* Both référentiels name the same actor; the second contract lists it. */
  assert_int_equal(
      test_config_load(dir,
                       "{" BASE ", \"contracts\": [{\"id\": \"a\", \"first_year\": 2015, "
                       "\"last_year\": 2023, \"referentiel\": \"rcaf.json\", \"geography\": "
                       "\"qpv_2015\"}, " CONTRACT("b", "2024", "2030", "rcaf.json", "qpv_2024",
                                                 "caf", "") "]}",
                       &d, &cfg),
      1);
  e = test_error_with(&d, "actor \"caf\" is both in");
  assert_string_equal(e->key, "contracts[1].actors[0]");
  assert_non_null(strstr(e->message, "the référentiel of contracts[0] (\"a\")"));
  assert_non_null(strstr(e->message, "contracts[1].actors[0]"));
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_contract_problems(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(
      test_config_load(
          dir,
          "{" BASE ", \"actors\": [], \"contract\": {}, \"contracts\": ["
          "{\"id\": \"x y\", \"first_year\": 2015, \"last_year\": 2023, \"referentiel\": "
          "\"r2015.json\", \"geography\": \"qpv_2020\"}, "
          "{\"id\": \"b\", \"last_year\": 2010, \"referentiel\": \"r2024.json\", \"geography\": "
          "\"qpv_2024\", \"campaigns\": [{\"period\": 2011, \"opens\": \"2012-01-01\", \"due\": "
          "\"2012-02-01\"}], \"colour\": 1}, "
          "{\"id\": \"b\", \"first_year\": 2015, \"last_year\": 2023, \"geography\": "
          "\"qpv_2015\", \"referentiel\": \"nowhere.json\"}, 7]}",
          &d, &cfg),
      9);
  assert_non_null(strstr(test_error_with(&d, "top-level \"contract\", \"actors\"")->key,
                         "contracts"));
  assert_string_equal(test_error_with(&d, "\"x y\" cannot name a contract")->key,
                      "contracts[0].id");
  assert_string_equal(test_error_with(&d, "\"qpv_2020\" is not a QPV vintage")->key,
                      "contracts[0].geography");
  assert_string_equal(test_error_with(&d, "the contract's first year")->key,
                      "contracts[1].first_year");
  assert_string_equal(test_error_with(&d, "2011 is outside the contract")->key,
                      "contracts[1].campaigns[0].period");
  assert_string_equal(test_error_with(&d, "unknown key")->key, "contracts[1].colour");
  assert_string_equal(test_error_with(&d, "is already contracts[1]")->key, "contracts[2].id");
  assert_non_null(strstr(test_error_with(&d, "cannot read")->file, "nowhere.json"));
  assert_string_equal(test_error_with(&d, "a contract object")->key, "contracts[3]");
  releve_config_free(&cfg);
  releve_diags_free(&d);

  assert_int_equal(test_config_load(dir, "{" BASE ", \"contracts\": []}", &d, &cfg), 1);
  assert_string_equal(test_error_with(&d, "at least one contract")->key, "contracts");
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_old_form_is_one_contract),
      cmocka_unit_test(test_two_contracts),
      cmocka_unit_test(test_actor_ids_unique_across_contracts),
      cmocka_unit_test(test_contract_problems),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
