/* test_caf.c -- the CAF plugin on both portals' files. */
#include <errno.h>
#include <string.h>

#include "kit.h"
#include "th_assert.h"
#include "th_book.h"

#define PLUGIN releve_plugin_entry_v1()

static void test_current_portal(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "caf_current_reconstructed.csv", NULL), 0);
  TH_COLUMNS(h, "dtreffre|numcomdo|nomcom|indfoy_rsa|indfoy_apl|indnbp_ndur|indmtt_rsa|commune|"
                "annee");
  assert_int_equal(h->nrows, 20);
  assert_int_equal(h->nerrors, 0);
  /* The first arrondissement comes after four unplaceable rows. */
  assert_int_equal(h->rows[0].line, 6);
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "75101");
  TH_CELL(h, 0, "numcomdo", RELEVE_CELL_TEXT, "75101");
  TH_CELL(h, 0, "annee", RELEVE_CELL_TEXT, "2022");
  TH_CELL(h, 0, "dtreffre", RELEVE_CELL_TEXT, "2022-12");
  TH_NUMBER(h, 0, "indfoy_rsa", 310);
  TH_CELL(h, 0, "indnbp_ndur", RELEVE_CELL_SUPPRESSED, "");
  TH_NUMBER(h, 0, "indmtt_rsa", 177100);
  assert_int_equal(h->rows[0].cells[7].column, 2); /* commune comes from numcomdo */
  assert_int_equal(h->rows[0].cells[8].column, 1); /* annee from dtreffre */
  TH_CELL(h, 3, "indmtt_rsa", RELEVE_CELL_NOT_AVAILABLE, ".");
  TH_CELL(h, 6, "indfoy_rsa", RELEVE_CELL_SUPPRESSED, "");
  TH_CELL(h, 17, "nomcom", RELEVE_CELL_TEXT, "Paris 18e Arrondissement");
  TH_NUMBER(h, 17, "indfoy_rsa", 11020);
  TH_CELL(h, 19, "commune", RELEVE_CELL_TEXT, "75120");
  assert_non_null(strstr(th_transcript(h),
                         "log 6 caf: 6 rows dropped: 1 total or unknown (Total/Inconnu) rows, 1 "
                         "with an empty commune code (households the CAF cannot place), 1 abroad "
                         "(99999), 1 unknown commune (XXXXX), 1 with a masked code (like 04XXX), "
                         "1 outside the keep_communes prefix\n"));
  TH_GOLDEN(h, "expected/caf_current_reconstructed.txt");
}

static void test_options(void **state) {
  th_host *h = *state;
  TH_RUN_FILE(h, PLUGIN, "caf_current_reconstructed.csv", TH_OPTS("blank_is_secret=false"));
  TH_CELL(h, 6, "indfoy_rsa", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 3, "indmtt_rsa", RELEVE_CELL_NOT_AVAILABLE, ".");
  TH_RUN_FILE(h, PLUGIN, "caf_current_reconstructed.csv", TH_OPTS("keep_communes="));
  assert_int_equal(h->nrows, 21);
  TH_CELL(h, 20, "commune", RELEVE_CELL_TEXT, "92012");
  TH_RUN_FILE(h, PLUGIN, "caf_current_reconstructed.csv", TH_OPTS("keep_communes=7511"));
  assert_int_equal(h->nrows, 10); /* 75110 to 75119 */
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "75110");
}

static void test_old_paje_file(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "caf_old_paje_reconstructed.csv", NULL), 0);
  TH_COLUMNS(h, "communes|codes_insee|nb_allocataires|all_paje|all_prim|all_base|all_clca_colca|"
                "all_cmg|commune|annee");
  assert_int_equal(h->nrows, 20);
  assert_int_equal(h->rows[0].line, 4);
  TH_CELL(h, 0, "communes", RELEVE_CELL_TEXT, "Paris 1er Arrondissement");
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "75101");
  TH_CELL(h, 0, "annee", RELEVE_CELL_EMPTY, "");
  TH_NUMBER(h, 0, "nb_allocataires", 585);
  TH_CELL(h, 0, "all_prim", RELEVE_CELL_SUPPRESSED, "");
  assert_non_null(strstr(th_transcript(h), "log 6 caf: 3 rows dropped: 1 abroad (99999), 1 "
                                           "unknown commune (XXXXX), 1 outside the keep_communes "
                                           "prefix\n"));
  TH_GOLDEN(h, "expected/caf_old_paje_reconstructed.txt");
}

static void test_old_rsa_file_header_drift(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "caf_old_rsa_reconstructed.csv",
                               TH_OPTS("keep_communes=")),
                   0);
  TH_COLUMNS(h, "communes|codes_insee|nb_allocataires|all_rsa|rsa_socle|rsa_activite|"
                "rsa_socle_activite|commune|annee");
  assert_int_equal(h->nrows, 6);
  TH_CELL(h, 0, "communes", RELEVE_CELL_TEXT, "Ambérieu-en-Bugey");
  TH_CELL(h, 0, "codes_insee", RELEVE_CELL_TEXT, "1004");
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "01004");
  TH_NUMBER(h, 1, "nb_allocataires", 31210);
  TH_CELL(h, 5, "commune", RELEVE_CELL_TEXT, "07511");
  assert_int_equal(h->nerrors, 1);
  TH_ERROR(h, 0, 8, "valeur « 3O5 » illisible dans la colonne « NB_allocataires » ; un nombre est "
                    "attendu (case vide si secret statistique)");
  assert_int_equal(h->errors[0].column, 3);
  assert_string_equal(h->errors[0].value, "3O5");
  TH_GOLDEN(h, "expected/caf_old_rsa_reconstructed.txt");
  TH_RUN_FILE(h, PLUGIN, "caf_old_rsa_reconstructed.csv", NULL);
  assert_int_equal(h->nrows, 4); /* 01004 and 07511 are outside "751" */
}

static void test_broken_files(void **state) {
  th_host *h = *state;
  static const char expected[] =
      "une ligne d'en-tête avec une colonne de code commune est attendue (« numcomdo » sur "
      "data.caf.fr, « Codes_Insee » dans les fichiers annuels plus anciens)";
  TH_FAILS(h, PLUGIN, "broken_truncated_quote.csv", NULL, -EBADMSG, 3,
           "guillemet ouvert au champ 3 et jamais refermé avant la fin du fichier : le fichier "
           "semble tronqué");
  assert_int_equal(h->nrows, 1);
  TH_FAILS(h, PLUGIN, "broken_binary.csv", NULL, -EILSEQ, 1,
           "octet nul à la position 67 : le fichier n'est pas un texte (un export CSV est "
           "attendu, pas un classeur ni une image)");
  th_run_file_at(h, PLUGIN, TH_FIXTURE("broken_garbage_no_nul.csv"), NULL, __FILE__, __LINE__);
  assert_int_equal(h->rc, -EBADMSG);
  assert_non_null(strstr(h->errors[0].text, expected));
  TH_FAILS(h, PLUGIN, "broken_wrong_separator.csv", NULL, -EBADMSG, 0,
           "en-tête introuvable dans les 2 premières lignes non vides ; une ligne d'en-tête avec "
           "une colonne de code commune est attendue (« numcomdo » sur data.caf.fr, « Codes_Insee "
           "» dans les fichiers annuels plus anciens)");
  TH_FAILS(h, PLUGIN, "broken_bom_only.csv", NULL, -EBADMSG, 0,
           "le fichier est vide ; une ligne d'en-tête avec une colonne de code commune est "
           "attendue (« numcomdo » sur data.caf.fr, « Codes_Insee » dans les fichiers annuels "
           "plus anciens)");
  TH_FAILS(h, PLUGIN, "broken_empty.csv", NULL, -EBADMSG, 0,
           "le fichier est vide ; une ligne d'en-tête avec une colonne de code commune est "
           "attendue (« numcomdo » sur data.caf.fr, « Codes_Insee » dans les fichiers annuels "
           "plus anciens)");
}

static void test_row_level_problems(void **state) {
  th_host *h = *state;
  static const char text[] = "\xEF\xBB\xBF" "dtreffre;numcomdo;nomcom;indfoy_rsa\r\n"
                             "2022/12;75101;Paris 1er;310\r\n"
                             "2022-12;7510;Paris 1er;310\r\n"
                             "2022-12;ABCDE;?;5\r\n"
                             "2022-12;75102;Paris 2e;s\r\n"
                             "31/12/2022;75103;Paris 3e;<5\r\n";
  th_set_input(h, text, sizeof text - 1);
  th_run(h, PLUGIN, TH_OPTS("keep_communes="));
  TH_CLEAN(h);
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nerrors, 2);
  TH_ERROR(h, 0, 2, "date de référence « 2022/12 » illisible ; un mois AAAA-MM est attendu (ex. "
                    "2022-12)");
  TH_ERROR(h, 1, 4, "code commune « ABCDE » illisible ; un code INSEE à 5 caractères est "
                    "attendu (ex. 75118)");
  assert_int_equal(h->nrows, 3);
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "07510");
  TH_CELL(h, 1, "indfoy_rsa", RELEVE_CELL_SUPPRESSED, "s");
  TH_CELL(h, 2, "annee", RELEVE_CELL_TEXT, "2022");
  TH_CELL(h, 2, "indfoy_rsa", RELEVE_CELL_SUPPRESSED, "<5");
}

static void test_memory_is_flat(void **state) {
  TH_FLAT_MEMORY(*state, PLUGIN, NULL,
                 "\xEF\xBB\xBF" "dtreffre;numcomdo;nomcom;indfoy_rsa;indfoy_apl;indmtt_rsa\r\n",
                 "2022-12;75118;Paris 18e Arrondissement;11020;34560;6295700\r\n", "", 300000,
                 300000, 512 * 1024);
}

static void test_descriptor(void **state) {
  (void)state;
  const releve_plugin *p = PLUGIN;
  assert_string_equal(p->name, "caf");
  assert_string_equal(p->options[0].name, "keep_communes");
  assert_int_equal(p->options[0].type, RELEVE_OPT_STRING);
  assert_string_equal(p->options[0].default_value, "751");
  assert_string_equal(p->options[1].name, "blank_is_secret");
  assert_int_equal(p->options[1].type, RELEVE_OPT_BOOL);
  assert_string_equal(p->options[1].default_value, "true");
  assert_string_equal(p->options[2].name, "sheet");
  assert_null(p->options[2].default_value);
  assert_null(p->options[3].name);
}

/* The same table saved by a spreadsheet: openpyxl's .xlsx (figures typed as
 * numbers, percentages formatted, a merged title) and LibreOffice's .ods
 * made from it (plugins/kit/testing/workbook_fixtures.py) give the CSV's
 * rows. */
static void test_workbooks(void **state) {
  th_host *h = *state;
  TH_BOOK_SAME_ROWS(h, PLUGIN, "caf_current_reconstructed.csv", "caf_current_reconstructed.xlsx", NULL);
  TH_BOOK_SAME_ROWS(h, PLUGIN, "caf_current_reconstructed.csv", "caf_current_reconstructed.ods", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_current_portal),
      cmocka_unit_test(test_options),
      cmocka_unit_test(test_old_paje_file),
      cmocka_unit_test(test_old_rsa_file_header_drift),
      cmocka_unit_test(test_broken_files),
      cmocka_unit_test(test_row_level_problems),
      cmocka_unit_test(test_memory_is_flat),
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_workbooks),
  };
  return cmocka_run_group_tests_name("caf", tests, th_setup, th_teardown);
}
