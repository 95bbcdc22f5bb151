/* The référentiel shipped in conf/referentiel.json: complete and coherent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "referentiel/referentiel.h"
#include "util/fs.h"

static releve_referentiel ref;

static int setup(void **state) {
  releve_diags d = {0};
  (void)state;
  if (releve_referentiel_load(&ref, RELEVE_SOURCE_DIR "/conf/referentiel.json", &d) != 0) {
    releve_diags_print(&d, stderr);
    return -1;
  }
  releve_diags_free(&d);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  releve_referentiel_free(&ref);
  return 0;
}

/* The counts of conf/REFERENTIEL.md, taken from the document's tables. */
static void test_counts_per_theme(void **state) {
  size_t i, per_theme[3] = {0, 0, 0};
  (void)state;
  assert_int_equal(ref.n_themes, 3);
  assert_string_equal(ref.nodes[0].id, "G");
  assert_string_equal(ref.nodes[1].id, "T");
  assert_string_equal(ref.nodes[2].id, "H");
  for (i = 0; i < ref.n_indicators; i++) {
    const char *t = ref.indicators[i].theme->id;
    per_theme[t[0] == 'G' ? 0 : t[0] == 'T' ? 1 : 2]++;
  }
  assert_int_equal(per_theme[0], 130);
  assert_int_equal(per_theme[1], 136);
  assert_int_equal(per_theme[2], 126);
  assert_int_equal(ref.n_indicators, 392);
}

static void test_ids_unique_and_shaped(void **state) {
  size_t i;
  (void)state;
  for (i = 1; i < ref.n_indicators; i++)
    assert_true(strcmp(ref.by_id[i - 1]->id, ref.by_id[i]->id) < 0);
  for (i = 0; i < ref.n_indicators; i++) {
    const releve_indicator *ind = &ref.indicators[i];
    /* G01.2: theme letter, two-digit action, indicator number. */
    assert_true(strlen(ind->id) >= 5);
    assert_int_equal(ind->id[0], ind->theme->id[0]);
    assert_int_equal(strncmp(ind->id, ind->action->id, strlen(ind->action->id)), 0);
    assert_int_equal(ind->id[strlen(ind->action->id)], '.');
    assert_ptr_equal(releve_referentiel_find(&ref, ind->id), ind);
  }
  assert_null(releve_referentiel_find(&ref, "Z99.9"));
}

static void test_every_indicator_has_an_actor(void **state) {
  size_t i;
  (void)state;
  for (i = 0; i < ref.n_indicators; i++) {
    assert_non_null(ref.indicators[i].actor);
    assert_non_null(releve_referentiel_actor(&ref, ref.indicators[i].actor));
    assert_true(strlen(ref.indicators[i].label) > 0);
  }
  assert_non_null(releve_referentiel_actor(&ref, "caf"));
  assert_non_null(releve_referentiel_actor(&ref, "pole-emploi"));
  assert_non_null(releve_referentiel_actor(&ref, "mission-locale"));
  assert_non_null(releve_referentiel_actor(&ref, "academie"));
}

static void test_school_year_for_academie(void **state) {
  size_t i;
  (void)state;
  for (i = 0; i < ref.n_indicators; i++)
    assert_int_equal(ref.indicators[i].period == RELEVE_PERIOD_SCHOOL_YEAR,
                     strcmp(ref.indicators[i].actor, "academie") == 0);
}

static void test_targets_as_written(void **state) {
  const releve_indicator *g011 = releve_referentiel_find(&ref, "G01.1");
  const releve_indicator *g012 = releve_referentiel_find(&ref, "G01.2");
  (void)state;
  assert_non_null(g011);
  assert_string_equal(g011->label, "Nombre d'Équipe pluridisciplinaire de Réussite Éducative");
  assert_string_equal(g011->target.text, "11 EPRE");
  assert_int_equal(g011->target.kind, RELEVE_TARGET_LEVEL);
  assert_true(g011->target.value == 11);
  assert_string_equal(g012->target.text, "1200 enfants accompagnés par an");
  assert_true(g012->target.value == 1200);
}

/* Every count says what it counts (conf/REFERENTIEL.md): schools and
 * actions are not persons, the CAF's families are households. */
static void test_counts_say_what(void **state) {
  static const struct {
    const char *id;
    releve_counts counts;
  } want[] = {{"G02.1", RELEVE_COUNTS_STRUCTURES}, {"G01.2", RELEVE_COUNTS_PERSONS},
              {"G31.2", RELEVE_COUNTS_HOUSEHOLDS}, {"H22.2", RELEVE_COUNTS_ACTIONS},
              {"H13.1", RELEVE_COUNTS_PLACES},     {"G25.2", RELEVE_COUNTS_HOURS}};
  char *text = NULL;
  size_t i, n = 0;
  (void)state;
  for (i = 0; i < sizeof want / sizeof want[0]; i++) {
    const releve_indicator *ind = releve_referentiel_find(&ref, want[i].id);
    assert_non_null(ind);
    if (ind->counts != want[i].counts)
      fail_msg("%s counts %s, expected %s", want[i].id, releve_counts_name(ind->counts),
               releve_counts_name(want[i].counts));
  }
  /* The shipped file says it for each of them, never by default. */
  assert_int_equal(releve_fs_read_file(RELEVE_SOURCE_DIR "/conf/referentiel.json", &text, &i), 0);
  for (const char *p = text; (p = strstr(p, "\"counts\": ")) != NULL; p++)
    n++;
  for (i = 0; i < ref.n_indicators; i++)
    if (ref.indicators[i].unit == RELEVE_UNIT_COUNT)
      n--;
  assert_int_equal(n, 0);
  free(text);
}

/* The seed's PDF extraction left "1 ^{er}", "4 ^e me", "(12 ^e , 13 ^e)":
 * labels and targets read "1er", "4e", "(12e, 13e)". */
static void test_no_extraction_artefacts(void **state) {
  const releve_indicator *g112 = releve_referentiel_find(&ref, "G11.2");
  const releve_indicator *g191 = releve_referentiel_find(&ref, "G19.1");
  size_t i;
  (void)state;
  for (i = 0; i < ref.n_indicators; i++) {
    const releve_indicator *ind = &ref.indicators[i];
    if (strchr(ind->label, '^') || strchr(ind->target.text, '^') || strchr(ind->action->name, '^'))
      fail_msg("%s still carries an extraction artefact: %s / %s", ind->id, ind->label,
               ind->target.text);
  }
  assert_string_equal(g112->label, "Nombre de classes de 4e et d'élèves concernés par les interventions");
  assert_non_null(strstr(g191->target.text, "(12e, 13e, 20e)"));
  assert_true(g112->seed_line > 0);
}

/* The copy compiled into the binaries is the same file. */
static void test_embedded_copy(void **state) {
  releve_referentiel emb;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(releve_referentiel_parse(&emb, "embedded", releve_default_referentiel_json, &d),
                   0);
  assert_string_equal(emb.sha256, ref.sha256);
  releve_referentiel_free(&emb);
  releve_diags_free(&d);
}

/* A référentiel of one action of the CAF holding the given indicators. */
#define ONE_ACTION(indicators)                                                                     \
  "{\"actors\": [{\"id\": \"caf\", \"name\": \"CAF\"}], \"themes\": [{\"id\": \"G\", "             \
  "\"name\": \"g\", \"objectives\": [{\"id\": \"G1\", \"name\": \"o\", \"sub_objectives\": "       \
  "[{\"id\": \"G1.1\", \"name\": \"s\", \"goals\": [{\"id\": \"G1.1.1\", \"name\": \"b\", "        \
  "\"actions\": [{\"id\": \"G01\", \"label\": \"a\", \"indicators\": [" indicators                 \
  "]}]}]}]}]}]}"

static void test_broken_referentiel_reported(void **state) {
  releve_referentiel r;
  releve_diags d = {0};
  static const char text[] =
      ONE_ACTION(
          "{\"id\": \"G01.1\", \"label\": \"x\", \"actor\": \"nobody\", \"unit\": \"litres\", "
          "\"period\": \"year\", \"target\": {\"text\": \"\", \"kind\": \"none\"}},"
          "{\"id\": \"G01.1\", \"label\": \"y\", \"actor\": \"caf\", \"unit\": \"count\", "
          "\"period\": \"year\", \"target\": {\"text\": \"\", \"kind\": \"none\"}}");
  (void)state;
  assert_int_equal(releve_referentiel_parse(&r, "bad.json", text, &d), -EINVAL);
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_ERROR), 3);
  assert_non_null(strstr(d.items[0].message, "\"litres\" is not one of"));
  assert_string_equal(d.items[0].key,
                      "themes[0].objectives[0].sub_objectives[0].goals[0].actions[0]."
                      "indicators[0].unit");
  assert_non_null(strstr(d.items[1].message, "\"nobody\" is not in the top-level"));
  assert_non_null(strstr(d.items[2].message, "\"G01.1\" appears twice"));
  releve_referentiel_free(&r);
  releve_diags_free(&d);
}

/* Themes that are not objects still take their slot (found by fuzzing:
 * the nodes were counted without them, and written past the end). */
static void test_themes_not_objects(void **state) {
  releve_referentiel r;
  releve_diags d = {0};
  (void)state;
  assert_int_equal(releve_referentiel_parse(&r, "bad.json", "{\"actors\": [], \"themes\": [1, \"G\"]}",
                                            &d),
                   -EINVAL);
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_ERROR), 3);
  assert_string_equal(d.items[0].key, "themes[0]");
  assert_string_equal(d.items[1].key, "themes[1]");
  assert_non_null(strstr(d.items[2].message, "no indicator"));
  releve_referentiel_free(&r);
  releve_diags_free(&d);
}

static int has(const releve_indicator *ind, const char *geo) {
  const char *const *g;
  for (g = ind->geographies; *g; g++)
    if (strcmp(*g, geo) == 0)
      return 1;
  return 0;
}

/* The geographies of conf/REFERENTIEL.md: education priority in REP/REP+,
 * the city total where the figure is one, QPV and QP for the rest. */
static void test_expected_geographies(void **state) {
  const releve_indicator *g02 = releve_referentiel_find(&ref, "G02.1");
  const releve_indicator *g59 = releve_referentiel_find(&ref, "G59.1");
  const releve_indicator *t06 = releve_referentiel_find(&ref, "T06.1");
  const releve_indicator *h07 = releve_referentiel_find(&ref, "H07.1");
  size_t i, n[4] = {0, 0, 0, 0};
  (void)state;
  assert_true(has(g02, "REP") && has(g02, "REP+") && !has(g02, "QPV"));
  assert_true(has(g59, "QPV") && has(g59, "QP") && has(g59, "PARIS"));
  assert_true(has(t06, "PARIS") && t06->geographies[1] == NULL);
  assert_true(has(h07, "QPV") && has(h07, "QP") && h07->geographies[2] == NULL);
  for (i = 0; i < ref.n_indicators; i++) {
    const releve_indicator *ind = &ref.indicators[i];
    n[has(ind, "REP") ? 0 : !has(ind, "QPV") ? 1 : has(ind, "PARIS") ? 2 : 3]++;
  }
  assert_int_equal(n[0], 26);
  assert_int_equal(n[1], 8);
  assert_int_equal(n[2], 6);
  assert_int_equal(n[3], 352);
}

/* A geography no cell can be expected for, a repeat, an empty list. */
static void test_bad_geographies_reported(void **state) {
  releve_referentiel r;
  releve_diags d = {0};
  static const char text[] =
      ONE_ACTION(
          "{\"id\": \"G01.1\", \"label\": \"x\", \"actor\": \"caf\", \"unit\": \"count\", "
          "\"period\": \"year\", \"geographies\": [\"QPV\", \"75118\", \"QPV\"], "
          "\"target\": {\"text\": \"\", \"kind\": \"none\"}},"
          "{\"id\": \"G01.2\", \"label\": \"y\", \"actor\": \"caf\", \"unit\": \"count\", "
          "\"period\": \"year\", \"geographies\": [], "
          "\"target\": {\"text\": \"\", \"kind\": \"none\"}}");
  (void)state;
  assert_int_equal(releve_referentiel_parse(&r, "bad.json", text, &d), -EINVAL);
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_ERROR), 3);
  assert_non_null(strstr(d.items[0].message, "\"75118\" is not a geography of the référentiel"));
  assert_string_equal(d.items[0].key, "themes[0].objectives[0].sub_objectives[0].goals[0]."
                                      "actions[0].indicators[0].geographies[1]");
  assert_non_null(strstr(d.items[1].message, "\"QPV\" is listed twice"));
  assert_non_null(strstr(d.items[2].message, "no geography"));
  releve_referentiel_free(&r);
  releve_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counts_per_theme),
      cmocka_unit_test(test_ids_unique_and_shaped),
      cmocka_unit_test(test_every_indicator_has_an_actor),
      cmocka_unit_test(test_school_year_for_academie),
      cmocka_unit_test(test_targets_as_written),
      cmocka_unit_test(test_counts_say_what),
      cmocka_unit_test(test_no_extraction_artefacts),
      cmocka_unit_test(test_embedded_copy),
      cmocka_unit_test(test_broken_referentiel_reported),
      cmocka_unit_test(test_themes_not_objects),
      cmocka_unit_test(test_expected_geographies),
      cmocka_unit_test(test_bad_geographies_reported),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
