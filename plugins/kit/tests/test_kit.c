/* test_kit.c -- the kit's text side: cells, names, csv, reader and table. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "kit_tests.h"
#include "th_assert.h"

/* ---- two small plugins driving the kit through a real host ---- */

/* "lines": one row per line read, to check the reader. */
static int lines_decode(const releve_decode_args *args) {
  releve_kit_reader r;
  static const char *const names[] = {"line"};
  int rc = releve_kit_reader_init(&r, args);
  if (rc == 0)
    rc = args->host->columns(args->host_ctx, names, 1);
  while (rc >= 0 && (rc = releve_kit_reader_next(&r)) == 1) {
    releve_cell cell = {RELEVE_CELL_TEXT, r.line, 0.0, 1};
    rc = args->host->row(args->host_ctx, r.lineno, &cell, 1);
  }
  releve_kit_reader_free(&r);
  return rc < 0 ? rc : 0;
}

static const releve_plugin lines_plugin = {RELEVE_PLUGIN_ABI_MAJOR, sizeof(releve_plugin),
                                           "kit-lines", "1", "test", NULL, lines_decode,
                                           NULL, NULL, 0};

/* "echo": a table whose header holds a "code" column; rows as TEXT. */
static int echo_is_header(void *ud, const releve_kit_table *t) {
  (void)ud;
  return releve_kit_table_find(t, "code") >= 0;
}

static int echo_decode(const releve_decode_args *args) {
  releve_kit_table t;
  releve_kit_names names = {0};
  releve_kit_row row = {0};
  int rc = releve_kit_table_init(&t, args, RELEVE_KIT_TABLE_HASH_COMMENTS);
  if (rc == 0)
    rc = releve_kit_table_header(&t, echo_is_header, NULL, 3, "une colonne « code » est attendue");
  for (size_t i = 0; rc == 0 && i < t.ncolumns; i++)
    rc = releve_kit_names_add(&names, t.name[i]) < 0 ? -ENOMEM : 0;
  if (rc == 0)
    rc = releve_kit_names_emit(&names, args);
  while (rc == 0 && (rc = releve_kit_table_next(&t)) == 1) {
    for (size_t i = 0; i < t.n; i++)
      releve_kit_row_add(&row, RELEVE_CELL_TEXT, (unsigned)i + 1, t.field[i]);
    rc = releve_kit_row_emit(&row, args, t.line);
  }
  releve_kit_row_free(&row);
  releve_kit_names_free(&names);
  releve_kit_table_free(&t);
  return rc;
}

static const releve_plugin echo_plugin = {RELEVE_PLUGIN_ABI_MAJOR, sizeof(releve_plugin),
                                          "kit-echo", "1", "test", NULL, echo_decode,
                                          NULL, NULL, 0};

static void run_text(th_host *h, const releve_plugin *p, const char *text, size_t len) {
  th_set_input(h, text, len);
  th_run(h, p, NULL);
  TH_CLEAN(h);
}

#define RUN(h, p, literal) run_text((h), (p), (literal), sizeof(literal) - 1)

/* ---- numbers ---- */

static void number_is(const char *text, double want) {
  double got = -12345.0;
  if (releve_kit_cell_number(text, &got) != 0 || got != want)
    fail_msg("\"%s\": expected %.17g, got %.17g", text, want, got);
}

static void test_numbers_french_and_english(void **state) {
  (void)state;
  number_is("1 234,5", 1234.5);
  number_is("1\xC2\xA0" "234", 1234);
  number_is("1\xE2\x80\xAF" "234,50", 1234.5);
  number_is("12 345 678", 12345678);
  number_is("93,20%", 93.2);
  number_is("45 %", 45);
  number_is("499.0", 499);
  number_is("12.5", 12.5);
  number_is("-3,5", -3.5);
  number_is("\xE2\x88\x92" "7", -7);
  number_is("+4", 4);
  number_is("0,1", 0.1);
  number_is("  12\t", 12);
  number_is("007", 7);
  number_is("0", 0);
  number_is("47.98614492070133", strtod("47.98614492070133", NULL));
  number_is("-1.9294895003671315", strtod("-1.9294895003671315", NULL));
  number_is("0,000001", 1e-6);
}

static void test_numbers_refused(void **state) {
  (void)state;
  static const char *const bad[] = {"12,5,3", "1.234,5", "12 34", "1234 567", "abc", "",
                                    "-",      "1e5",     "12.",   ",5",       "5%%", "1 2345",
                                    "12 a",   "% 12",    "--1",   "1 234 5",  "75101 Paris",
                                    "12345678901234567890", "2019-T4"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double v;
    if (releve_kit_cell_number(bad[i], &v) != -EINVAL)
      fail_msg("\"%s\" was read as %.17g", bad[i], v);
  }
}

static void test_numbers_ignore_locale(void **state) {
  (void)state;
  /* A host running under a French LC_NUMERIC must read the same figures. */
  if (setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    setlocale(LC_NUMERIC, "de_DE.UTF-8");
  number_is("12.5", 12.5);
  number_is("12,5", 12.5);
  setlocale(LC_NUMERIC, "C");
}

/* ---- markers and figures ---- */

static void test_markers(void **state) {
  (void)state;
  static const char *const secret[] = {"s",   "S",    "secret", "Secret statistique", "nc",
                                       "NC",  "n.c.", "non communiqué", "<5", "< 10", " s "};
  static const char *const absent[] = {"nd", "ND", "n.d.", "N/D", "NA", "n.a.", "non disponible",
                                       "Non Disponible", ".", " . "};
  static const char *const plain[] = {"0", "5", "<", "<a", "ss", "-", "..", "s5", "n", ""};
  for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
    if (releve_kit_cell_marker(secret[i]) != RELEVE_CELL_SUPPRESSED)
      fail_msg("\"%s\" should mean secrecy", secret[i]);
  for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
    if (releve_kit_cell_marker(absent[i]) != RELEVE_CELL_NOT_AVAILABLE)
      fail_msg("\"%s\" should mean not available", absent[i]);
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
    if (releve_kit_cell_marker(plain[i]) != RELEVE_CELL_EMPTY)
      fail_msg("\"%s\" is no marker", plain[i]);
}

static void test_figures(void **state) {
  (void)state;
  releve_cell c;
  assert_int_equal(releve_kit_cell_figure(&c, " ", RELEVE_KIT_CELL_BLANK_SECRET), 0);
  assert_int_equal(c.kind, RELEVE_CELL_SUPPRESSED);
  assert_int_equal(releve_kit_cell_figure(&c, "", 0), 0);
  assert_int_equal(c.kind, RELEVE_CELL_EMPTY);
  assert_int_equal(releve_kit_cell_figure(&c, "<5", 0), 0);
  assert_int_equal(c.kind, RELEVE_CELL_SUPPRESSED);
  assert_int_equal(releve_kit_cell_figure(&c, "n.d.", 0), 0);
  assert_int_equal(c.kind, RELEVE_CELL_NOT_AVAILABLE);
  assert_int_equal(releve_kit_cell_figure(&c, "1 234,5", 0), 0);
  assert_int_equal(c.kind, RELEVE_CELL_NUMBER);
  assert_true(c.number == 1234.5);
  assert_int_equal(releve_kit_cell_figure(&c, "beaucoup", 0), -EINVAL);
  assert_int_equal(c.kind, RELEVE_CELL_TEXT);
  assert_int_equal(releve_kit_cell_figure(&c, "beaucoup", RELEVE_KIT_CELL_TEXT_OK), 0);
  assert_int_equal(c.kind, RELEVE_CELL_TEXT);
  assert_string_equal(c.text, "beaucoup");
}

/* ---- names and text ---- */

static void normalized_is(const char *text, const char *want) {
  char *got = releve_kit_cell_normalize_dup(text);
  if (got == NULL || strcmp(got, want) != 0)
    fail_msg("\"%s\": expected \"%s\", got \"%s\"", text, want, got ? got : "(null)");
  free(got);
}

static void test_normalize(void **state) {
  (void)state;
  normalized_is("Nom de l'établissment", "nom_de_l_etablissment");
  normalized_is("Part (%)", "part");
  normalized_is("  Code région ", "code_region");
  normalized_is("NB_Allocataires", "nb_allocataires");
  normalized_is("Tranche d'âge", "tranche_d_age");
  normalized_is("Œuvre Æ ß", "oeuvre_ae_ss");
  normalized_is("Ecart-type de l'IPS", "ecart_type_de_l_ips");
  normalized_is("Nombre d\xE2\x80\x99" "élèves", "nombre_d_eleves");
  normalized_is("PÉRIODE", "periode");
  normalized_is("Łódź Čeština", "lodz_cestina");
  normalized_is("", "");
  normalized_is("%%%", "");
  normalized_is("a__b--c", "a_b_c");
  char small[4];
  assert_int_equal(releve_kit_cell_normalize("Géographie", small, sizeof small), 10);
  assert_string_equal(small, "geo");
  assert_true(releve_kit_cell_same("Période", "periode"));
  assert_false(releve_kit_cell_same("Période", "periodes"));
}

static void test_squeeze_and_trim(void **state) {
  (void)state;
  char a[] = "  Paris 12e  Arrondissement  ";
  assert_string_equal(releve_kit_cell_squeeze(a), "Paris 12e Arrondissement");
  char b[] = "\xC2\xA0" "a\xC2\xA0\xC2\xA0" "b\t";
  assert_string_equal(releve_kit_cell_squeeze(b), "a b");
  /* Regression (found by fuzz_academie): a NBSP before any shift lost
   * its first byte only, leaving invalid UTF-8. */
  char d[] = "a\xC2\xA0" "b\xE2\x80\xAF" "c";
  assert_string_equal(releve_kit_cell_squeeze(d), "a b c");
  char c[] = " \t x y \xE2\x80\xAF";
  assert_string_equal(releve_kit_cell_trim(c), "x y");
  assert_true(releve_kit_cell_blank(" \t\xC2\xA0"));
  assert_false(releve_kit_cell_blank(" x "));
}

static void test_excerpts_cut_whole_characters(void **state) {
  (void)state;
  assert_int_equal(releve_kit_utf8_cut("ab\xC3\xA9", 4), 4);
  assert_int_equal(releve_kit_utf8_cut("ab\xC3\xA9", 3), 2);
  assert_int_equal(releve_kit_utf8_cut("a\xE2\x80\xA6", 3), 1);
  assert_int_equal(releve_kit_utf8_cut("a\xF0\x9F\x98\x80", 5), 5);
  assert_int_equal(releve_kit_utf8_cut("a\xF0\x9F\x98\x80", 4), 1);
  releve_kit_excerpt e;
  assert_string_equal(releve_kit_cell_excerpt("court", &e), "court");
  char long_text[200];
  memset(long_text, 'x', 79);
  strcpy(long_text + 79, "\xC3\xA9tait trop long");
  assert_string_equal(releve_kit_cell_excerpt(long_text, &e) + 79, "\xE2\x80\xA6");
  assert_int_equal(strlen(e.text), 79 + 3);
}

static void test_names_unique(void **state) {
  (void)state;
  releve_kit_names n = {0};
  assert_int_equal(releve_kit_names_add(&n, "a"), 0);
  assert_int_equal(releve_kit_names_add(&n, "a"), 1);
  assert_int_equal(releve_kit_names_add(&n, "a"), 2);
  assert_string_equal(n.v[1], "a_2");
  assert_string_equal(n.v[2], "a_3");
  assert_int_equal(releve_kit_names_find(&n, "a_3"), 2);
  assert_int_equal(releve_kit_names_find(&n, "b"), -1);
  releve_kit_names_free(&n);
}

/* ---- csv ---- */

static void fields_are(releve_kit_csv *csv, size_t n, const char *const *want) {
  assert_int_equal(csv->n, n);
  for (size_t i = 0; i < n; i++)
    assert_string_equal(csv->field[i], want[i]);
}

static void feed(releve_kit_csv *csv, const char *line, int want) {
  assert_int_equal(releve_kit_csv_feed(csv, line, strlen(line), 1), want);
}

static void test_csv_detect(void **state) {
  (void)state;
  assert_int_equal(releve_kit_csv_detect("a;b,c;d"), ';');
  assert_int_equal(releve_kit_csv_detect("a,b,c"), ',');
  assert_int_equal(releve_kit_csv_detect("a\tb"), '\t');
  assert_int_equal(releve_kit_csv_detect("abc"), ';');
  assert_int_equal(releve_kit_csv_detect("\"a;b;c\",d,e"), ',');
}

static void test_csv_quotes(void **state) {
  (void)state;
  releve_kit_csv csv;
  releve_kit_csv_init(&csv, ';');
  feed(&csv, "a;\"b;c\";\"d\"\"e\";", 1);
  fields_are(&csv, 4, (const char *const[]){"a", "b;c", "d\"e", ""});
  feed(&csv, "a\"b;\"ab\"cd;  \"q\";\"\"", 1);
  fields_are(&csv, 4, (const char *const[]){"a\"b", "abcd", "q", ""});
  feed(&csv, "", 1);
  fields_are(&csv, 1, (const char *const[]){""});
  assert_int_equal(releve_kit_csv_feed(&csv, "1;\"x", 4, 7), 0);
  assert_true(releve_kit_csv_pending(&csv));
  assert_int_equal(releve_kit_csv_feed(&csv, "", 0, 8), 0);
  assert_int_equal(releve_kit_csv_feed(&csv, "y\";2", 4, 9), 1);
  fields_are(&csv, 3, (const char *const[]){"1", "x\n\ny", "2"});
  assert_int_equal(csv.line, 7);
  assert_false(releve_kit_csv_pending(&csv));
  releve_kit_csv_free(&csv);
}

/* Lines without quotes take a shorter way: the same fields. */
static void test_csv_unquoted(void **state) {
  (void)state;
  releve_kit_csv csv;
  releve_kit_csv_init(&csv, '\t');
  feed(&csv, "\ta\t\tb c;d,e\t", 1);
  fields_are(&csv, 5, (const char *const[]){"", "a", "", "b c;d,e", ""});
  assert_int_equal(releve_kit_csv_feed(&csv, "x\ty\tz", 3, 2), 1); /* len, not the NUL */
  fields_are(&csv, 2, (const char *const[]){"x", "y"});
  assert_int_equal(releve_kit_csv_feed(&csv, "\"1\t", 3, 3), 0);
  feed(&csv, "2\"\t3", 1); /* a quoted field's next line goes the usual way */
  fields_are(&csv, 2, (const char *const[]){"1\t\n2", "3"});
  size_t big = RELEVE_KIT_MAX_RECORD - 1; /* the longest line that fits */
  char *line = malloc(big + 1);
  assert_non_null(line);
  memset(line, 'x', big);
  line[big] = '\0';
  feed(&csv, line, 1);
  assert_int_equal(strlen(csv.field[0]), big);
  line[big - 1] = '\t';
  feed(&csv, line, 1);
  assert_int_equal(csv.n, 2);
  free(line);
  releve_kit_csv_free(&csv);
}

/* One record per line: an open quote ends with its line. */
static void test_csv_end_line(void **state) {
  (void)state;
  releve_kit_csv csv;
  releve_kit_csv_init(&csv, ';');
  feed(&csv, "a;b", 1);
  assert_int_equal(releve_kit_csv_end_line(&csv), 0);
  assert_int_equal(releve_kit_csv_feed(&csv, "12;\"rue x;75001", 15, 4), 0);
  assert_int_equal(releve_kit_csv_end_line(&csv), 1);
  fields_are(&csv, 2, (const char *const[]){"12", "rue x;75001"});
  assert_int_equal(csv.line, 4);
  assert_false(releve_kit_csv_pending(&csv));
  feed(&csv, "c;\"d\"", 1); /* the next line is a record of its own */
  fields_are(&csv, 2, (const char *const[]){"c", "d"});
  releve_kit_csv_free(&csv);
}

static void test_csv_limits(void **state) {
  (void)state;
  releve_kit_csv csv;
  releve_kit_csv_init(&csv, ';');
  size_t n = RELEVE_KIT_MAX_FIELDS;
  char *many = malloc(n + 1);
  memset(many, ';', n);
  many[n] = '\0';
  feed(&csv, many, -EMSGSIZE);
  many[n - 1] = '\0';
  feed(&csv, many, 1);
  assert_int_equal(csv.n, RELEVE_KIT_MAX_FIELDS);
  free(many);
  size_t big = RELEVE_KIT_MAX_RECORD + 1;
  char *long_line = malloc(big + 1);
  memset(long_line, 'x', big);
  long_line[big] = '\0';
  feed(&csv, long_line, -E2BIG);
  feed(&csv, "a;b", 1); /* usable again after a failure */
  assert_int_equal(csv.n, 2);
  free(long_line);
  releve_kit_csv_free(&csv);
}

/* ---- reader ---- */

static void test_reader_bom_and_line_ends(void **state) {
  th_host *h = *state;
  RUN(h, &lines_plugin, "\xEF\xBB\xBF" "a;b\r\nx\ry\n\nlast");
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 5);
  TH_CELL(h, 0, "line", RELEVE_CELL_TEXT, "a;b");
  TH_CELL(h, 1, "line", RELEVE_CELL_TEXT, "x");
  TH_CELL(h, 2, "line", RELEVE_CELL_TEXT, "y");
  TH_CELL(h, 3, "line", RELEVE_CELL_TEXT, "");
  TH_CELL(h, 4, "line", RELEVE_CELL_TEXT, "last");
  assert_int_equal(h->rows[4].line, 5);
  RUN(h, &lines_plugin, "");
  assert_int_equal(h->nrows, 0);
  RUN(h, &lines_plugin, "\xEF\xBB\xBF");
  assert_int_equal(h->nrows, 1);
  TH_CELL(h, 0, "line", RELEVE_CELL_TEXT, "");
}

static void test_reader_windows_1252(void **state) {
  th_host *h = *state;
  RUN(h, &lines_plugin, "plain\r\ncaf\xE9\r\n\x80 5 \x9C\x81\r\n");
  assert_int_equal(h->rc, 0);
  TH_CELL(h, 1, "line", RELEVE_CELL_TEXT, "café");
  TH_CELL(h, 2, "line", RELEVE_CELL_TEXT, "€ 5 œ\xEF\xBF\xBD");
  assert_non_null(strstr(th_transcript(h),
                         "log 6 no valid UTF-8 at line 2: reading the file as Windows-1252"));
  /* Once Windows-1252, bytes that happen to form UTF-8 stay Windows-1252. */
  RUN(h, &lines_plugin, "\xE9t\xE9\n\xC3\xA9\n");
  TH_CELL(h, 1, "line", RELEVE_CELL_TEXT, "Ã©");
}

static void test_reader_mixed_encodings(void **state) {
  th_host *h = *state;
  RUN(h, &lines_plugin, "été\nhiver \xE9t\xE9\nd\xE9j\xE0\n");
  assert_int_equal(h->rc, 0);
  TH_CELL(h, 0, "line", RELEVE_CELL_TEXT, "été");
  TH_CELL(h, 1, "line", RELEVE_CELL_TEXT, "hiver été");
  TH_CELL(h, 2, "line", RELEVE_CELL_TEXT, "déjà");
  const char *t = th_transcript(h);
  assert_non_null(strstr(t, "log 4 line 2 is not valid UTF-8 in a UTF-8 file"));
  assert_null(strstr(t, "line 3 is not valid"));
}

static void test_reader_refusals(void **state) {
  th_host *h = *state;
  RUN(h, &lines_plugin, "\xFF\xFE" "a\0b\0");
  assert_int_equal(h->rc, -EILSEQ);
  TH_ERROR(h, 0, 1, "fichier en UTF-16, encodage non pris en charge ; enregistrez-le en « CSV "
                    "UTF-8 » ou en « CSV (séparateur : point-virgule) »");
  RUN(h, &lines_plugin, "PK\3\4\x14\0\6\0");
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 1, "le fichier est une archive ZIP ou un classeur (.xlsx, .ods) ; exportez la "
                    "feuille au format CSV");
  RUN(h, &lines_plugin, "%PDF-1.4\n");
  assert_int_equal(h->rc, -EBADMSG);
  RUN(h, &lines_plugin, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
  assert_int_equal(h->rc, -EBADMSG);
  RUN(h, &lines_plugin, "a;b\nc\0d\n");
  assert_int_equal(h->rc, -EILSEQ);
  assert_int_equal(h->nrows, 1);
  TH_ERROR(h, 0, 2, "octet nul à la position 2 : le fichier n'est pas un texte (un export CSV "
                    "est attendu, pas un classeur ni une image)");
}

static void test_reader_line_cap(void **state) {
  th_host *h = *state;
  size_t n = RELEVE_KIT_MAX_LINE;
  char *big = malloc(n + 3);
  memcpy(big, "a\n", 2);
  memset(big + 2, 'x', n);
  th_set_input(h, big, n + 2);
  th_run(h, &lines_plugin, NULL);
  assert_int_equal(h->rc, 0); /* exactly the cap is accepted */
  assert_int_equal(strlen(h->rows[1].cells[0].text), n);
  big[n + 2] = 'y';
  th_set_input(h, big, n + 3);
  th_run(h, &lines_plugin, NULL);
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 2, "ligne de plus de 1048576 octets : ce n'est pas un export CSV lisible (fins "
                    "de ligne manquantes ?)");
  free(big);
}

static void test_reader_read_failure(void **state) {
  th_host *h = *state;
  th_set_input(h, "a\nb\nc\n", 6);
  h->fail_at = 3;
  th_run(h, &lines_plugin, NULL);
  h->fail_at = -1;
  assert_int_equal(h->rc, -EIO);
  TH_ERROR(h, 0, 0, "lecture du fichier interrompue après 3 octets (erreur système 5) ; le "
                    "fichier doit être déposé de nouveau");
}

/* ---- table ---- */

static void test_table_title_lines_and_comments(void **state) {
  th_host *h = *state;
  RUN(h, &echo_plugin,
      "Titre du tableau\n\nSource : test;;\nCode;Valeur;\n# commentaire\n75101;1\n;;\n"
      "  \n75102;\"2\n3\";;;\n75103\n");
  assert_int_equal(h->rc, 0);
  TH_COLUMNS(h, "code|valeur");
  assert_int_equal(h->nrows, 2);
  assert_int_equal(h->rows[0].line, 6);
  assert_int_equal(h->rows[1].line, 9);
  TH_CELL(h, 1, "valeur", RELEVE_CELL_TEXT, "2\n3");
  TH_ERROR(h, 0, 11, "1 champ au lieu des 2 de l'en-tête (séparateur : point-virgule) ; ligne "
                     "ignorée");
  RUN(h, &echo_plugin, "code,b,c\n1,2,3,4\n");
  TH_ERROR(h, 0, 2, "4 champs au lieu des 3 de l'en-tête (séparateur : virgule) ; ligne ignorée");
}

static void test_table_header_missing(void **state) {
  th_host *h = *state;
  RUN(h, &echo_plugin, "a;b\nc;d\ne;f\ncode;x\n");
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 0, "en-tête introuvable dans les 3 premières lignes non vides ; une colonne "
                    "« code » est attendue");
  RUN(h, &echo_plugin, "a;b\n");
  TH_ERROR(h, 0, 0, "en-tête introuvable : la seule ligne non vide ne convient pas ; une "
                    "colonne « code » est attendue");
  RUN(h, &echo_plugin, "\xEF\xBB\xBF\r\n \r\n");
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 0, "le fichier est vide ; une colonne « code » est attendue");
}

static void test_table_unterminated_quote(void **state) {
  th_host *h = *state;
  RUN(h, &echo_plugin, "code;nom\n1;\"ouvert\n2;b\n");
  assert_int_equal(h->rc, -EBADMSG);
  assert_int_equal(h->nrows, 0);
  TH_ERROR(h, 0, 2, "guillemet ouvert au champ 2 et jamais refermé avant la fin du fichier : le "
                    "fichier semble tronqué");
  assert_int_equal(h->errors[0].column, 2);
}

static void test_table_host_stop(void **state) {
  th_host *h = *state;
  h->stop_after_rows = 1;
  RUN(h, &echo_plugin, "code\n1\n2\n3\n");
  h->stop_after_rows = -1;
  assert_int_equal(h->rc, -ECANCELED);
  assert_int_equal(h->nrows, 1);
}

/* Memory stays flat while 40 MB go through the table. */
static void test_table_memory_is_bounded(void **state) {
  TH_FLAT_MEMORY(*state, &echo_plugin, NULL, "code;nom;valeur\r\n",
                 "75118;\"La Chapelle; Goutte d'Or\";1 234,5\r\n", "", 1000000, 1000000,
                 512 * 1024);
}

int kit_text_tests(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers_french_and_english),
      cmocka_unit_test(test_numbers_refused),
      cmocka_unit_test(test_numbers_ignore_locale),
      cmocka_unit_test(test_markers),
      cmocka_unit_test(test_figures),
      cmocka_unit_test(test_normalize),
      cmocka_unit_test(test_squeeze_and_trim),
      cmocka_unit_test(test_excerpts_cut_whole_characters),
      cmocka_unit_test(test_names_unique),
      cmocka_unit_test(test_csv_detect),
      cmocka_unit_test(test_csv_quotes),
      cmocka_unit_test(test_csv_unquoted),
      cmocka_unit_test(test_csv_end_line),
      cmocka_unit_test(test_csv_limits),
      cmocka_unit_test_setup_teardown(test_reader_bom_and_line_ends, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_reader_windows_1252, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_reader_mixed_encodings, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_reader_refusals, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_reader_line_cap, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_reader_read_failure, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_table_title_lines_and_comments, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_table_header_missing, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_table_unterminated_quote, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_table_host_stop, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_table_memory_is_bounded, th_setup, th_teardown),
  };
  return cmocka_run_group_tests_name("kit text", tests, NULL, NULL);
}
