/* The mapping engine's rows kind: people counted once (count_distinct)
 * and presence by interval, driven with cells as a plugin sends them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "config/mapping.h"
#include "ingest/map.h"

typedef struct figure {
  char key[64];
  double value;
} figure;

typedef struct seen {
  figure figures[64];
  size_t n;
  char errors[2048];
} seen;

static int on_candidate(void *ud, const releve_candidate *c) {
  seen *s = ud;
  assert_true(s->n < 64);
  snprintf(s->figures[s->n].key, sizeof s->figures[s->n].key, "%s %s %s", c->indicator,
           c->period, c->geography);
  s->figures[s->n++].value = c->value.number;
  return 0;
}

static void on_error(void *ud, unsigned long line, unsigned column, const char *value,
                     const char *message) {
  seen *s = ud;
  size_t used = strlen(s->errors);
  (void)column;
  snprintf(s->errors + used, sizeof s->errors - used, "%lu [%s] %s\n", line,
           value ? value : "-", message);
}

/* The figure for "indicator period geography", -1 when none was made. */
static double figure_of(const seen *s, const char *key) {
  size_t i;
  for (i = 0; i < s->n; i++)
    if (strcmp(s->figures[i].key, key) == 0)
      return s->figures[i].value;
  return -1;
}

static releve_cell text_cell(const char *text, unsigned column) {
  releve_cell c = {*text ? RELEVE_CELL_TEXT : RELEVE_CELL_EMPTY, text, 0, column};
  return c;
}

static releve_mapper *mapper(const char *json, seen *s) {
  json_error_t e;
  json_t *m = json_loads(json, 0, &e);
  releve_mapper *mp;
  assert_non_null(m);
  mp = releve_mapper_new(m, on_candidate, on_error, s);
  json_decref(m);
  assert_non_null(mp);
  return mp;
}

static void test_people_counted_once(void **state) {
  static const char *const names[] = {"id_jeune", "annee", "cej"};
  seen s;
  releve_mapper *m;
  unsigned long line;
  (void)state;
  memset(&s, 0, sizeof s);
  m = mapper("{\"kind\": \"rows\", \"period\": {\"column\": \"annee\", \"format\": \"year\"},"
             " \"geography\": {\"value\": \"PARIS\"}, \"indicators\": {"
             " \"T26.1\": {\"op\": \"count_distinct\", \"key\": \"id_jeune\"},"
             " \"T26.2\": {\"op\": \"count\"}}}",
             &s);
  assert_int_equal(releve_mapper_columns(m, names, 3), 0);
  /* 2,000 dossiers for 1,988 young people: the first 12 have a second. */
  for (line = 1; line <= 2000; line++) {
    char id[32];
    releve_cell cells[3];
    snprintf(id, sizeof id, "%016lx", line <= 1988 ? line * 7919 : (line - 1988) * 7919);
    cells[0] = text_cell(id, 1);
    cells[1] = text_cell("2019", 2);
    cells[2] = text_cell("oui", 3);
    assert_int_equal(releve_mapper_row(m, line + 1, cells, 3), 0);
  }
  assert_int_equal(releve_mapper_finish(m), 0);
  assert_true(figure_of(&s, "T26.1 2019 PARIS") == 1988);
  assert_true(figure_of(&s, "T26.2 2019 PARIS") == 2000);
  assert_string_equal(s.errors, "");
  releve_mapper_free(m);
}

/* An empty key is reported without quoting anything and not counted. */
static void test_empty_key_reported(void **state) {
  static const char *const names[] = {"id_jeune", "annee"};
  seen s;
  releve_mapper *m;
  releve_cell cells[2];
  (void)state;
  memset(&s, 0, sizeof s);
  m = mapper("{\"kind\": \"rows\", \"period\": {\"value\": \"2019\"},"
             " \"geography\": {\"value\": \"PARIS\"}, \"indicators\": {"
             " \"T26.1\": {\"op\": \"count_distinct\", \"key\": \"id_jeune\"}}}",
             &s);
  assert_int_equal(releve_mapper_columns(m, names, 2), 0);
  cells[0] = text_cell("a1", 1);
  cells[1] = text_cell("2019", 2);
  assert_int_equal(releve_mapper_row(m, 2, cells, 2), 0);
  cells[0] = text_cell("", 1);
  assert_int_equal(releve_mapper_row(m, 3, cells, 2), 0);
  assert_int_equal(releve_mapper_finish(m), 0);
  assert_true(figure_of(&s, "T26.1 2019 PARIS") == 1);
  assert_non_null(strstr(s.errors, "3 [-] « id_jeune » est vide"));
  releve_mapper_free(m);
}

/* Presence in a year: [start, end] overlapping it, an empty end open. */
static void test_interval_counts_presence(void **state) {
  static const char *const names[] = {"id", "debut", "fin"};
  static const char *const rows[][3] = {
      {"a", "2018", "2019"}, /* in 2018 and 2019 */
      {"b", "2017", ""},     /* open: 2017 to the last year */
      {"c", "2020", "2021"}, /* after 2019 */
      {"d", "2016", "2018"}, /* before 2019 */
      {"e", "2019", "2021"}, /* started in 2019 */
      {"e", "2019", "2019"}, /* e's second dossier */
      {"f", "2019", "2018"}, /* end before start: reported */
  };
  seen s;
  releve_mapper *m;
  size_t i;
  (void)state;
  memset(&s, 0, sizeof s);
  m = mapper("{\"kind\": \"rows\", \"period\": {\"start\": \"debut\", \"end\": \"fin\","
             " \"format\": \"year\"}, \"geography\": {\"value\": \"PARIS\"}, \"indicators\": {"
             " \"T26.1\": {\"op\": \"count_distinct\", \"key\": \"id\"},"
             " \"T26.2\": {\"op\": \"count\", \"period\": {\"column\": \"debut\","
             " \"format\": \"year\"}}}}",
             &s);
  releve_mapper_set_years(m, 2015, 2022);
  assert_int_equal(releve_mapper_columns(m, names, 3), 0);
  for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    releve_cell cells[3] = {text_cell(rows[i][0], 1), text_cell(rows[i][1], 2),
                            text_cell(rows[i][2], 3)};
    assert_int_equal(releve_mapper_row(m, i + 2, cells, 3), 0);
  }
  assert_int_equal(releve_mapper_finish(m), 0);
  /* a, b, e: 3 people in 2019; counted by start year it would be 1 (e). */
  assert_true(figure_of(&s, "T26.1 2019 PARIS") == 3);
  assert_true(figure_of(&s, "T26.1 2016 PARIS") == 1);
  assert_true(figure_of(&s, "T26.1 2022 PARIS") == 1); /* b, still open */
  assert_true(figure_of(&s, "T26.1 2023 PARIS") == -1); /* after the years counted */
  assert_true(figure_of(&s, "T26.1 2015 PARIS") == -1);
  /* The indicator with its own period counts dossiers by start year (e's
   * two; f, reported, counts nowhere). */
  assert_true(figure_of(&s, "T26.2 2019 PARIS") == 2);
  assert_non_null(strstr(s.errors, "8 [2018] la fin (2018) précède le début (2019)"));
  releve_mapper_free(m);
}

static void test_check_rules(void **state) {
  releve_diags d = {0};
  releve_jctx c = {"releve.json", &d};
  json_error_t e;
  json_t *m = json_loads(
      "{\"kind\": \"rows\", \"period\": {\"start\": \"debut\", \"format\": \"school_year\"},"
      " \"geography\": {\"value\": \"PARIS\"}, \"indicators\": {"
      " \"T26.1\": {\"op\": \"count_distinct\"}}}",
      0, &e);
  (void)state;
  assert_non_null(m);
  releve_mapping_check(m, &c, "actors[0].mapping", NULL, NULL);
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_ERROR), 3);
  assert_string_equal(d.items[0].key, "actors[0].mapping.period.end");
  assert_non_null(strstr(d.items[1].message, "\"year\" or \"date\""));
  assert_non_null(strstr(d.items[2].message, "needs the key column"));
  releve_diags_free(&d);
  json_decref(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_people_counted_once),
      cmocka_unit_test(test_empty_key_reported),
      cmocka_unit_test(test_interval_counts_presence),
      cmocka_unit_test(test_check_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
