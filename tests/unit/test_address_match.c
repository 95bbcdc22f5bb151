/* The address reference and the matching levels, on the real BAN rows of
 * tests/fixtures/addresses/ (zones reconstructed, see its README) and on a
 * small synthetic reference of near-miss streets. The rule under test: an
 * address is placed in the zone the reference gives it, or left unmatched;
 * never in another zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address/addr_match.h"
#include "kit/kit.h"
#include "testutil.h"
#include "util/str.h"

#define FIX RELEVE_SOURCE_DIR "/tests/fixtures/addresses/"

static releve_addr_ref *load(const char *file, const char *format, const char *zones) {
  releve_addr_spec spec = {file, format, NULL, zones};
  releve_diags d = {0};
  releve_addr_ref *ref = NULL;
  int rc = releve_addr_ref_load(&spec, &ref, &d);
  if (rc)
    releve_diags_print(&d, stderr);
  assert_int_equal(rc, 0);
  releve_diags_free(&d);
  return ref;
}

static releve_addr_result match(const releve_addr_ref *ref, const char *number,
                                const char *street, const char *postcode) {
  releve_addr_fields f = {number, NULL, street, postcode, NULL};
  releve_addr_result r;
  releve_addr_match(ref, &f, NULL, &r);
  return r;
}

/* zone NULL: expects a match outside the priority geography. */
static void expect(const releve_addr_ref *ref, const char *number, const char *street,
                   const char *postcode, releve_addr_level level, const char *zone) {
  releve_addr_result r = match(ref, number, street, postcode);
  if (r.level != level || (r.zone == NULL) != (zone == NULL) ||
      (zone && strcmp(r.zone->code, zone) != 0))
    fail_msg("[%s|%s|%s]: %s %s, expected %s %s", number ? number : "", street,
             postcode ? postcode : "", releve_addr_match_level_name(r.level),
             r.zone ? r.zone->code : "-", releve_addr_match_level_name(level), zone ? zone : "-");
}

static void expect_miss(const releve_addr_ref *ref, const char *number, const char *street,
                        const char *postcode, releve_addr_miss miss) {
  releve_addr_result r = match(ref, number, street, postcode);
  if (r.level != RELEVE_ADDR_UNMATCHED || r.miss != miss)
    fail_msg("[%s|%s|%s]: %s %s (miss %d), expected unmatched (miss %d)", number ? number : "",
             street, postcode ? postcode : "", releve_addr_match_level_name(r.level),
             r.zone ? r.zone->code : "-", r.miss, miss);
}

static void test_loads_ban_with_zone_columns(void **state) {
  releve_addr_ref *ref = load(FIX "ban_paris_zoned.csv", "ban", NULL);
  (void)state;
  assert_int_equal(releve_addr_ref_addresses(ref), 295);
  assert_int_equal(releve_addr_ref_streets(ref), 4);
  releve_addr_ref_free(ref);
}

static void test_levels(void **state) {
  releve_addr_ref *ref = load(FIX "ban_paris_zoned.csv", "ban", NULL);
  (void)state;
  expect(ref, "1", "Rue Myrha", "75018", RELEVE_ADDR_EXACT, "QP075012");
  expect(ref, "40 bis", "rue Myrha", "75018", RELEVE_ADDR_EXACT, "QP075012");
  expect(ref, "40", "RUE MYRHA", "75118", RELEVE_ADDR_EXACT, "QP075012");
  /* 6 and 6 a are known, 6 ter is not: the number decides alone. */
  expect(ref, "6 ter", "R MYRHA", "75018", RELEVE_ADDR_NUMBER, "QP075012");
  /* A number the street does not have, on a street wholly in one zone. */
  expect(ref, "999", "Rue Myrha", "75018", RELEVE_ADDR_STREET, "QP075012");
  expect(ref, NULL, "Rue de Tanger", "75019", RELEVE_ADDR_STREET, "QP075014");
  /* Rue Stephenson is split: numbers decide, the street alone does not. */
  expect(ref, "12", "rue Stephenson", "75018", RELEVE_ADDR_EXACT, "QP075012");
  expect(ref, "60", "rue Stephenson", "75018", RELEVE_ADDR_EXACT, NULL);
  expect(ref, "24 bis", "rue Stephenson", "75018", RELEVE_ADDR_EXACT, "QP075012");
  expect_miss(ref, NULL, "rue Stephenson", "75018", RELEVE_ADDR_MISS_SPLIT);
  expect_miss(ref, "999", "rue Stephenson", "75018", RELEVE_ADDR_MISS_SPLIT);
  /* Wrong commune, near misses, no postcode, nothing readable. */
  expect_miss(ref, "1", "Rue Myrha", "75019", RELEVE_ADDR_MISS_STREET);
  /* A typo: the one street a letter away, with the number on it. */
  expect(ref, "1", "Rue Myrrha", "75018", RELEVE_ADDR_NEAR, "QP075012");
  expect(ref, "60", "rue Stephensno", "75018", RELEVE_ADDR_NEAR, NULL);
  expect_miss(ref, "997", "Rue Myrrha", "75018", RELEVE_ADDR_MISS_STREET);
  expect_miss(ref, NULL, "Rue Myrrha", "75018", RELEVE_ADDR_MISS_STREET);
  expect_miss(ref, "1", "Rue Myrrha", "75019", RELEVE_ADDR_MISS_STREET);
  expect_miss(ref, "1", "Boulevard Myrha", "75018", RELEVE_ADDR_MISS_STREET);
  expect_miss(ref, "1", "Impasse Myrha", "75018", RELEVE_ADDR_MISS_STREET);
  expect_miss(ref, "1", "Myrha", "75018", RELEVE_ADDR_MISS_STREET);
  expect(ref, "3", "Rue Polonceaux", "75018", RELEVE_ADDR_NEAR, "QP075012");
  expect_miss(ref, "3", "Rue de Tanger", "75018", RELEVE_ADDR_MISS_STREET);
  /* Without a postcode, a street only one arrondissement has. */
  expect(ref, "3", "Rue de Tanger", NULL, RELEVE_ADDR_EXACT, "QP075014");
  expect_miss(ref, "3", "Rue de Tangre", NULL, RELEVE_ADDR_MISS_COMMUNE);
  expect_miss(ref, "3", "Bât B, 2e étage", "75018", RELEVE_ADDR_MISS_EMPTY);
  releve_addr_ref_free(ref);
}

static void test_complement_read_when_street_is_not(void **state) {
  releve_addr_ref *ref = load(FIX "ban_paris_zoned.csv", "ban", NULL);
  releve_addr_fields f = {NULL, NULL, "Chez M. Diallo", "75018", NULL};
  releve_addr_result r;
  (void)state;
  releve_addr_match(ref, &f, "13 rue Polonceau", &r);
  assert_int_equal(r.level, RELEVE_ADDR_EXACT);
  assert_string_equal(r.zone->code, "QP075012");
  f.street = "Résidence du Parc";
  releve_addr_match(ref, &f, "Bât A", &r);
  assert_int_equal(r.level, RELEVE_ADDR_UNMATCHED);
  releve_addr_ref_free(ref);
}

static void test_near_miss_streets(void **state) {
  releve_addr_ref *ref = load(FIX "near_miss_plain.csv", "plain", NULL);
  (void)state;
  expect(ref, "5", "bd de la Villette", "75019", RELEVE_ADDR_EXACT, "QP075014");
  expect(ref, "5", "rue de la Villette", "75019", RELEVE_ADDR_EXACT, NULL);
  expect_miss(ref, "5", "avenue de la Villette", "75019", RELEVE_ADDR_MISS_STREET);
  expect_miss(ref, "5", "Villette", "75019", RELEVE_ADDR_MISS_STREET);
  expect_miss(ref, "5", "bd de la Villette", "75010", RELEVE_ADDR_MISS_STREET);
  /* Rue Marx-Dormoy was once "rue de la Chapelle": an old name is not a match. */
  expect(ref, "2", "rue Marx Dormoy", "75018", RELEVE_ADDR_EXACT, "QP075011");
  expect(ref, "2", "RUE MARX-DORMOY", "75018", RELEVE_ADDR_EXACT, "QP075011");
  expect_miss(ref, "2", "rue de la Chapelle", "75018", RELEVE_ADDR_MISS_STREET);
  expect(ref, "2", "rue Marx Dormoi", "75018", RELEVE_ADDR_NEAR, "QP075011");
  expect(ref, "2", "bd de la Chapelle", "75018", RELEVE_ADDR_EXACT, "QP075012");
  expect(ref, "4", "bd de la Chapelle", "75018", RELEVE_ADDR_EXACT, NULL);
  expect_miss(ref, "6", "bd de la Chapelle", "75018", RELEVE_ADDR_MISS_SPLIT);
  expect(ref, "4", "pl. de la Chapelle", "75018", RELEVE_ADDR_EXACT, NULL);
  /* A QVA, and suffixes deciding between it and outside. */
  expect(ref, "10", "rue des Poissonniers", "75018", RELEVE_ADDR_EXACT, "QN07599A");
  expect(ref, "10b", "rue des Poissonniers", "75018", RELEVE_ADDR_EXACT, "QN07599A");
  expect(ref, "10 ter", "rue des Poissonniers", "75018", RELEVE_ADDR_NUMBER, "QN07599A");
  expect(ref, "12", "rue des Poissonniers", "75018", RELEVE_ADDR_EXACT, NULL);
  expect_miss(ref, "16", "rue des Poissonniers", "75018", RELEVE_ADDR_MISS_SPLIT);
  assert_int_equal(match(ref, "10", "rue des Poissonniers", "75018").zone->kind,
                   RELEVE_ADDR_ZONE_QVA);
  expect(ref, "7", "av de la porte de Montmartre", "75018", RELEVE_ADDR_EXACT, "QP075010");
  expect(ref, "7", "Rue Myrha", "75019", RELEVE_ADDR_EXACT, NULL);
  releve_addr_ref_free(ref);
}

/* The BAN kept as downloaded plus a separate id → zone file gives the same
 * answers as the BAN with zone columns. */
static void test_separate_zone_file(void **state) {
  releve_addr_ref *a = load(FIX "ban_paris_zoned.csv", "ban", NULL);
  releve_addr_ref *b = load(FIX "ban_paris_extract.csv", "ban", FIX "ban_paris_zones.csv");
  static const char *const numbers[] = {"1", "12", "36", "37", "60", "999", "6 ter", NULL};
  static const char *const streets[] = {"rue Myrha", "rue Stephenson", "rue Polonceau", NULL};
  size_t i, j;
  (void)state;
  for (i = 0; numbers[i]; i++)
    for (j = 0; streets[j]; j++) {
      releve_addr_result ra = match(a, numbers[i], streets[j], "75018");
      releve_addr_result rb = match(b, numbers[i], streets[j], "75018");
      assert_int_equal(ra.level, rb.level);
      assert_true((ra.zone == NULL && rb.zone == NULL) ||
                  (ra.zone && rb.zone && strcmp(ra.zone->code, rb.zone->code) == 0));
    }
  releve_addr_ref_free(a);
  releve_addr_ref_free(b);
}

static void test_bad_references(void **state) {
  char *dir = test_dir("address_ref");
  releve_addr_spec spec = {NULL, "plain", NULL, NULL};
  releve_diags d = {0};
  releve_addr_ref *ref = NULL;
  char *p;
  (void)state;

  spec.file = p = test_file(dir, "nocol.csv", "numero;voie;qpv\n1;Rue Myrha;QP075012\n");
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  assert_non_null(strstr(d.items[0].message, "no postcode column \"code_postal\""));
  releve_diags_free(&d);
  free(p);

  spec.file = p = test_file(dir, "badzone.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                                "1;;Rue Myrha;75018;QP075012;\n"
                                                "2;;Rue Myrha;75018;Goutte d'Or;\n"
                                                "3;;Rue Myrha;75018;QP075012;QN07599A\n");
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  assert_int_equal(d.n, 2);
  assert_int_equal(d.items[0].line, 3);
  assert_non_null(strstr(d.items[0].message, "not a quartier code"));
  assert_int_equal(d.items[1].line, 4);
  assert_non_null(strstr(d.items[1].message, "both a QPV"));
  releve_diags_free(&d);
  free(p);

  spec.file = p = test_file(dir, "kinds.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                              "1;;Rue Myrha;75018;QP075012;\n"
                                              "2;;Rue Myrha;75018;;QP075012\n");
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  releve_diags_free(&d);
  free(p);

  /* An unreadable line is left out with a warning; the rest loads. */
  spec.file = p = test_file(dir, "blank.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                              "1;;Rue Myrha;75018;QP075012;\n"
                                              "2;;;75018;QP075012;\n");
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), 0);
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_WARNING), 1);
  assert_int_equal(releve_addr_ref_addresses(ref), 1);
  releve_addr_ref_free(ref);
  releve_diags_free(&d);
  free(p);

  /* The city's QVA codes, kept with their list; a QVA code is no QPV. */
  spec.file = p = test_file(dir, "qva.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                            "1;;Rue Curial;75019;QP075014;\n"
                                            "3;;Rue Curial;75019;;QVA075001\n");
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), 0);
  assert_int_equal(match(ref, "3", "rue Curial", "75019").zone->kind, RELEVE_ADDR_ZONE_QVA);
  assert_int_equal(match(ref, "3", "rue Curial", "75019").zone->vintage, RELEVE_GEO_QVA_CITY);
  assert_int_equal(match(ref, "1", "rue Curial", "75019").zone->vintage, RELEVE_GEO_QPV_2015);
  releve_addr_ref_free(ref);
  free(p);
  spec.file = p = test_file(dir, "qvaqpv.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                               "1;;Rue Curial;75019;QVA075001;\n");
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  assert_non_null(strstr(d.items[0].message, "is a QVA code (addresses.qva_pattern) in the qpv"));
  releve_diags_free(&d);
  free(p);
  /* The 2015 and 2024 QPV lists never mix in one reference. */
  spec.file = p = test_file(dir, "vintages.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                                 "1;;Rue Curial;75019;QN07514A;\n"
                                                 "2;;Rue Curial;75019;QN07514A;\n"
                                                 "3;;Rue Curial;75019;QP075014;\n");
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.items[0].line, 4);
  assert_non_null(strstr(d.items[0].message, "\"QP075014\" is a code of the liste QPV 2015 "
                                             "but line 2 gives one of the liste QPV 2024"));
  releve_diags_free(&d);
  free(p);

  spec.file = "/nonexistent/adresses.csv";
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  assert_non_null(strstr(d.items[0].message, "cannot read"));
  releve_diags_free(&d);
  free(dir);
}

/* The reference read through the kit's CSV reader: a BOM before a quoted
 * header, commas, CRLF, quoted cells holding the separator, blank lines
 * counted in the line numbers, a quote left open ending with its line. */
static void test_reference_csv_syntax(void **state) {
  char *dir = test_dir("address_csv"), *p, *wide;
  releve_addr_spec spec = {NULL, "plain", NULL, NULL};
  releve_diags d = {0};
  releve_addr_ref *ref = NULL;
  const char *head = "\xef\xbb\xbf\"numero\",suffixe,voie,code_postal,qpv,qva,note\r\n"
                     "1,,\"Rue Myrha\",75018,QP075012,,\"a, b\"\r\n"
                     "\r\n"
                     "3,,Rue Curial,75019,,QVA075001,\"open quote\r\n";
  (void)state;

  spec.file = p = test_file(dir, "syntax.csv", head);
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), 0);
  assert_int_equal(releve_addr_ref_addresses(ref), 2);
  expect(ref, "1", "rue Myrha", "75018", RELEVE_ADDR_EXACT, "QP075012");
  expect(ref, "3", "rue Curial", "75019", RELEVE_ADDR_EXACT, "QVA075001");
  releve_addr_ref_free(ref);
  releve_diags_free(&d);
  free(p);

  /* The open quote did not swallow line 5, whose error names its line. */
  wide = releve_str_printf("%s5,,Rue Curial,75019,BAD,,\r\n", head);
  spec.file = p = test_file(dir, "syntax5.csv", wide);
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.items[0].line, 5);
  assert_non_null(strstr(d.items[0].message, "\"BAD\" is not a quartier code"));
  releve_diags_free(&d);
  free(wide);
  free(p);

  /* A line the reader refuses stops the load, naming file and line. */
  wide = calloc(RELEVE_KIT_MAX_FIELDS + 64, 1);
  assert_non_null(wide);
  strcpy(wide, "numero;suffixe;voie;code_postal;qpv;qva\n");
  memset(wide + strlen(wide), ';', RELEVE_KIT_MAX_FIELDS);
  spec.file = p = test_file(dir, "wide.csv", wide);
  assert_int_equal(releve_addr_ref_load(&spec, &ref, &d), -EINVAL);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.items[0].line, 2);
  assert_string_equal(d.items[0].file, p);
  assert_non_null(strstr(d.items[0].message, "more than 10000 fields"));
  releve_diags_free(&d);
  free(wide);
  free(p);
  free(dir);
}

/* ---- messy variants of every real BAN row ----------------------------------- */

typedef struct truth {
  char number[8], rep[8], street[64], postcode[8], afnor[64], zone[16];
} truth;

static size_t read_truth(truth *t, size_t max) {
  FILE *f = fopen(FIX "ban_paris_zoned.csv", "r");
  char line[1024];
  size_t n = 0;
  assert_non_null(f);
  if (fgets(line, sizeof line, f) == NULL)
    fail();
  while (n < max && fgets(line, sizeof line, f)) {
    char *field[32], *p = line;
    size_t k = 0;
    while (k < 32 && (field[k++] = strsep(&p, ";\r\n")) != NULL)
      ;
    snprintf(t[n].number, sizeof t[n].number, "%s", field[2]);
    snprintf(t[n].rep, sizeof t[n].rep, "%s", field[3]);
    snprintf(t[n].street, sizeof t[n].street, "%s", field[4]);
    snprintf(t[n].postcode, sizeof t[n].postcode, "%s", field[5]);
    snprintf(t[n].afnor, sizeof t[n].afnor, "%s", field[18]);
    snprintf(t[n].zone, sizeof t[n].zone, "%s", field[23]);
    n++;
  }
  fclose(f);
  return n;
}

/* The typed street: "Rue" abbreviated, lower case, a typo. */
static void abbreviate(const char *street, char *out, size_t size) {
  if (strncmp(street, "Rue ", 4) == 0)
    snprintf(out, size, "r. %s", street + 4);
  else
    snprintf(out, size, "%s", street);
}

static void typo(const char *street, char *out, size_t size) {
  size_t n;
  snprintf(out, size, "%s", street);
  n = strlen(out);
  if (n > 6) { /* swap two letters of the name */
    char c = out[n - 2];
    out[n - 2] = out[n - 3];
    out[n - 3] = c;
    if (out[n - 2] == out[n - 3])
      out[n - 2] = 'x';
  }
}

enum { V_BAN, V_AFNOR, V_SPELLED, V_LINE, V_ABBR_INSEE, V_OTHER_SUFFIX, V_NO_NUMBER, V_TYPO,
       V_POSTCODE, V_N };
static const char *const variant_names[V_N] = {
    "as in the BAN", "AFNOR, number 0-padded", "suffix spelled (bis), glued (6bis)",
    "whole line + clutter", "abbreviated, INSEE code", "a suffix the BAN lacks (quinquies)",
    "no number", "typo in the name", "wrong postcode"};

static void test_match_rate_on_messy_variants(void **state) {
  static truth t[400];
  releve_addr_ref *ref = load(FIX "ban_paris_zoned.csv", "ban", NULL);
  size_t n = read_truth(t, 400), i, v, wrong = 0;
  unsigned long count[V_N][RELEVE_ADDR_LEVELS];
  (void)state;

  memset(count, 0, sizeof count);
  assert_int_equal(n, 295);
  for (i = 0; i < n; i++) {
    const truth *a = &t[i];
    const char *word = !strcmp(a->rep, "b") ? "bis" : !strcmp(a->rep, "t") ? "ter"
                       : !strcmp(a->rep, "q") ? "quater" : a->rep;
    char number[32], street[160], insee[8];
    snprintf(insee, sizeof insee, "751%.2s", a->postcode + 3);
    for (v = 0; v < V_N; v++) {
      releve_addr_fields f = {number, NULL, street, a->postcode, NULL};
      releve_addr_result r;
      switch (v) {
      case V_BAN:
        snprintf(number, sizeof number, "%.7s %.7s", a->number, a->rep);
        snprintf(street, sizeof street, "%.63s", a->street);
        break;
      case V_AFNOR:
        snprintf(number, sizeof number, "%03d%.7s", atoi(a->number), a->rep);
        snprintf(street, sizeof street, "%.63s", a->afnor);
        break;
      case V_SPELLED:
        snprintf(number, sizeof number, i % 2 ? "%.7s %.7s" : "%.7s%.7s", a->number, word);
        snprintf(street, sizeof street, "%.63s", a->street);
        break;
      case V_LINE:
        number[0] = '\0';
        snprintf(street, sizeof street, "%.7s %.7s, %.63s, Bât %c, %de étage, BP %d", a->number,
                 word, a->street, 'A' + (int)(i % 4), (int)(i % 6) + 1, 100 + (int)i);
        /* The commune given three ways: postcode, city, or in the line. */
        f.postcode = i % 3 == 0 ? a->postcode : NULL;
        if (i % 3 == 1)
          f.city = strcmp(a->postcode, "75018") == 0 ? "Paris 18e" : "PARIS 19EME";
        if (i % 3 == 2)
          snprintf(street + strlen(street), sizeof street - strlen(street), ", %.7s PARIS CEDEX",
                   a->postcode);
        break;
      case V_ABBR_INSEE:
        snprintf(number, sizeof number, "%.7s%.7s", a->number, a->rep);
        abbreviate(a->street, street, sizeof street);
        f.postcode = insee;
        break;
      case V_OTHER_SUFFIX:
        snprintf(number, sizeof number, "%.7s quinquies", a->number);
        snprintf(street, sizeof street, "%.63s", a->street);
        break;
      case V_NO_NUMBER:
        number[0] = '\0';
        snprintf(street, sizeof street, "%.63s", a->street);
        break;
      case V_TYPO:
        snprintf(number, sizeof number, "%.7s", a->number);
        typo(a->street, street, sizeof street);
        break;
      default:
        snprintf(number, sizeof number, "%.7s", a->number);
        snprintf(street, sizeof street, "%.63s", a->street);
        f.postcode = strcmp(a->postcode, "75018") == 0 ? "75017" : "75020";
        break;
      }
      releve_addr_match(ref, &f, NULL, &r);
      count[v][r.level]++;
      if (r.level != RELEVE_ADDR_UNMATCHED &&
          strcmp(r.zone ? r.zone->code : "", a->zone) != 0) {
        wrong++;
        print_error("wrong zone: [%s|%s|%s] → %s, truth %s\n", number, street,
                    f.postcode ? f.postcode : "", r.zone ? r.zone->code : "outside",
                    a->zone[0] ? a->zone : "outside");
      }
    }
  }
  print_message("%-36s %6s %6s %6s %6s %9s\n", "variant (295 BAN rows each)", "exact", "number",
                "street", "near", "unmatched");
  for (v = 0; v < V_N; v++)
    print_message("%-36s %6lu %6lu %6lu %6lu %9lu\n", variant_names[v],
                  count[v][RELEVE_ADDR_EXACT], count[v][RELEVE_ADDR_NUMBER],
                  count[v][RELEVE_ADDR_STREET], count[v][RELEVE_ADDR_NEAR],
                  count[v][RELEVE_ADDR_UNMATCHED]);
  print_message("wrong-zone matches: %zu\n", wrong);
  assert_int_equal(wrong, 0);
  /* Clean variants all match, typos as near streets; wrong postcodes never do. */
  for (v = V_BAN; v <= V_OTHER_SUFFIX; v++)
    assert_int_equal(count[v][RELEVE_ADDR_UNMATCHED], 0);
  assert_int_equal(count[V_OTHER_SUFFIX][RELEVE_ADDR_NUMBER], 295);
  /* Without a number only the split Rue Stephenson stays unmatched. */
  assert_int_equal(count[V_NO_NUMBER][RELEVE_ADDR_STREET], 295 - 71);
  assert_int_equal(count[V_BAN][RELEVE_ADDR_EXACT], 295);
  assert_int_equal(count[V_TYPO][RELEVE_ADDR_NEAR], 295);
  assert_int_equal(count[V_POSTCODE][RELEVE_ADDR_UNMATCHED], 295);
  releve_addr_ref_free(ref);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_loads_ban_with_zone_columns),
      cmocka_unit_test(test_levels),
      cmocka_unit_test(test_complement_read_when_street_is_not),
      cmocka_unit_test(test_near_miss_streets),
      cmocka_unit_test(test_separate_zone_file),
      cmocka_unit_test(test_bad_references),
      cmocka_unit_test(test_reference_csv_syntax),
      cmocka_unit_test(test_match_rate_on_messy_variants),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
