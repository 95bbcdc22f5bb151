/* test_template.c -- the collection-table plugin on real-format files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "th_assert.h"
#include "th_book.h"

#define PLUGIN releve_plugin_entry_v1()

static void test_collecte_cells(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "template_collecte_reconstructed.csv", NULL), 0);
  TH_COLUMNS(h, "indicateur|libelle|periode|geographie|valeur|part|statut|commentaire");
  assert_int_equal(h->nrows, 10);
  /* Line 6: thousands with a space, a percent with a decimal comma. */
  assert_int_equal(h->rows[0].line, 6);
  TH_CELL(h, 0, "indicateur", RELEVE_CELL_TEXT, "G01.2");
  TH_CELL(h, 0, "libelle", RELEVE_CELL_TEXT, "Nombre de collèges en REP/REP+ avec un GPDS");
  TH_CELL(h, 0, "periode", RELEVE_CELL_TEXT, "2018-2019");
  TH_CELL(h, 0, "geographie", RELEVE_CELL_TEXT, "REP");
  TH_NUMBER(h, 0, "valeur", 1234);
  TH_NUMBER(h, 0, "part", 93.2);
  TH_CELL(h, 0, "statut", RELEVE_CELL_EMPTY, "");
  assert_int_equal(h->rows[0].cells[4].column, 5);
  /* NBSP around the figure, "45 %" and a status. */
  TH_NUMBER(h, 1, "valeur", 512);
  TH_CELL(h, 1, "valeur", RELEVE_CELL_NUMBER, "512");
  TH_NUMBER(h, 1, "part", 45);
  TH_CELL(h, 1, "statut", RELEVE_CELL_TEXT, "provisoire");
  /* Markers: secrecy and not available. */
  TH_CELL(h, 2, "valeur", RELEVE_CELL_SUPPRESSED, "s");
  TH_CELL(h, 2, "part", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 3, "valeur", RELEVE_CELL_NOT_AVAILABLE, "nd");
  TH_CELL(h, 3, "part", RELEVE_CELL_NOT_AVAILABLE, "n.d.");
  TH_CELL(h, 4, "valeur", RELEVE_CELL_SUPPRESSED, "<5");
  /* A quoted comment over two lines: the row keeps its first line. */
  assert_int_equal(h->rows[5].line, 11);
  TH_NUMBER(h, 5, "valeur", 12.5);
  TH_CELL(h, 5, "commentaire", RELEVE_CELL_TEXT, "chiffre « révisé » ;\nvoir note");
  assert_int_equal(h->rows[6].line, 13);
  TH_CELL(h, 6, "valeur", RELEVE_CELL_EMPTY, "");
  /* Text values are kept for the core to judge. */
  TH_CELL(h, 7, "valeur", RELEVE_CELL_TEXT, "en hausse");
  TH_CELL(h, 7, "part", RELEVE_CELL_NOT_AVAILABLE, "NA");
  TH_NUMBER(h, 8, "valeur", -35);
  TH_CELL(h, 8, "part", RELEVE_CELL_NOT_AVAILABLE, "non disponible");
}

static void test_collecte_row_errors(void **state) {
  th_host *h = *state;
  TH_RUN_FILE(h, PLUGIN, "template_collecte_reconstructed.csv", NULL);
  assert_int_equal(h->nerrors, 1);
  TH_ERROR(h, 0, 17, "4 champs au lieu des 8 de l'en-tête (séparateur : point-virgule) ; ligne "
                     "ignorée");
  /* "12,5,3" is no number: TEXT, for the core to refuse with its context. */
  assert_int_equal(h->rows[h->nrows - 1].line, 16);
  TH_CELL(h, h->nrows - 1, "valeur", RELEVE_CELL_TEXT, "12,5,3");
  TH_GOLDEN(h, "expected/template_collecte_reconstructed.txt");
}

static void test_windows_1252_commas_and_spellings(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "template_cp1252_reconstructed.csv", NULL), 0);
  TH_COLUMNS(h, "indicateur|libelle|periode|geographie|valeur|part|statut|commentaire|source");
  assert_int_equal(h->nrows, 4);
  assert_int_equal(h->nerrors, 0);
  TH_CELL(h, 0, "geographie", RELEVE_CELL_TEXT, "QP075001");
  TH_CELL(h, 0, "periode", RELEVE_CELL_TEXT, "2017");
  TH_NUMBER(h, 0, "valeur", 1250.5);
  TH_CELL(h, 0, "libelle", RELEVE_CELL_EMPTY, "");
  assert_int_equal(h->rows[0].cells[1].column, 0);
  TH_CELL(h, 1, "valeur", RELEVE_CELL_SUPPRESSED, "S");
  TH_CELL(h, 1, "statut", RELEVE_CELL_TEXT, "secret");
  TH_CELL(h, 2, "geographie", RELEVE_CELL_TEXT, "Paris 19e, Flandre");
  TH_CELL(h, 2, "valeur", RELEVE_CELL_NOT_AVAILABLE, ".");
  TH_CELL(h, 2, "source", RELEVE_CELL_TEXT, "Préfecture");
  TH_CELL(h, 3, "source", RELEVE_CELL_TEXT, "Région Île-de-France");
  TH_CELL(h, 3, "valeur", RELEVE_CELL_SUPPRESSED, "NC");
  assert_non_null(strstr(th_transcript(h), "reading the file as Windows-1252"));
  TH_GOLDEN(h, "expected/template_cp1252_reconstructed.txt");
}

static void test_broken_files(void **state) {
  th_host *h = *state;
  TH_FAILS(h, PLUGIN, "broken_missing_columns.csv", NULL, -EBADMSG, 1,
           "colonnes manquantes dans l'en-tête : « periode », « geographie » ; en-tête attendu "
           ": indicateur;libelle;periode;geographie;valeur;part;statut;commentaire");
  TH_FAILS(h, PLUGIN, "broken_no_header.csv", NULL, -EBADMSG, 0,
           "en-tête introuvable dans les 3 premières lignes non vides ; la ligne d'en-tête doit "
           "contenir au moins les colonnes « indicateur » et « valeur » (en-tête attendu : "
           "indicateur;libelle;periode;geographie;valeur;part;statut;commentaire)");
  TH_FAILS(h, PLUGIN, "broken_duplicate_valeur.csv", NULL, -EBADMSG, 1,
           "colonne « valeur » en double dans l'en-tête (colonnes 4 et 5) ; une seule est "
           "attendue : indicateur;libelle;periode;geographie;valeur;part;statut;commentaire");
  assert_int_equal(h->errors[0].column, 5);
  TH_FAILS(h, PLUGIN, "broken_empty.csv", NULL, -EBADMSG, 0,
           "le fichier est vide ; la ligne d'en-tête doit contenir au moins les colonnes "
           "« indicateur » et « valeur » (en-tête attendu : "
           "indicateur;libelle;periode;geographie;valeur;part;statut;commentaire)");
  TH_FAILS(h, PLUGIN, "broken_bom_only.csv", NULL, -EBADMSG, 0,
           "le fichier est vide ; la ligne d'en-tête doit contenir au moins les colonnes "
           "« indicateur » et « valeur » (en-tête attendu : "
           "indicateur;libelle;periode;geographie;valeur;part;statut;commentaire)");
  TH_FAILS(h, PLUGIN, "broken_xlsx.csv", NULL, -EBADMSG, 1,
           "le fichier est une archive ZIP ou un classeur (.xlsx, .ods) ; exportez la feuille au "
           "format CSV");
  TH_FAILS(h, PLUGIN, "broken_unterminated_quote.csv", NULL, -EBADMSG, 2,
           "guillemet ouvert au champ 5 et jamais refermé avant la fin du fichier : le fichier "
           "semble tronqué");
  assert_int_equal(h->nrows, 0);
  assert_int_equal(h->ncolumns, 8); /* columns were declared before the failure */
}

static void test_host_stop_and_read_failure(void **state) {
  th_host *h = *state;
  th_load(h, TH_FIXTURE("template_collecte_reconstructed.csv"));
  h->stop_after_rows = 2;
  assert_int_equal(th_run(h, PLUGIN, NULL), -ECANCELED);
  assert_int_equal(h->nrows, 2);
  h->stop_after_rows = -1;
  h->fail_at = 300;
  assert_int_equal(th_run(h, PLUGIN, NULL), -EIO);
  h->fail_at = -1;
  TH_CLEAN(h);
  TH_ERROR(h, h->nerrors - 1, 0, "lecture du fichier interrompue après 300 octets (erreur "
                                 "système 5) ; le fichier doit être déposé de nouveau");
}

static void test_memory_is_flat(void **state) {
  TH_FLAT_MEMORY(*state, PLUGIN, NULL,
                 "Indicateur;Période;Géographie;Valeur;Part (%);Commentaire\r\n",
                 "G01.2;2018;QP075001;1 234,5;12,5 %;\"long commentaire ; avec séparateur\"\r\n",
                 "", 300000, 300000, 512 * 1024);
}

static void test_descriptor(void **state) {
  (void)state;
  const releve_plugin *p = PLUGIN;
  assert_string_equal(p->name, "template");
  assert_int_equal(p->abi_major, RELEVE_PLUGIN_ABI_MAJOR);
  assert_int_equal(p->struct_size, sizeof(releve_plugin));
  assert_string_equal(p->options[0].name, "sheet");
  assert_int_equal(p->options[0].type, RELEVE_OPT_STRING);
  assert_null(p->options[1].name);
}

/* The same table saved by a spreadsheet: openpyxl's .xlsx (figures typed as
 * numbers, percentages formatted, a merged title) and LibreOffice's .ods
 * made from it (plugins/kit/testing/workbook_fixtures.py) give the CSV's
 * rows. */
static void test_workbooks(void **state) {
  th_host *h = *state, csv;
  th_init(&csv);
  TH_RUN_FILE(&csv, PLUGIN, "template_collecte_reconstructed.csv", NULL);
  static const char *const books[] = {TH_FIXTURE("template_collecte_reconstructed.xlsx"),
                                      TH_FIXTURE("template_collecte_reconstructed.ods")};
  for (size_t k = 0; k < 2; k++) {
    th_book_run_at(h, PLUGIN, books[k], NULL, __FILE__, __LINE__);
    /* The CSV's ten rows, then the short row: in a sheet its cells past
     * the fourth are simply empty, not a field-count error. */
    TH_BOOK_SAME_CELLS(&csv, h, 10);
    assert_int_equal(h->nrows, 11);
    assert_int_equal(h->nerrors, 0);
    assert_int_equal(h->rows[5].line, 11); /* the two-line comment is one cell */
    assert_int_equal(h->rows[10].line, 16);
    TH_CELL(h, 10, "indicateur", RELEVE_CELL_TEXT, "G05.1");
    TH_CELL(h, 10, "valeur", RELEVE_CELL_EMPTY, "");
  }
  th_free(&csv);
}

/* The first sheet holding the header is read ("Mode d'emploi" has none);
 * the "sheet" option picks another; a formula saved without its value is a
 * row error naming the cell. */
static void test_workbook_sheets(void **state) {
  th_host *h = *state;
  const char *path = TH_FIXTURE("template_sheets.xlsx");
  th_book_run_at(h, PLUGIN, path, NULL, __FILE__, __LINE__);
  assert_non_null(strstr(th_transcript(h), "sheet Mode d'emploi\nsheet Collecte\ncolumns "));
  assert_int_equal(h->nrows, 1);
  assert_int_equal(h->rows[0].line, 2);
  TH_NUMBER(h, 0, "valeur", 10);
  TH_NUMBER(h, 0, "part", 25);
  th_book_run_at(h, PLUGIN, path, TH_OPTS("sheet=archive 2018"), __FILE__, __LINE__);
  assert_int_equal(h->nrows, 2);
  TH_NUMBER(h, 0, "valeur", 7);
  TH_CELL(h, 1, "valeur", RELEVE_CELL_EMPTY, "");
  assert_int_equal(h->nerrors, 1);
  TH_ERROR(h, 0, 3, "formule sans valeur calculée (cellule E3) : ouvrez le classeur dans Excel "
                    "ou LibreOffice et enregistrez-le, pour que la valeur y soit écrite");
  assert_int_equal(h->errors[0].column, 5);
  th_book b = {0};
  th_book_attach_at(&b, h, TH_FIXTURE("broken_xlsx.csv"), __FILE__, __LINE__);
  assert_int_equal(th_run(h, PLUGIN, NULL), -EBADMSG);
  th_book_detach(&b);
  TH_ERROR(h, 0, 0, "archive du classeur abîmée ou tronquée (Not a zip archive) : enregistrez le "
                    "classeur de nouveau et renvoyez-le en entier");
  th_book_attach_at(&b, h, path, __FILE__, __LINE__);
  assert_int_equal(th_run(h, PLUGIN, TH_OPTS("sheet=Feuil9")), -EBADMSG);
  th_book_detach(&b);
  TH_ERROR(h, 0, 0, "feuille « Feuil9 » introuvable dans le classeur (option « sheet ») ; "
                    "feuilles du classeur : « Mode d'emploi », « Collecte », « Archive 2018 »");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_collecte_cells),
      cmocka_unit_test(test_collecte_row_errors),
      cmocka_unit_test(test_windows_1252_commas_and_spellings),
      cmocka_unit_test(test_broken_files),
      cmocka_unit_test(test_host_stop_and_read_failure),
      cmocka_unit_test(test_memory_is_flat),
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_workbooks),
      cmocka_unit_test(test_workbook_sheets),
  };
  return cmocka_run_group_tests_name("template", tests, th_setup, th_teardown);
}
