/* The geography as data: the list files read with their errors, the
 * configuration's "geography" key, figures checked against the list of
 * their own vintage (through the real ingest, with the "lines" plugin), and
 * QPV derived from the quartiers of one list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "completeness/derive.h"
#include "config/config.h"
#include "referentiel/geography.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/str.h"

#define FICTIVE_2024 RELEVE_SOURCE_DIR "/tests/fixtures/geography/qpv_2024_fictive.csv"

static int parse(releve_geography *g, releve_geography_list_id id, const char *text,
                 releve_diags *d) {
  return releve_geography_parse(g, id, "list.csv", text, strlen(text), d);
}

static void test_shipped_lists(void **state) {
  releve_geography g;
  releve_diags d = {0};
  const releve_geography_place *pl;
  char buf[48];
  (void)state;
  memset(&g, 0, sizeof g);
  assert_int_equal(parse(&g, RELEVE_GEOGRAPHY_QPV_2015, releve_default_qpv_2015_csv, &d), 0);
  assert_int_equal(parse(&g, RELEVE_GEOGRAPHY_ARRONDISSEMENTS,
                         releve_default_arrondissements_csv, &d),
                   0);
  assert_int_equal(d.n, 0);
  assert_int_equal(g.lists[RELEVE_GEOGRAPHY_QPV_2015].n, 20);
  assert_int_equal(g.lists[RELEVE_GEOGRAPHY_ARRONDISSEMENTS].n, 20);
  pl = releve_geography_find(&g, "QP075012");
  assert_non_null(pl);
  assert_string_equal(pl->label, "QP075012 Goutte d'Or (liste QPV 2015)");
  assert_string_equal(pl->departement, "75");
  pl = releve_geography_find(&g, "QP075013");
  assert_non_null(pl);
  assert_string_equal(pl->communes, "Paris 18e arrondissement;Paris 19e arrondissement");
  assert_string_equal(releve_geography_find(&g, "75101")->name, "Paris 1er arrondissement");
  assert_null(releve_geography_find(&g, "QP075031"));
  /* A 2024 code is never looked up in the 2015 list. */
  assert_null(releve_geography_list_of(&g, "QN99901A"));
  assert_string_equal(releve_geography_label(&g, "QN99901A", buf, sizeof buf),
                      "QN99901A (liste QPV 2024)");
  assert_string_equal(releve_geography_label(&g, "QPV", buf, sizeof buf), "QPV");
  assert_string_equal(releve_geography_vintage("QP075012"), "qpv_2015");
  assert_string_equal(releve_geography_vintage("QN99901A"), "qpv_2024");
  assert_null(releve_geography_vintage("75118"));
  releve_geography_free(&g);
  releve_diags_free(&d);
}

static void test_list_file_errors(void **state) {
  releve_geography g;
  releve_diags d = {0};
  const releve_diag *e;
  (void)state;
  memset(&g, 0, sizeof g);
  assert_int_equal(parse(&g, RELEVE_GEOGRAPHY_QPV_2015,
                         "\xef\xbb\xbf# comment\r\n"
                         "nom;code\r\n"
                         "Un;QP075001\r\n"
                         "Deux;QN99901A\r\n" /* line 4: a 2024 code */
                         "Trois;QP075001\r\n" /* line 5: twice */
                         ";QP075003\r\n",     /* line 6: no name */
                         &d),
                   -EINVAL);
  e = test_error_with(&d, "\"QN99901A\" is not a code of the 2015 QPV list");
  assert_string_equal(e->file, "list.csv");
  assert_int_equal(e->line, 4);
  assert_int_equal(e->column, 2);
  e = test_error_with(&d, "QP075001 is given twice");
  assert_int_equal(e->line, 5);
  e = test_error_with(&d, "QP075003 has no name");
  assert_int_equal(e->line, 6);
  assert_int_equal(e->column, 1);
  /* A refused list is not loaded: codes are then checked by pattern only. */
  assert_null(g.lists[RELEVE_GEOGRAPHY_QPV_2015].source);
  releve_diags_free(&d);

  assert_int_equal(parse(&g, RELEVE_GEOGRAPHY_QPV_2024, "code,name\nQN99901A,x\n", &d), -EINVAL);
  e = test_error_with(&d, "no \"nom\" column in the header");
  assert_int_equal(e->line, 1);
  releve_diags_free(&d);
  assert_int_equal(parse(&g, RELEVE_GEOGRAPHY_QPV_2024, "# only a comment\n", &d), -EINVAL);
  test_error_with(&d, "the list is empty");
  releve_diags_free(&d);
  assert_int_equal(parse(&g, RELEVE_GEOGRAPHY_ARRONDISSEMENTS, "code,nom\n75121,Nulle part\n", &d),
                   -EINVAL);
  test_error_with(&d, "\"75121\" is not a code of the arrondissements");
  releve_diags_free(&d);
  releve_geography_free(&g);
}

static void test_config_section(void **state) {
  char *dir = test_config_dir("geography-config");
  releve_config cfg;
  releve_diags d = {0};
  const releve_diag *e;
  char *bad;
  (void)state;
  /* The default: the shipped 2015 list and arrondissements, no 2024 list. */
  assert_int_equal(test_config_load(dir, "{\"plugins\": \"plugins\"}", &d, &cfg), 0);
  assert_int_equal(cfg.geography.lists[RELEVE_GEOGRAPHY_QPV_2015].n, 20);
  assert_int_equal(cfg.geography.lists[RELEVE_GEOGRAPHY_ARRONDISSEMENTS].n, 20);
  assert_null(cfg.geography.lists[RELEVE_GEOGRAPHY_QPV_2024].source);
  releve_config_free(&cfg);
  releve_diags_free(&d);

  assert_int_equal(test_config_load(dir,
                                    "{\"plugins\": \"plugins\", \"geography\": {\"qpv_2015\": "
                                    "null, \"qpv_2024\": \"" FICTIVE_2024 "\"}}",
                                    &d, &cfg),
                   0);
  assert_null(cfg.geography.lists[RELEVE_GEOGRAPHY_QPV_2015].source);
  assert_int_equal(cfg.geography.lists[RELEVE_GEOGRAPHY_QPV_2024].n, 2);
  assert_string_equal(releve_geography_find(&cfg.geography, "QN99902B")->name,
                      "Quartier fictif, second");
  releve_config_free(&cfg);
  releve_diags_free(&d);

  bad = test_file(dir, "bad.csv", "code,nom\nQN99901A,Un\nQP075001,Deux\n");
  assert_int_equal(test_config_load(dir,
                                    "{\"plugins\": \"plugins\", \"geography\": {\"qpv_2024\": "
                                    "\"bad.csv\", \"qpv_2030\": \"x.csv\"}}",
                                    &d, &cfg),
                   2);
  e = test_error_with(&d, "\"QP075001\" is not a code of the 2024 QPV list");
  assert_string_equal(e->file, bad);
  assert_int_equal(e->line, 3);
  test_error_with(&d, "unknown key");
  releve_config_free(&cfg);
  releve_diags_free(&d);
  free(bad);
  free(dir);
}

/* ---- figures checked against the list of their vintage -------------------- */

#define HEADER "indicateur;periode;geographie;valeur;part;statut;commentaire\n"

static releve_config cfg;
static releve_store store;
static releve_plugins plugins;

/* Opens the core on a fresh folder, geography being the configuration's
 * "geography" member (with its comma, or ""), and ingests text for the
 * CAF; close_core() ends it. */
static releve_outcome ingest_with(const char *geography, const char *text,
                                  releve_ingest_result *r) {
  char *dir = test_dir("geography-ingest");
  char *conf = releve_str_printf(
      "{\"plugins\": \"" RELEVE_TEST_PLUGIN_DIR "\", \"database\": \"r.db\", %s \"actors\": ["
      "{\"id\": \"caf\", \"emails\": [\"a@caf.example.org\"], \"plugin\": \"lines\"}]}",
      geography);
  releve_ingest_env env;
  releve_ingest_request req;
  releve_outcome o;

  chmod(RELEVE_TEST_PLUGIN_DIR, 0755);
  assert_int_equal(test_core_open(dir, conf, RELEVE_TEST_PLUGIN_DIR, &cfg, &store, &plugins, &env),
                   0);
  memset(&req, 0, sizeof req);
  o = test_ingest_text(&env, dir, "caf", "figures.csv", text, &req, r);
  free(conf);
  free(dir);
  return o;
}

static void close_core(releve_ingest_result *r) {
  releve_ingest_result_free(r);
  test_core_close(&cfg, &store, &plugins);
}

static void test_quartier_in_its_list(void **state) {
  releve_ingest_result r;
  (void)state;
  /* The shipped 2015 list: QP075031 is no quartier of it. */
  assert_int_equal(ingest_with("", HEADER "G04.1;2018;QP075012;10;;;\nG04.1;2018;QP075031;3;;;\n",
                               &r),
                   RELEVE_REFUSED);
  assert_non_null(strstr(r.report, "ligne 3, valeur « QP075031 » : QP075031 n'est pas un "
                                   "quartier de la liste QPV 2015 (20 quartiers)"));
  assert_int_equal(test_scalar(&store, "SELECT count(*) FROM observations"), 0);
  /* The list's places are in the geographies table with vintage and name. */
  assert_int_equal(test_scalar(&store, "SELECT count(*) FROM geographies WHERE code = 'QP075012' "
                                       "AND vintage = 'qpv_2015' AND name = 'Goutte d''Or'"),
                   1);
  close_core(&r);

  /* No 2024 list: a QN code is accepted on its pattern, with one warning. */
  assert_int_equal(ingest_with("", HEADER "G04.1;2018;QN99901A;4;;;\nG04.1;2018;QN99902B;5;;;\n",
                               &r),
                   RELEVE_ACCEPTED);
  assert_non_null(strstr(r.report, "QN99901A : aucune liste QPV 2024 n'est chargée"));
  assert_null(strstr(r.report, "QN99902B : aucune"));
  assert_int_equal(test_scalar(&store, "SELECT count(*) FROM geographies WHERE code = 'QN99901A' "
                                       "AND vintage = 'qpv_2024' AND name IS NULL"),
                   1);
  close_core(&r);

  /* A 2024 list loaded: its codes only. */
  assert_int_equal(ingest_with("\"geography\": {\"qpv_2024\": \"" FICTIVE_2024 "\"},",
                               HEADER "G04.1;2018;QN99901A;4;;;\nG04.1;2018;QN99903C;5;;;\n", &r),
                   RELEVE_REFUSED);
  assert_non_null(strstr(r.report, "QN99903C n'est pas un quartier de la liste QPV 2024 "
                                   "(2 quartiers)"));
  assert_null(strstr(r.report, "aucune liste"));
  close_core(&r);
}

/* QPV from its quartiers: every quartier of one loaded list, never a 2015
 * one added to a 2024 one. */
static void test_qpv_derived_one_vintage_at_a_time(void **state) {
  releve_ingest_result r;
  releve_deriver *d;
  double v = 0;
  (void)state;
  assert_int_equal(ingest_with("\"geography\": {\"qpv_2024\": \"" FICTIVE_2024 "\"},",
                               HEADER "G04.1;2018;QN99901A;4;;;\nG04.1;2018;QN99902B;5;;;\n"
                                      "G04.1;2018;QP075012;100;;;\n",
                               &r),
                   RELEVE_ACCEPTED);
  assert_int_equal(releve_deriver_new(&store, &cfg, &d), 0);
  assert_int_equal(releve_derive(d, releve_referentiel_find(&cfg.ref, "G04.1"), "2018", "QPV", &v),
                   1);
  assert_true(v == 9);
  releve_deriver_free(d);
  close_core(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_lists),
      cmocka_unit_test(test_list_file_errors),
      cmocka_unit_test(test_config_section),
      cmocka_unit_test(test_quartier_in_its_list),
      cmocka_unit_test(test_qpv_derived_one_vintage_at_a_time),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
