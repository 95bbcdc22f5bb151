/* Completeness with derived cells, through the real ingest ("lines" test
 * plugin), store and address reference: QP = QPV + QVA for counts, never
 * for shares, and QPV or QVA from every one of its quartiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include "completeness/completeness.h"
#include "ingest/ingest.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/buf.h"

static char *dir;
static releve_config cfg;
static releve_store store;
static releve_plugins plugins;
static releve_ingest_env env;

#define HEADER "indicateur;periode;geographie;valeur;part;statut;commentaire\n"

static int setup(void **state) {
  (void)state;
  dir = test_dir("completeness");
  chmod(RELEVE_TEST_PLUGIN_DIR, 0755);
  /* The reference's zones: QPV QP075011, QP075012, QP075014 (of the
   * décret's 20) and one QVA, QN07599A. */
  return test_core_open(
      dir,
      "{\"plugins\": \"" RELEVE_TEST_PLUGIN_DIR "\", \"database\": \"r.db\", "
      "\"addresses\": {\"file\": \"" RELEVE_SOURCE_DIR
      "/tests/fixtures/addresses/near_miss_plain.csv\", \"format\": \"plain\"}, "
      "\"actors\": [{\"id\": \"caf\", \"emails\": [\"a@caf.example.org\"], "
      "\"plugin\": \"lines\"}]}",
      RELEVE_TEST_PLUGIN_DIR, &cfg, &store, &plugins, &env);
}

static int teardown(void **state) {
  (void)state;
  test_core_close(&cfg, &store, &plugins);
  free(dir);
  return 0;
}

static void ingest(const char *name, const char *text) {
  releve_ingest_result r;
  if (test_ingest_text(&env, dir, "caf", name, text, NULL, &r) != RELEVE_ACCEPTED)
    fprintf(stderr, "%s\n", r.report);
  assert_int_equal(r.outcome, RELEVE_ACCEPTED);
  releve_ingest_result_free(&r);
}

typedef struct found {
  const char *indicator, *geography;
  int year;
  int seen, given, derived;
  double value;
} found;

static int find_cell(void *ud, const releve_expected *c) {
  found *f = ud;
  if (strcmp(c->indicator->id, f->indicator) || strcmp(c->geography, f->geography) ||
      c->period.year != f->year)
    return 0;
  f->seen = 1;
  f->given = c->given;
  f->derived = c->derived;
  f->value = c->value;
  return 0;
}

static found cell(const char *indicator, int year, const char *geography) {
  found f;
  memset(&f, 0, sizeof f);
  f.indicator = indicator;
  f.geography = geography;
  f.year = year;
  assert_int_equal(releve_completeness_walk(&store, &cfg, "caf", year, "2024-12-01", find_cell, &f),
                   0);
  assert_true(f.seen);
  return f;
}

/* G04.1 is a count, H04.2 a share: the same QPV and QVA give a QP for the
 * count only. */
static void test_qp_from_qpv_and_qva_for_counts_only(void **state) {
  found f;
  (void)state;
  ingest("a.csv", HEADER "G04.1;2019;QPV;120;;;\nG04.1;2019;QVA;30;;;\n"
                         "H04.2;2019;QPV;12;;;\nH04.2;2019;QVA;3;;;\n");
  f = cell("G04.1", 2019, "QP");
  assert_true(f.given && f.derived);
  assert_true(f.value == 150);
  f = cell("G04.1", 2019, "QPV");
  assert_true(f.given && !f.derived);
  f = cell("H04.2", 2019, "QP");
  assert_false(f.given);
  assert_false(f.derived);
}

/* A QP given by the partner is given, not derived; a QPV given as secret
 * cannot be added up. */
static void test_given_qp_wins_and_secret_does_not_add(void **state) {
  found f;
  (void)state;
  ingest("b.csv", HEADER "G24.1;2019;QPV;5;;;\nG24.1;2019;QVA;1;;;\nG24.1;2019;QP;7;;;\n"
                         "G24.2;2019;QPV;s;;;\nG24.2;2019;QVA;1;;;\n");
  f = cell("G24.1", 2019, "QP");
  assert_true(f.given && !f.derived);
  f = cell("G24.2", 2019, "QP");
  assert_false(f.given);
}

/* The 20 QPV of the décret, quartier by quartier, give the QPV; one
 * missing and there is no QPV. The QVA the reference lists in 2024 codes
 * gives the QVA, and then QP follows from both. */
static void test_quartiers_roll_up(void **state) {
  releve_buf b = RELEVE_BUF_INIT;
  found f;
  int q;
  (void)state;
  releve_buf_adds(&b, HEADER);
  for (q = 1; q <= 20; q++)
    releve_buf_addf(&b, "G25.1;2018;QP0750%02d;%d;;;\n", q, q);
  for (q = 1; q <= 19; q++)
    releve_buf_addf(&b, "G25.2;2018;QP0750%02d;%d;;;\n", q, q);
  releve_buf_adds(&b, "G25.1;2018;QN07599A;4;;;\n");
  ingest("c.csv", b.data);
  releve_buf_free(&b);
  f = cell("G25.1", 2018, "QPV");
  assert_true(f.given && f.derived);
  assert_true(f.value == 210); /* 1 + 2 + … + 20 */
  f = cell("G25.1", 2018, "QP");
  assert_true(f.given && f.derived);
  assert_true(f.value == 214);
  f = cell("G25.2", 2018, "QPV");
  assert_false(f.given);
  f = cell("G25.2", 2018, "QP");
  assert_false(f.given);
}

/* The actor's "scopes" override the indicator's own geographies. */
static void test_scopes_override(void **state) {
  releve_actor *caf = (releve_actor *)releve_config_actor(&cfg, "caf");
  const char *only_qva[] = {"QVA", NULL};
  const char **saved = caf->scopes;
  const releve_indicator *g04 = releve_referentiel_find(&cfg.ref, "G04.1");
  (void)state;
  assert_string_equal(releve_config_geographies(caf, g04)[0], "QPV");
  caf->scopes = only_qva;
  assert_string_equal(releve_config_geographies(caf, g04)[0], "QVA");
  assert_null(releve_config_geographies(caf, g04)[1]);
  caf->scopes = saved;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_qp_from_qpv_and_qva_for_counts_only),
      cmocka_unit_test(test_given_qp_wins_and_secret_does_not_add),
      cmocka_unit_test(test_quartiers_roll_up),
      cmocka_unit_test(test_scopes_override),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
