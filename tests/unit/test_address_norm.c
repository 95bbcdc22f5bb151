/* The address normaliser: what agencies type becomes the key the reference
 * uses, and near misses stay different. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address/addr_norm.h"
#include "util/str.h"

static void assert_street(const char *typed, const char *want) {
  char out[RELEVE_ADDR_STREET_MAX];
  if (releve_addr_norm_street(typed, out, sizeof out) != 0)
    fail_msg("no street key for \"%s\"", typed);
  if (strcmp(out, want) != 0)
    fail_msg("\"%s\" gave \"%s\", expected \"%s\"", typed, out, want);
}

static void assert_same_street(const char *a, const char *b) {
  char ka[RELEVE_ADDR_STREET_MAX], kb[RELEVE_ADDR_STREET_MAX];
  assert_int_equal(releve_addr_norm_street(a, ka, sizeof ka), 0);
  assert_int_equal(releve_addr_norm_street(b, kb, sizeof kb), 0);
  if (strcmp(ka, kb) != 0)
    fail_msg("\"%s\" (%s) and \"%s\" (%s) differ", a, ka, b, kb);
}

static void assert_other_street(const char *a, const char *b) {
  char ka[RELEVE_ADDR_STREET_MAX], kb[RELEVE_ADDR_STREET_MAX];
  assert_int_equal(releve_addr_norm_street(a, ka, sizeof ka), 0);
  assert_int_equal(releve_addr_norm_street(b, kb, sizeof kb), 0);
  if (strcmp(ka, kb) == 0)
    fail_msg("\"%s\" and \"%s\" both gave %s", a, b, ka);
}

/* Normalises number + street + postcode and checks every part of the key. */
static void assert_key(const char *number, const char *street, const char *postcode,
                       unsigned want_number, const char *want_suffix, const char *want_street,
                       const char *want_commune) {
  releve_addr_fields f = {number, NULL, street, postcode, NULL};
  releve_addr_key k;
  releve_addr_norm(&f, &k);
  if (k.number != want_number || strcmp(k.suffix, want_suffix) || strcmp(k.street, want_street) ||
      strcmp(k.commune, want_commune))
    fail_msg("[%s|%s|%s] gave [%u|%s|%s|%s], expected [%u|%s|%s|%s]", number ? number : "",
             street, postcode ? postcode : "", k.number, k.suffix, k.street, k.commune,
             want_number, want_suffix, want_street, want_commune);
}

static void test_case_accents_apostrophes_hyphens(void **state) {
  (void)state;
  assert_street("Rue de la Goutte d'Or", "RUE GOUTTE OR");
  assert_same_street("Rue de la Goutte d'Or", "RUE DE LA GOUTTE D\xe2\x80\x99OR");
  assert_same_street("Rue de la Goutte d'Or", "rue goutte-d'or");
  assert_same_street("Rue de l'\xc3\x89vangile", "RUE DE L EVANGILE");
  assert_same_street("Rue de l'\xc9vangile", "rue de l'evangile"); /* Latin-1 byte */
  assert_same_street("Rue du C\xc5\x93ur", "RUE DU COEUR");
  /* Latin Extended-A letters fold as the plugins fold them. */
  assert_street("Rue Marie Sk\xc5\x82odowska", "RUE MARIE SKLODOWSKA");
  assert_same_street("Rue de l'Ourcq", "rue de l\xc2\xa0Ourcq");
  assert_street("Rue de Paris", "RUE PARIS");
}

static void test_types_and_titles_both_ways(void **state) {
  (void)state;
  assert_same_street("Boulevard de la Villette", "BD DE LA VILLETTE");
  assert_same_street("Boulevard de la Villette", "bd. de la villette");
  assert_same_street("Boulevard de la Villette", "Bvd de la Villette");
  assert_same_street("Avenue du Docteur Netter", "AV DU DR NETTER");
  assert_same_street("Rue du Faubourg Saint-Denis", "R DU FBG ST DENIS");
  assert_same_street("Rue du Faubourg Saint-Denis", "rue du fg St-Denis");
  assert_same_street("Place du Général Leclerc", "PL DU GEN LECLERC");
  assert_same_street("Impasse Sainte-Henriette", "IMP STE HENRIETTE");
  assert_same_street("Square du Capitaine Ferber", "SQ DU CPT FERBER");
  assert_same_street("Rue Myrha", "R. Myrha");
  /* A lone R is a street type only where the type stands. */
  assert_street("Rue Ernest R Dupont", "RUE ERNEST R DUPONT");
  /* Abbreviations the lists give two meanings stay as written. */
  assert_street("Av du Gal Leclerc", "AVENUE GAL LECLERC");
}

static void test_near_misses_differ(void **state) {
  (void)state;
  assert_other_street("Boulevard de la Villette", "Rue de la Villette");
  assert_other_street("Rue de la Chapelle", "Rue Marx Dormoy");
  assert_other_street("Boulevard de la Chapelle", "Place de la Chapelle");
  assert_other_street("Rue Myrha", "Rue Myrrha");
  assert_other_street("Rue Polonceau", "Rue Polonceaux");
  assert_other_street("Rue de Tanger", "Rue de Tunis");
  assert_other_street("Rue Myrha", "Myrha");
}

static void test_numbers_and_suffixes(void **state) {
  (void)state;
  assert_key("6bis", "rue Myrha", "75018", 6, "B", "RUE MYRHA", "75118");
  assert_key("6 B", "rue Myrha", "75018", 6, "B", "RUE MYRHA", "75118");
  assert_key("6 ter", "rue Myrha", "75018", 6, "T", "RUE MYRHA", "75118");
  assert_key("6", "rue Myrha", "75018", 6, "", "RUE MYRHA", "75118");
  assert_key("006", "rue Myrha", "75018", 6, "", "RUE MYRHA", "75118");
  assert_key("16 quater", "rue de Tanger", "75019", 16, "Q", "RUE TANGER", "75119");
  assert_key(NULL, "12 bis rue Myrha", "75018", 12, "B", "RUE MYRHA", "75118");
  assert_key("", "12B, rue Myrha", "75018", 12, "B", "RUE MYRHA", "75118");
  assert_key("", "N\xc2\xb0 12 rue Myrha", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key("12", "12 rue Myrha", "75018", 12, "", "RUE MYRHA", "75118");
  /* A range names no single address: the street alone is left. */
  assert_key("", "12-14 rue Myrha", "75018", 0, "", "RUE MYRHA", "75118");
  assert_key("12-14", "rue Myrha", "75018", 0, "", "RUE MYRHA", "75118");
  /* A number that is part of the name stays there. */
  assert_key("3", "Rue du 8 Mai 1945", "75010", 3, "", "RUE 8 MAI 1945", "75110");
  /* BAN's Paris codes and the glued prefix of some street names. */
  assert_key("34", "34P1 Rue de la Goutte d'Or", "75018", 34, "", "RUE GOUTTE OR", "75118");
  {
    releve_addr_fields f = {"34", "p1", "34P1 Rue de la Goutte d'Or", "75018", NULL};
    releve_addr_key k;
    assert_int_equal(releve_addr_norm(&f, &k), 0);
    assert_string_equal(k.suffix, "P1");
    assert_string_equal(k.street, "RUE GOUTTE OR");
  }
}

static void test_clutter(void **state) {
  (void)state;
  assert_key("", "12 rue Myrha, B\xc3\xa2t B, Esc 3, 2e \xc3\xa9tage", "75018", 12, "",
             "RUE MYRHA", "75118");
  assert_key("12", "rue Myrha B\xc3\xa2timent C escalier 2 3\xc3\xa8me \xc3\xa9tage", "75018", 12,
             "", "RUE MYRHA", "75118");
  assert_key("12", "rue Myrha BP 123", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key("12", "rue Myrha CS 40001", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key("12", "TSA 12345, rue Myrha", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key("12", "rue Myrha CIDEX 12", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key("12", "rue Myrha Cedex 07", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key("", "Immeuble Les Lilas, 12 rue Myrha, RDC", "75018", 12, "", "RUE MYRHA",
             "75118");
  assert_key("", "Chez Mme Diallo, 12 rue Myrha", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key("", "12 rue Myrha 75018 Paris", NULL, 12, "", "RUE MYRHA", "75118");
  assert_key("", "12 rue Myrha, 75018 Paris", NULL, 12, "", "RUE MYRHA", "75118");
  assert_key("", "12 rue Myrha Paris 18e", "75018", 12, "", "RUE MYRHA", "75118");
}

/* Clutter before the street does not hide it, nor after it. */
static void test_clutter_around_the_street(void **state) {
  (void)state;
  assert_key(NULL, "BAT. C 30 r Julia Bartet", "75014", 30, "", "RUE JULIA BARTET", "75114");
  assert_key(NULL, "escalier B 45 Boulevard Barbès", "75018", 45, "", "BOULEVARD BARBES", "75118");
  assert_key(NULL, "APP 7, 278 Bis Rue de Belleville", "75020", 278, "B", "RUE BELLEVILLE",
             "75120");
  assert_key(NULL, "Immeuble Les Lilas 12 rue Myrha", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key(NULL, "chez Mme Diallo 12 rue Myrha", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key(NULL, "Bat A Esc 2 12 rue Myrha", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key(NULL, "Logt 245 - 5 rue Myrha", "75018", 5, "", "RUE MYRHA", "75118");
  assert_key(NULL, "12 rue Myrha 3eme gauche", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key(NULL, "12 rue Myrha - bat 3 - 2e et", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key(NULL, "12 rue Myrha porte 5", "75018", 12, "", "RUE MYRHA", "75118");
  assert_key(NULL, "12 rue Myrha c/o Dupont", "75018", 12, "", "RUE MYRHA", "75118");
  /* Street names that look like clutter keep their words. */
  assert_key("7", "avenue de la Porte de Montmartre", "75018", 7, "", "AVENUE PORTE MONTMARTRE",
             "75118");
  /* Clutter alone gives no street. */
  assert_key(NULL, "Bâtiment C, 3e étage", "75018", 0, "", "", "75118");
}

static void test_readings_of_ambiguous_words(void **state) {
  char r[RELEVE_ADDR_READINGS][RELEVE_ADDR_STREET_MAX];
  (void)state;
  assert_int_equal(releve_addr_words_readings("AVENUE PTE MONTMARTRE", r), 3);
  assert_string_equal(r[0], "AVENUE PORTE MONTMARTRE");
  assert_string_equal(r[1], "AVENUE POINTE MONTMARTRE");
  assert_string_equal(r[2], "AVENUE PETITE MONTMARTRE");
  assert_int_equal(releve_addr_words_readings("RUE GAL PTE", r), 6);
  assert_string_equal(r[5], "RUE GENERAL PETITE");
  assert_int_equal(releve_addr_words_readings("RUE MYRHA", r), 0);
}

static void test_communes(void **state) {
  char out[RELEVE_ADDR_COMMUNE_MAX];
  (void)state;
  assert_int_equal(releve_addr_norm_commune("75018", NULL, out, sizeof out), 0);
  assert_string_equal(out, "75118");
  assert_int_equal(releve_addr_norm_commune("75118", NULL, out, sizeof out), 0);
  assert_string_equal(out, "75118");
  assert_int_equal(releve_addr_norm_commune("75 018", NULL, out, sizeof out), 0);
  assert_string_equal(out, "75118");
  assert_int_equal(releve_addr_norm_commune("75016", NULL, out, sizeof out), 0);
  assert_string_equal(out, "75116");
  assert_int_equal(releve_addr_norm_commune("75116", NULL, out, sizeof out), 0);
  assert_string_equal(out, "75116");
  assert_int_equal(releve_addr_norm_commune("75018 PARIS", NULL, out, sizeof out), 0);
  assert_string_equal(out, "75118");
  assert_int_equal(releve_addr_norm_commune("", "Paris 18e", out, sizeof out), 0);
  assert_string_equal(out, "75118");
  assert_int_equal(releve_addr_norm_commune(NULL, "PARIS 1ER", out, sizeof out), 0);
  assert_string_equal(out, "75101");
  assert_int_equal(releve_addr_norm_commune("1000", NULL, out, sizeof out), 0);
  assert_string_equal(out, "01000");
  assert_int_equal(releve_addr_norm_commune("93200", NULL, out, sizeof out), 0);
  assert_string_equal(out, "93200");
  assert_int_equal(releve_addr_norm_commune("", "Paris", out, sizeof out), -EINVAL);
  assert_int_equal(releve_addr_norm_commune("750", NULL, out, sizeof out), -EINVAL);
}

/* Every abbreviation the normaliser expands that the BANO list of street
 * types knows is expanded to one of the full words the list gives it: the
 * normaliser never contradicts the lists it comes from. */
static void test_agrees_with_bano_list(void **state) {
  char *path = releve_str_printf("%s/tests/fixtures/addresses/bano_abrev_type_voie.txt",
                              RELEVE_SOURCE_DIR);
  FILE *f = fopen(path, "r");
  char line[256], seen[300][16];
  int agreed[300];
  size_t n = 0, i;
  (void)state;
  assert_non_null(f);
  while (fgets(line, sizeof line, f)) {
    char *tab = strchr(line, '\t'), *full = line, *abbr, *nl;
    char kf[RELEVE_ADDR_STREET_MAX], ka[RELEVE_ADDR_STREET_MAX];
    if (strncmp(full, "\xef\xbb\xbf", 3) == 0)
      full += 3;
    if (tab == NULL)
      continue;
    *tab = '\0';
    abbr = tab + 1;
    if ((nl = strpbrk(abbr, "\r\n")) != NULL)
      *nl = '\0';
    if (strchr(abbr, ' ') || strlen(abbr) >= sizeof seen[0] ||
        releve_addr_norm_street(abbr, ka, sizeof ka) || strcmp(ka, abbr) == 0 ||
        releve_addr_norm_street(full, kf, sizeof kf))
      continue; /* not expanded: nothing claimed */
    for (i = 0; i < n && strcmp(seen[i], abbr) != 0; i++)
      ;
    if (i == n) {
      assert_true(n < 300);
      strcpy(seen[n], abbr);
      agreed[n++] = 0;
    }
    agreed[i] |= strcmp(ka, kf) == 0;
  }
  fclose(f);
  free(path);
  for (i = 0; i < n; i++)
    if (!agreed[i])
      fail_msg("%s is expanded to a word the BANO list does not give it", seen[i]);
  assert_true(n >= 15);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_case_accents_apostrophes_hyphens),
      cmocka_unit_test(test_types_and_titles_both_ways),
      cmocka_unit_test(test_near_misses_differ),
      cmocka_unit_test(test_numbers_and_suffixes),
      cmocka_unit_test(test_clutter),
      cmocka_unit_test(test_clutter_around_the_street),
      cmocka_unit_test(test_readings_of_ambiguous_words),
      cmocka_unit_test(test_communes),
      cmocka_unit_test(test_agrees_with_bano_list),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
