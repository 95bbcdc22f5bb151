/* test_pole-emploi.c -- the DARES job-seeker plugin on both header styles. */
#include <errno.h>
#include <string.h>

#include "kit.h"
#include "th_assert.h"
#include "th_book.h"

#define PLUGIN releve_plugin_entry_v1()
#define COLUMNS                                                                                   \
  "date|code_region|region|code_departement|departement|code_commune|commune|type_de_donnees|"   \
  "categorie|sexe|tranche_d_age|nombre_de_demandeurs_d_emploi|annee|trimestre"

static void test_field_names_q4_totals(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "dares_defm_communales_fields_reconstructed.csv", NULL),
                   0);
  TH_COLUMNS(h, COLUMNS);
  assert_int_equal(h->nerrors, 0);
  /* Q4 only, Total x Total only, no 75056, no Total row, no empty code. */
  assert_int_equal(h->nrows, 4);
  assert_int_equal(h->rows[0].line, 8);
  TH_CELL(h, 0, "code_commune", RELEVE_CELL_TEXT, "75101");
  TH_CELL(h, 0, "nombre_de_demandeurs_d_emploi", RELEVE_CELL_SUPPRESSED, "");
  TH_CELL(h, 1, "code_commune", RELEVE_CELL_TEXT, "75118");
  TH_NUMBER(h, 1, "nombre_de_demandeurs_d_emploi", 13460);
  TH_CELL(h, 1, "date", RELEVE_CELL_TEXT, "2019-T4");
  TH_CELL(h, 1, "annee", RELEVE_CELL_TEXT, "2019");
  TH_NUMBER(h, 1, "trimestre", 4);
  TH_CELL(h, 1, "sexe", RELEVE_CELL_TEXT, "Total");
  TH_CELL(h, 1, "region", RELEVE_CELL_TEXT, "Île-de-France");
  assert_int_equal(h->rows[2].line, 21);
  TH_CELL(h, 3, "nombre_de_demandeurs_d_emploi", RELEVE_CELL_NOT_AVAILABLE, "nd");
  assert_non_null(strstr(th_transcript(h),
                         "log 6 pole-emploi: 41 rows dropped: 5 of another quarter, 24 of another "
                         "sexe (breakdown rows), 9 of another tranche_d_age (breakdown rows), 1 "
                         "with code_commune Total, 1 of a commune in drop_communes, 1 without a "
                         "commune code\n"));
  TH_GOLDEN(h, "expected/dares_defm_communales_fields_reconstructed.txt");
}

static void test_breakdowns_and_quarters_on_request(void **state) {
  th_host *h = *state;
  TH_RUN_FILE(h, PLUGIN, "dares_defm_communales_fields_reconstructed.csv",
              TH_OPTS("quarter=0", "drop_communes="));
  assert_int_equal(h->nrows, 10); /* Q3 and Q4 of 5 communes; the Total row still dropped */
  TH_CELL(h, 0, "code_commune", RELEVE_CELL_TEXT, "75056");
  TH_NUMBER(h, 0, "trimestre", 3);
  TH_RUN_FILE(h, PLUGIN, "dares_defm_communales_fields_reconstructed.csv",
              TH_OPTS("sexe=femmes", "tranche_d_age="));
  assert_int_equal(h->nrows, 12); /* 3 arrondissements x 4 age bands */
  TH_CELL(h, 0, "sexe", RELEVE_CELL_TEXT, "Femmes");
  TH_CELL(h, 1, "tranche_d_age", RELEVE_CELL_TEXT, "Moins de 25 ans");
  TH_NUMBER(h, 1, "nombre_de_demandeurs_d_emploi", 710);
  TH_RUN_FILE(h, PLUGIN, "dares_defm_communales_fields_reconstructed.csv",
              TH_OPTS("tranche_d_age=de 25 a 49 ans", "drop_communes=75118, 75119"));
  assert_int_equal(h->nrows, 1);
  TH_CELL(h, 0, "code_commune", RELEVE_CELL_TEXT, "75120");
  TH_CELL(h, 0, "tranche_d_age", RELEVE_CELL_TEXT, "De 25 à 49 ans");
}

static void test_labels_windows_1252(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "dares_defm_communales_labels_reconstructed.csv", NULL),
                   0);
  TH_COLUMNS(h, COLUMNS);
  assert_int_equal(h->nrows, 4);
  TH_CELL(h, 0, "date", RELEVE_CELL_TEXT, "2020-T4");
  TH_CELL(h, 0, "region", RELEVE_CELL_TEXT, "Île-de-France");
  TH_NUMBER(h, 1, "nombre_de_demandeurs_d_emploi", 15075);
  TH_RUN_FILE(h, PLUGIN, "dares_defm_communales_labels_reconstructed.csv", TH_OPTS("quarter=1"));
  assert_int_equal(h->nrows, 4);
  TH_CELL(h, 2, "nombre_de_demandeurs_d_emploi", RELEVE_CELL_NUMBER, "1 234");
  TH_NUMBER(h, 2, "nombre_de_demandeurs_d_emploi", 1234);
  TH_NUMBER(h, 2, "trimestre", 1);
  TH_GOLDEN(h, "expected/dares_defm_communales_labels_reconstructed.txt");
}

static void test_row_errors(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "broken_row_values.csv", NULL), 0);
  assert_int_equal(h->nerrors, 3);
  TH_ERROR(h, 0, 3, "date « 4e trimestre 2019 » illisible ; un trimestre AAAA-Tn est attendu (ex. "
                    "2019-T4)");
  assert_int_equal(h->errors[0].column, 1);
  TH_ERROR(h, 1, 4, "valeur « beaucoup » illisible ; un nombre de demandeurs d'emploi est attendu "
                    "(case vide si secret statistique, « nd » si non disponible)");
  assert_int_equal(h->errors[1].column, 5);
  TH_ERROR(h, 2, 5, "4 champs au lieu des 5 de l'en-tête (séparateur : point-virgule) ; ligne "
                    "ignorée");
  /* "T4 2019" and "TOTAL"/"total" are read as the same quarter and totals. */
  assert_int_equal(h->nrows, 2);
  assert_int_equal(h->rows[1].line, 6);
  TH_CELL(h, 1, "annee", RELEVE_CELL_TEXT, "2019");
}

static void test_quarter_spellings(void **state) {
  th_host *h = *state;
  static const char text[] = "date;code_commune;sexe;tranche_d_age;nombre_de_demandeurs_d_emploi\n"
                             "2019T4;75118;Total;Total;1\n"
                             "2019 Q4;75118;Total;Total;2\n"
                             "2019-12-31;75118;Total;Total;3\n"
                             "2019-10;75118;Total;Total;4\n"
                             "2019-T5;75118;Total;Total;5\n"
                             "2019;75118;Total;Total;6\n";
  th_set_input(h, text, sizeof text - 1);
  th_run(h, PLUGIN, NULL);
  TH_CLEAN(h);
  assert_int_equal(h->nrows, 4);
  TH_NUMBER(h, 3, "nombre_de_demandeurs_d_emploi", 4);
  assert_int_equal(h->nerrors, 2);
  assert_int_equal(h->errors[0].line, 6);
  assert_int_equal(h->errors[1].line, 7);
}

/* Regression (found by fuzz_pole-emploi): a long value quoted in an error
 * was cut inside a character, giving a message that is not UTF-8. */
static void test_long_values_in_errors(void **state) {
  th_host *h = *state;
  char text[4096] = "date;code_commune;sexe;tranche_d_age;nombre_de_demandeurs_d_emploi\n"
                    "2019-T4;75118;Total;Total;";
  size_t o = strlen(text);
  for (int k = 0; k < 700; k++, o += 2)
    memcpy(text + o, "\xC3\xA9", 2);
  text[o++] = '\n';
  th_set_input(h, text, o);
  th_run(h, PLUGIN, NULL);
  TH_CLEAN(h);
  char want[512] = "valeur « ";
  for (int k = 0; k < 40; k++)
    strcat(want, "\xC3\xA9");
  strcat(want, "\xE2\x80\xA6 » illisible ; un nombre de demandeurs d'emploi est attendu (case "
               "vide si secret statistique, « nd » si non disponible)");
  TH_ERROR(h, 0, 2, want);
  assert_int_equal(strlen(h->errors[0].value), 1400);
}

static void test_broken_files(void **state) {
  th_host *h = *state;
  TH_FAILS(h, PLUGIN, "broken_no_count_column.csv", NULL, -EBADMSG, 0,
           "en-tête introuvable dans les 2 premières lignes non vides ; une ligne d'en-tête avec "
           "les colonnes « code_commune » et « nombre_de_demandeurs_d_emploi » (ou « Code commune "
           "» et « Nombre de demandeurs d'emploi ») est attendue");
  TH_FAILS(h, PLUGIN, "broken_missing_sexe.csv", NULL, -EBADMSG, 1,
           "colonnes manquantes dans l'en-tête : « sexe », « tranche_d_age » ; en-tête attendu : "
           "date;code_region;region;code_departement;departement;code_commune;commune;type_de_"
           "donnees;categorie;sexe;tranche_d_age;nombre_de_demandeurs_d_emploi");
  /* Without the filters, sexe and tranche_d_age are not needed. */
  TH_RUN_FILE(h, PLUGIN, "broken_missing_sexe.csv", TH_OPTS("sexe=", "tranche_d_age="));
  assert_int_equal(h->rc, 0);
  TH_NUMBER(h, 0, "nombre_de_demandeurs_d_emploi", 13460);
  TH_FAILS(h, PLUGIN, "broken_truncated.csv", NULL, -EBADMSG, 2,
           "guillemet ouvert au champ 3 et jamais refermé avant la fin du fichier : le fichier "
           "semble tronqué");
  TH_FAILS(h, PLUGIN, "broken_empty.csv", NULL, -EBADMSG, 0,
           "le fichier est vide ; une ligne d'en-tête avec les colonnes « code_commune » et "
           "« nombre_de_demandeurs_d_emploi » (ou « Code commune » et « Nombre de demandeurs "
           "d'emploi ») est attendue");
  TH_FAILS(h, PLUGIN, "broken_empty.csv", TH_OPTS("quarter=7"), -EINVAL, 0,
           "option « quarter » = 7 : une valeur de 0 à 4 est attendue (configuration de "
           "l'acteur)");
}

static void test_memory_is_flat(void **state) {
  TH_FLAT_MEMORY(*state, PLUGIN, TH_OPTS("quarter=0"),
                 "date;code_region;region;code_departement;departement;code_commune;commune;type_"
                 "de_donnees;categorie;sexe;tranche_d_age;nombre_de_demandeurs_d_emploi\n",
                 "2019-T4;11;Île-de-France;75;Paris;75118;Paris 18e Arrondissement;Données "
                 "brutes;ABC;Total;Total;13460\n",
                 "", 200000, 200000, 512 * 1024);
}

static void test_descriptor(void **state) {
  (void)state;
  const releve_plugin *p = PLUGIN;
  static const char *const names[] = {"quarter", "sexe", "tranche_d_age", "drop_communes"};
  static const char *const defaults[] = {"4", "Total", "Total", "75056"};
  assert_string_equal(p->name, "pole-emploi");
  for (size_t i = 0; i < 4; i++) {
    assert_string_equal(p->options[i].name, names[i]);
    assert_string_equal(p->options[i].default_value, defaults[i]);
  }
  assert_int_equal(p->options[0].type, RELEVE_OPT_INT);
  assert_string_equal(p->options[4].name, "sheet");
  assert_null(p->options[5].name);
}

/* The same table saved by a spreadsheet: openpyxl's .xlsx (figures typed as
 * numbers, percentages formatted, a merged title) and LibreOffice's .ods
 * made from it (plugins/kit/testing/workbook_fixtures.py) give the CSV's
 * rows. */
static void test_workbooks(void **state) {
  th_host *h = *state;
  TH_BOOK_SAME_ROWS(h, PLUGIN, "dares_defm_communales_labels_reconstructed.csv", "dares_defm_communales_labels_reconstructed.xlsx", NULL);
  TH_BOOK_SAME_ROWS(h, PLUGIN, "dares_defm_communales_labels_reconstructed.csv", "dares_defm_communales_labels_reconstructed.ods", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_field_names_q4_totals),
      cmocka_unit_test(test_breakdowns_and_quarters_on_request),
      cmocka_unit_test(test_labels_windows_1252),
      cmocka_unit_test(test_row_errors),
      cmocka_unit_test(test_quarter_spellings),
      cmocka_unit_test(test_long_values_in_errors),
      cmocka_unit_test(test_broken_files),
      cmocka_unit_test(test_memory_is_flat),
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_workbooks),
  };
  return cmocka_run_group_tests_name("pole-emploi", tests, th_setup, th_teardown);
}
