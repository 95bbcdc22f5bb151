/* test_academie.c -- the Éducation nationale plugin on the public samples
 * (byte-exact) and on reconstructed Paris files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "th_assert.h"
#include "th_book.h"

#define PLUGIN releve_plugin_entry_v1()
#define ALL_DEPARTEMENTS TH_OPTS("departement=")

static void test_annuaire_sample(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "education_fr-en-annuaire-education_sample.csv",
                               ALL_DEPARTEMENTS),
                   0);
  assert_int_equal(h->nrows, 15);
  assert_int_equal(h->ncolumns, 70); /* 69 columns and ep */
  assert_string_equal(h->columns[69], "ep");
  TH_CELL(h, 0, "identifiant_de_l_etablissement", RELEVE_CELL_TEXT, "0350122T");
  TH_CELL(h, 0, "code_commune", RELEVE_CELL_TEXT, "35016");
  TH_CELL(h, 0, "code_postal", RELEVE_CELL_TEXT, "35580");
  TH_NUMBER(h, 0, "nombre_d_eleves", 143);
  TH_NUMBER(h, 0, "latitude", strtod("47.98614492070133", NULL));
  TH_NUMBER(h, 0, "longitude", strtod("-1.9294895003671315", NULL));
  TH_CELL(h, 0, "position", RELEVE_CELL_TEXT, "47.98614492070133, -1.9294895003671315");
  TH_CELL(h, 0, "ecole_maternelle", RELEVE_CELL_TEXT, "1");
  TH_CELL(h, 0, "appartenance_education_prioritaire", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 0, "ep", RELEVE_CELL_TEXT, "");
  TH_CELL(h, 0, "nom_etablissement", RELEVE_CELL_TEXT, "Ecole primaire publique les Lucioles");
  TH_GOLDEN(h, "expected/education_fr-en-annuaire-education_sample.txt");
  /* By default only Paris is kept: none of these schools. */
  TH_RUN_FILE(h, PLUGIN, "education_fr-en-annuaire-education_sample.csv", NULL);
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 0);
  assert_non_null(strstr(th_transcript(h), "academie: 15 rows dropped: 15 of another departement"));
}

static void test_ips_sample(void **state) {
  th_host *h = *state;
  assert_int_equal(
      TH_RUN_FILE(h, PLUGIN, "education_fr-en-ips-colleges-ap2022_sample.csv", NULL), 0);
  TH_COLUMNS(h, "rentree_scolaire|academie|code_du_departement|departement|uai|"
                "nom_de_l_etablissment|code_insee_de_la_commune|nom_de_la_commune|secteur|"
                "effectifs|ips|ecart_type_de_l_ips|rentree");
  assert_int_equal(h->nrows, 15);
  assert_int_equal(h->rows[0].line, 5);
  TH_CELL(h, 0, "uai", RELEVE_CELL_TEXT, "0750445B");
  TH_CELL(h, 0, "nom_de_l_etablissment", RELEVE_CELL_TEXT, "COLLEGE ALBERTO GIACOMETTI");
  TH_CELL(h, 0, "effectifs", RELEVE_CELL_NUMBER, "499.0");
  TH_NUMBER(h, 0, "effectifs", 499);
  TH_NUMBER(h, 0, "ips", 100.1);
  TH_NUMBER(h, 0, "ecart_type_de_l_ips", 33.6);
  TH_CELL(h, 0, "rentree", RELEVE_CELL_TEXT, "2022-2023");
  TH_CELL(h, 14, "secteur", RELEVE_CELL_TEXT, "privé sous contrat");
  TH_GOLDEN(h, "expected/education_fr-en-ips-colleges-ap2022_sample.txt");
  TH_RUN_FILE(h, PLUGIN, "education_fr-en-ips-colleges-ap2022_sample.csv", ALL_DEPARTEMENTS);
  assert_int_equal(h->nrows, 18);
  TH_CELL(h, 0, "code_du_departement", RELEVE_CELL_TEXT, "001");
}

static void test_geolocation_labels_and_aliases(void **state) {
  th_host *h = *state;
  TH_RUN_FILE(h, PLUGIN, "education_fr-en-adresse-et-geolocalisation_labels_sample.csv",
              ALL_DEPARTEMENTS);
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 11);
  /* Label header: columns take the field names, labels come as aliases. */
  TH_CELL(h, 0, "numero_uai", RELEVE_CELL_TEXT, "0350017D");
  TH_CELL(h, 0, "code_etablissement", RELEVE_CELL_TEXT, "0350017D");
  TH_CELL(h, 0, "libelle_commune", RELEVE_CELL_TEXT, "Val d'Anast");
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "Val d'Anast");
  TH_CELL(h, 0, "etat_etablissement", RELEVE_CELL_TEXT, "1");
  TH_CELL(h, 0, "code_etat_etablissement", RELEVE_CELL_TEXT, "1");
  TH_CELL(h, 0, "etat_etablissement_libe", RELEVE_CELL_TEXT, "OUVERT");
  TH_CELL(h, 0, "secteur_public_prive_libe", RELEVE_CELL_TEXT, "Public");
  TH_CELL(h, 0, "libelle_departement", RELEVE_CELL_TEXT, "Ille-et-Vilaine");
  TH_CELL(h, 0, "departement", RELEVE_CELL_TEXT, "Ille-et-Vilaine");
  TH_NUMBER(h, 0, "coordonnee_x", 327366.8);
  assert_int_equal(h->rows[0].cells[0].column, 1);
  TH_GOLDEN(h, "expected/education_fr-en-adresse-et-geolocalisation_labels_sample.txt");
  size_t n = h->ncolumns;
  char **labels = h->columns;
  h->columns = NULL; /* keep them while the field-name file runs */
  h->ncolumns = 0;
  TH_RUN_FILE(h, PLUGIN, "adresse_geolocalisation_fields_reconstructed.csv", NULL);
  assert_int_equal(h->ncolumns, n);
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(h->columns[i], labels[i]);
    free(labels[i]);
  }
  free(labels);
  assert_int_equal(h->nrows, 2);
  TH_CELL(h, 1, "numero_uai", RELEVE_CELL_TEXT, "0751706X");
  TH_CELL(h, 1, "code_etablissement", RELEVE_CELL_TEXT, "0751706X");
  TH_CELL(h, 1, "libelle_commune", RELEVE_CELL_TEXT, "Paris 19e Arrondissement");
  TH_CELL(h, 1, "code_etat_etablissement", RELEVE_CELL_TEXT, "1");
}

static void test_annuaire_paris_priority_networks(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "annuaire_paris_reconstructed.csv", NULL), 0);
  assert_int_equal(h->nrows, 6);
  TH_CELL(h, 0, "ep", RELEVE_CELL_TEXT, "REP+");
  TH_CELL(h, 0, "appartenance_education_prioritaire", RELEVE_CELL_TEXT, "REP+");
  TH_CELL(h, 1, "ep", RELEVE_CELL_TEXT, "REP");
  TH_CELL(h, 3, "ep", RELEVE_CELL_TEXT, "");
  assert_int_equal(h->rows[3].cells[69].column, 38);
  /* "Paris 18e  Arrondissement" (two spaces) comes out with one. */
  TH_CELL(h, 0, "nom_commune", RELEVE_CELL_TEXT, "Paris 18e Arrondissement");
  TH_CELL(h, 0, "code_commune", RELEVE_CELL_TEXT, "75118");
  TH_CELL(h, 0, "type_etablissement", RELEVE_CELL_TEXT, "Collège");
  TH_NUMBER(h, 0, "nombre_d_eleves", 343);
  TH_CELL(h, 4, "nombre_d_eleves", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 5, "statut_public_prive", RELEVE_CELL_TEXT, "Privé");
  assert_non_null(strstr(th_transcript(h), "academie: 1 rows dropped: 1 of another departement"));
  TH_GOLDEN(h, "expected/annuaire_paris_reconstructed.txt");
  TH_RUN_FILE(h, PLUGIN, "annuaire_paris_reconstructed.csv", TH_OPTS("departement=92"));
  assert_int_equal(h->nrows, 1);
  TH_CELL(h, 0, "code_commune", RELEVE_CELL_TEXT, "92012");
}

static void test_dnb_rates_and_sessions(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "dnb_par_etablissement_reconstructed.csv", NULL), 0);
  TH_COLUMNS(h, "session|numero_d_etablissement|type_d_etablissement|patronyme|secteur_d_"
                "enseignement|commune|libelle_commune|code_departement|libelle_departement|code_"
                "academie|libelle_academie|code_region|libelle_region|inscrits|presents|admis|"
                "admis_sans_mention|nombre_d_admis_mention_ab|admis_mention_bien|admis_mention_"
                "tres_bien|taux_de_reussite|rentree");
  assert_int_equal(h->nrows, 5);
  TH_NUMBER(h, 1, "taux_de_reussite", 93.2);
  TH_CELL(h, 1, "taux_de_reussite", RELEVE_CELL_NUMBER, "93,20%");
  TH_NUMBER(h, 2, "taux_de_reussite", 100);
  TH_NUMBER(h, 1, "nombre_d_admis_mention_ab", 25);
  TH_CELL(h, 2, "patronyme", RELEVE_CELL_EMPTY, "-");
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "75118");
  TH_CELL(h, 0, "libelle_commune", RELEVE_CELL_TEXT, "Paris 18e Arrondissement");
  TH_CELL(h, 0, "rentree", RELEVE_CELL_TEXT, "2020-2021");
  TH_CELL(h, 4, "session", RELEVE_CELL_TEXT, "2020");
  TH_CELL(h, 4, "rentree", RELEVE_CELL_TEXT, "2019-2020");
  TH_GOLDEN(h, "expected/dnb_par_etablissement_reconstructed.txt");
}

static void test_old_ips_trailing_field(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "ips_colleges_old_reconstructed.csv", NULL), 0);
  assert_int_equal(h->nerrors, 0);
  assert_int_equal(h->nrows, 3);
  assert_int_equal(h->ncolumns, 11);
  TH_NUMBER(h, 0, "ips", 79.4);
  TH_CELL(h, 2, "rentree", RELEVE_CELL_TEXT, "2016-2017");
}

static void test_row_errors(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "broken_row_values.csv", NULL), 0);
  assert_int_equal(h->nerrors, 2);
  TH_ERROR(h, 0, 4, "valeur « 2022-2024 » illisible dans la colonne « Rentrée scolaire » ; une "
                    "année scolaire AAAA-AAAA est attendue (ex. 2022-2023)");
  TH_ERROR(h, 1, 5, "valeur « environ 450 » illisible dans la colonne « Effectifs » ; un nombre "
                    "est attendu");
  assert_int_equal(h->errors[1].column, 4);
  assert_int_equal(h->nrows, 3);
  TH_CELL(h, 1, "rentree", RELEVE_CELL_TEXT, "2022-2023"); /* from "2022/2023" */
  TH_CELL(h, 2, "rentree", RELEVE_CELL_TEXT, "2022-2023"); /* from "2022" */
  TH_CELL(h, 2, "code_du_departement", RELEVE_CELL_TEXT, "75");
}

/* Regression (found by fuzz_academie): a no-break space inside a label,
 * here in Windows-1252 (0xA0), came out as invalid UTF-8. */
static void test_no_break_space_in_labels(void **state) {
  th_host *h = *state;
  static const char text[] = "UAI;Nom de la commune;Secteur\r\n"
                             "0750546L;PARIS\xA0" "18E  ARRONDISSEMENT;public\xA0\r\n";
  th_set_input(h, text, sizeof text - 1);
  th_run(h, PLUGIN, NULL);
  TH_CLEAN(h);
  assert_int_equal(h->rc, 0);
  TH_CELL(h, 0, "nom_de_la_commune", RELEVE_CELL_TEXT, "PARIS 18E ARRONDISSEMENT");
  TH_CELL(h, 0, "secteur", RELEVE_CELL_TEXT, "public");
}

static void test_broken_files(void **state) {
  th_host *h = *state;
  static const char expected[] =
      "une ligne d'en-tête avec une colonne d'identifiant d'établissement est attendue "
      "(« Identifiant_de_l_etablissement », « UAI », « numero_uai », « Code établissement » ou "
      "« Numero d'etablissement »)";
  char message[512];
  snprintf(message, sizeof message, "en-tête introuvable dans les 2 premières lignes non vides ; %s",
           expected);
  TH_FAILS(h, PLUGIN, "broken_no_uai.csv", NULL, -EBADMSG, 0, message);
  snprintf(message, sizeof message, "le fichier est vide ; %s", expected);
  TH_FAILS(h, PLUGIN, "broken_empty.csv", NULL, -EBADMSG, 0, message);
  TH_FAILS(h, PLUGIN, "broken_truncated.csv", NULL, -EBADMSG, 2,
           "guillemet ouvert au champ 3 et jamais refermé avant la fin du fichier : le fichier "
           "semble tronqué");
  TH_FAILS(h, PLUGIN, "broken_utf16.csv", NULL, -EILSEQ, 1,
           "fichier en UTF-16, encodage non pris en charge ; enregistrez-le en « CSV UTF-8 » ou "
           "en « CSV (séparateur : point-virgule) »");
}

static void test_memory_is_flat(void **state) {
  TH_FLAT_MEMORY(*state, PLUGIN, NULL,
                 "\xEF\xBB\xBF" "Session;Numero d'etablissement;Patronyme;Code département;"
                 "Libellé commune;Taux de réussite\r\n",
                 "2021;0750546L;GEORGES CLEMENCEAU;075;Paris 18e  Arrondissement;83,33%\r\n", "",
                 300000, 300000, 512 * 1024);
}

static void test_descriptor(void **state) {
  (void)state;
  const releve_plugin *p = PLUGIN;
  assert_string_equal(p->name, "academie");
  assert_string_equal(p->options[0].name, "departement");
  assert_int_equal(p->options[0].type, RELEVE_OPT_STRING);
  assert_string_equal(p->options[0].default_value, "075");
  assert_string_equal(p->options[1].name, "sheet");
  assert_null(p->options[2].name);
}

/* The same table saved by a spreadsheet: openpyxl's .xlsx (figures typed as
 * numbers, percentages formatted, a merged title) and LibreOffice's .ods
 * made from it (plugins/kit/testing/workbook_fixtures.py) give the CSV's
 * rows. */
static void test_workbooks(void **state) {
  th_host *h = *state;
  TH_BOOK_SAME_ROWS(h, PLUGIN, "dnb_par_etablissement_reconstructed.csv", "dnb_par_etablissement_reconstructed.xlsx", NULL);
  TH_BOOK_SAME_ROWS(h, PLUGIN, "dnb_par_etablissement_reconstructed.csv", "dnb_par_etablissement_reconstructed.ods", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_annuaire_sample),
      cmocka_unit_test(test_ips_sample),
      cmocka_unit_test(test_geolocation_labels_and_aliases),
      cmocka_unit_test(test_annuaire_paris_priority_networks),
      cmocka_unit_test(test_dnb_rates_and_sessions),
      cmocka_unit_test(test_old_ips_trailing_field),
      cmocka_unit_test(test_row_errors),
      cmocka_unit_test(test_no_break_space_in_labels),
      cmocka_unit_test(test_broken_files),
      cmocka_unit_test(test_memory_is_flat),
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_workbooks),
  };
  return cmocka_run_group_tests_name("academie", tests, th_setup, th_teardown);
}
