/* Ingest end to end through the real core (plugin host, mapping,
 * validation, store, report), with the "lines" test plugin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/ingest.h"
#include "receipt/receipt.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/str.h"
#include "util/fs.h"
#include "util/clock.h"

static char *dir;
static releve_config cfg;
static releve_store store;
static releve_plugins plugins;
static releve_ingest_env env;

#define HEADER "indicateur;periode;geographie;valeur;part;statut;commentaire\n"

static int setup(void **state) {
  (void)state;
  dir = test_dir("ingest");
  chmod(RELEVE_TEST_PLUGIN_DIR, 0755);
  return test_core_open(
      dir,
      "{\"plugins\": \"" RELEVE_TEST_PLUGIN_DIR "\", \"database\": \"r.db\", \"actors\": ["
      "{\"id\": \"caf\", \"emails\": [\"a@caf.example.org\"], \"plugin\": \"lines\"},"
      "{\"id\": \"academie\", \"emails\": [\"a@ac.example.org\"], \"plugin\": \"lines\", "
      "\"mapping\": {\"kind\": \"rows\", \"period\": {\"column\": \"rentree\", \"format\": "
      "\"school_year\"}, \"geography\": {\"column\": \"ep\", \"unmapped\": \"skip\"}, "
      "\"indicators\": {\"G03.1\": {\"op\": \"count\", \"where\": {\"type\": \"college\"}}, "
      "\"G03.2\": {\"op\": \"sum\", \"column\": \"eleves\", "
      "\"where\": {\"type\": \"college\"}}}}}]}",
      RELEVE_TEST_PLUGIN_DIR, &cfg, &store, &plugins, &env);
}

static int teardown(void **state) {
  (void)state;
  test_core_close(&cfg, &store, &plugins);
  free(dir);
  return 0;
}

static long long scalar(const char *sql) { return test_scalar(&store, sql); }

static int with_receipt;
static int retry;

static releve_outcome ingest(const char *actor, const char *name, const char *text, int dry,
                             releve_ingest_result *res) {
  releve_ingest_request req;
  memset(&req, 0, sizeof req);
  req.dry_run = dry;
  if (with_receipt)
    req.on_outcome = releve_receipt_on_outcome;
  req.retry = retry;
  return test_ingest_text(&env, dir, actor, name, text, &req, res);
}

static void test_accept_then_duplicate_then_revision(void **state) {
  releve_ingest_result r;
  (void)state;
  assert_int_equal(ingest("caf", "a.csv", HEADER "G04.1;2019;QPV;120;;;\nG04.1;2019;QP;150;;;\n"
                                              "G07.1;2019;QPV;s;;;\nG07.1;2019;QP;;;nd;\n"
                                              "G24.1;2019;QPV;0;;;\nG24.1;2019;QP;;;;\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  assert_int_equal(r.added, 5);
  assert_non_null(strstr(r.report, "Résultat : ACCEPTÉ"));
  assert_non_null(strstr(r.report, "5 valeurs reçues : 5 ajoutées"));
  releve_ingest_result_free(&r);
  /* Suppressed and not available keep their status; a zero is a value;
   * the empty cell gave nothing. */
  assert_int_equal(scalar("SELECT count(*) FROM observations WHERE indicator = 'G07.1' AND "
                          "value IS NULL AND status IN ('suppressed','not_available')"),
                   2);
  assert_int_equal(scalar("SELECT value FROM observations WHERE indicator = 'G24.1'"), 0);
  assert_int_equal(scalar("SELECT count(*) FROM observations WHERE indicator = 'G24.1'"), 1);
  /* The same bytes again: recognised, nothing changes. */
  assert_int_equal(ingest("caf", "a-again.csv",
                          HEADER "G04.1;2019;QPV;120;;;\nG04.1;2019;QP;150;;;\n"
                                 "G07.1;2019;QPV;s;;;\nG07.1;2019;QP;;;nd;\n"
                                 "G24.1;2019;QPV;0;;;\nG24.1;2019;QP;;;;\n",
                          0, &r),
                   RELEVE_DUPLICATE);
  assert_non_null(strstr(r.report, "déjà été reçu"));
  releve_ingest_result_free(&r);
  assert_int_equal(scalar("SELECT count(*) FROM submissions"), 1);
  /* A corrected figure is a revision: history kept, reported as modified. */
  assert_int_equal(ingest("caf", "b.csv", HEADER "G04.1;2019;QPV;125;;;\nG04.1;2019;QP;150;;;\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  assert_int_equal(r.changed, 1);
  assert_int_equal(r.unchanged, 1);
  assert_non_null(strstr(r.report, "modifiée"));
  releve_ingest_result_free(&r);
  assert_int_equal(scalar("SELECT value FROM observations WHERE indicator = 'G04.1' AND "
                          "geography = 'QPV'"),
                   125);
  assert_int_equal(scalar("SELECT count(*) FROM revisions WHERE indicator = 'G04.1' AND "
                          "geography = 'QPV'"),
                   2);
}

static void test_every_problem_reported_nothing_stored(void **state) {
  releve_ingest_result r;
  long long before = scalar("SELECT count(*) FROM observations");
  (void)state;
  assert_int_equal(ingest("caf", "bad.csv",
                          HEADER "G04.1;2018;QPV;10;;;\n"   /* fine on its own */
                                 "Z99.9;2018;QPV;1;;;\n"    /* 3: unknown indicator */
                                 "G02.1;2018;QPV;1;;;\n"    /* 4: another actor's */
                                 "G04.1;2031;QPV;1;;;\n"    /* 5: outside the contract */
                                 "G04.1;2018-2019;QPV;1;;;\n" /* 6: wrong period kind */
                                 "G04.1;2018;QPZ;1;;;\n"    /* 7: unknown geography */
                                 "G04.1;2018;QP;1.5;;;\n"   /* 8: count not whole */
                                 "G04.1;2018;QVA;-3;;;\n"   /* 9: negative */
                                 "G04.1;2018;QPV;11;;;\n"   /* 10: same cell as line 2 */
                                 "G04.1;2018;PARIS;12;40;;\n" /* 11: share on a count */
                                 "G04.1;2018;75118;s;;provisoire;\n" /* fine */
                                 "G04.1;2019;75118;7;;secret;\n"     /* 13: secret with a value */
                                 "G04.1;2019;75119;abc;;;\n",        /* 14: not a number */
                          0, &r),
                   RELEVE_REFUSED);
  assert_int_equal(r.refused, 11);
  assert_non_null(strstr(r.report, "ligne 3, valeur « Z99.9 » : indicateur « Z99.9 » inconnu"));
  assert_non_null(strstr(r.report, "ligne 4, valeur « G02.1 » : l'indicateur G02.1 relève de"));
  assert_non_null(strstr(r.report, "ligne 5, valeur « 2031 » : période 2031 hors du contrat"));
  assert_non_null(strstr(r.report, "ligne 6, valeur « 2018-2019 » : période « 2018-2019 » "
                                   "illisible pour G04.1 ; une année (2018) attendue"));
  assert_non_null(strstr(r.report, "ligne 7, valeur « QPZ » : territoire « QPZ » inconnu"));
  assert_non_null(strstr(r.report, "ligne 8, colonne 4, valeur « 1.5 » : valeur hors limites ; "
                                   "un nombre entier positif ou nul est attendu"));
  assert_non_null(strstr(r.report, "ligne 9, colonne 4, valeur « -3 »"));
  assert_non_null(strstr(r.report, "ligne 10 : G04.1 2018 QPV est déjà donné ligne 2"));
  assert_non_null(strstr(r.report, "ligne 11, colonne 5, valeur « 40 » : l'indicateur G04.1 ne "
                                   "comporte pas de part"));
  assert_non_null(strstr(r.report, "ligne 13, colonne 4, valeur « 7 » : statut « secret »"));
  assert_non_null(strstr(r.report, "ligne 14, colonne 4, valeur « abc » : valeur illisible"));
  assert_non_null(strstr(r.report, "Aucune valeur de ce fichier n'a été enregistrée"));
  assert_int_equal(scalar("SELECT count(*) FROM observations"), before);
  assert_int_equal(scalar("SELECT count(*) FROM submissions WHERE outcome = 'refused' AND "
                          "name = 'bad.csv' AND refused = 11"),
                   1);
  releve_ingest_result_free(&r);
}

static void test_missing_column_and_dry_run(void **state) {
  releve_ingest_result r;
  long long before = scalar("SELECT count(*) FROM submissions");
  (void)state;
  assert_int_equal(ingest("caf", "cols.csv", "indicateur;periode;geographie;montant\n", 0, &r),
                   RELEVE_REFUSED);
  assert_non_null(strstr(r.report, "la colonne « valeur » est absente du fichier ; colonnes "
                                   "trouvées : indicateur, periode, geographie, montant"));
  releve_ingest_result_free(&r);
  assert_int_equal(ingest("caf", "dry.csv", HEADER "G04.1;2017;QPV;3;;;\n", 1, &r),
                   RELEVE_ACCEPTED);
  assert_non_null(strstr(r.report, "essai"));
  releve_ingest_result_free(&r);
  assert_int_equal(scalar("SELECT count(*) FROM observations WHERE period = '2017'"), 0);
  assert_int_equal(scalar("SELECT count(*) FROM submissions"), before + 1);
}

static void test_rows_mapping_aggregates(void **state) {
  releve_ingest_result r;
  (void)state;
  assert_int_equal(ingest("academie", "ecoles.csv",
                          "uai;type;ep;rentree;eleves\n"
                          "1;college;REP;2019-2020;400\n2;college;REP+;2019-2020;350\n"
                          "3;college;REP;2019-2020;500\n4;ecole;REP;2019-2020;200\n"
                          "5;college;;2019-2020;600\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  releve_ingest_result_free(&r);
  assert_int_equal(scalar("SELECT value FROM observations WHERE indicator = 'G03.1' AND "
                          "geography = 'REP' AND period = '2019-2020'"),
                   2);
  assert_int_equal(scalar("SELECT value FROM observations WHERE indicator = 'G03.1' AND "
                          "geography = 'REP+'"),
                   1);
  assert_int_equal(scalar("SELECT value FROM observations WHERE indicator = 'G03.2' AND "
                          "geography = 'REP'"),
                   900);
  /* The school outside education priority was left out, not an error. */
  assert_int_equal(scalar("SELECT count(*) FROM observations WHERE indicator LIKE 'G03.%'"), 4);
}

static void test_part_never_above_its_total(void **state) {
  releve_ingest_result r;
  (void)state;
  assert_int_equal(ingest("caf", "tot.csv", HEADER "G25.1;2016;QPV;12;;;\nG25.1;2016;QP;10;;;\n", 0,
                          &r),
                   RELEVE_REFUSED);
  assert_non_null(strstr(r.report, "ligne 2 : G25.1 2016 : QPV = 12 dépasse QP = 10 (ligne 3)"));
  releve_ingest_result_free(&r);
  assert_int_equal(ingest("caf", "tot2.csv", HEADER "G25.1;2016;QP;10;;;\nG25.1;2016;PARIS;40;;;\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  releve_ingest_result_free(&r);
  /* Against a figure stored earlier. */
  assert_int_equal(ingest("caf", "tot3.csv", HEADER "G25.1;2016;QVA;41;;;\n", 0, &r),
                   RELEVE_REFUSED);
  assert_non_null(strstr(r.report, "QVA = 41 dépasse QP = 10 (valeur déjà enregistrée)"));
  assert_non_null(strstr(r.report, "QVA = 41 dépasse PARIS = 40"));
  releve_ingest_result_free(&r);
  assert_int_equal(scalar("SELECT count(*) FROM observations WHERE geography = 'QVA'"), 0);
}

/* Ingests text as name for caf: refused, its report saying needle. */
static void refused_saying(const char *name, const char *text, const char *needle) {
  releve_ingest_result r;
  assert_int_equal(ingest("caf", name, text, 0, &r), RELEVE_REFUSED);
  if (strstr(r.report, needle) == NULL)
    fail_msg("no \"%s\" in:\n%s", needle, r.report);
  releve_ingest_result_free(&r);
}

/* A quartier of either QPV list is a part of QP and of QPV; a quartier de
 * veille active of the city's own list is not a part of QPV. */
static void test_quartier_never_above_its_scope(void **state) {
  releve_ingest_result r;
  (void)state;
  refused_saying("q1.csv", HEADER "G25.1;2017;QPV;10;;;\nG25.1;2017;QP075001;11;;;\n",
                 "QP075001 = 11 dépasse QPV = 10 (ligne 2)");
  refused_saying("q2.csv", HEADER "G25.1;2023;QP;10;;;\nG25.1;2023;QN07501M;11;;;\n",
                 "QN07501M = 11 dépasse QP = 10 (ligne 2)");
  assert_int_equal(ingest("caf", "q3.csv", HEADER "G25.1;2019;QPV;10;;;\nG25.1;2019;QVA075001;11;;;\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  releve_ingest_result_free(&r);
}

/* A value far from the same cell a year earlier is stored with a warning;
 * numbers read as a French reader writes them, every digit shown. */
static void test_jump_warned_numbers_in_full(void **state) {
  releve_ingest_result r;
  (void)state;
  assert_int_equal(ingest("caf", "j1.csv", HEADER "G15.1;2016;QP;10002015;;;\n"
                                                  "G15.1;2016;QPV;10;;;\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  assert_non_null(strstr(r.report, "10002015"));
  assert_null(strstr(r.report, "e+07"));
  assert_int_equal(r.warnings, 0);
  releve_ingest_result_free(&r);
  assert_int_equal(ingest("caf", "j2.csv", HEADER "G15.1;2017;QP;10002016;;;\n"
                                                  "G15.1;2017;QPV;45;;;\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  assert_non_null(strstr(r.report, "G15.1 2017 QPV = 45 contre 10 l'année précédente "
                                   "(rapport 4,5)"));
  assert_null(strstr(r.report, "QP = 10002016 contre"));
  releve_ingest_result_free(&r);
  assert_int_equal(scalar("SELECT value FROM observations WHERE indicator = 'G15.1' AND "
                          "period = '2017' AND geography = 'QPV'"),
                   45);
}

/* Asked for, the receipt is queued with the outcome, whatever it is; a dry
 * run queues nothing. */
static void test_receipt_queued_with_the_outcome(void **state) {
  static const struct {
    const char *name, *text;
    int dry;
    releve_outcome outcome;
  } files[] = {
      {"r1.csv", HEADER "G24.2;2020;QPV;3;;;\n", 0, RELEVE_ACCEPTED},
      {"r1-again.csv", HEADER "G24.2;2020;QPV;3;;;\n", 0, RELEVE_DUPLICATE},
      {"r2.csv", HEADER "Z99.9;2020;QPV;3;;;\n", 0, RELEVE_REFUSED},
      {"r3.csv", HEADER "G24.2;2021;QPV;3;;;\n", 1, RELEVE_ACCEPTED},
      {"r4.csv", HEADER "G24.2;2022;QPV;3;;;\n", 0, RELEVE_ACCEPTED},
  };
  releve_ingest_result r;
  long long before = scalar("SELECT count(*) FROM mail_queue");
  (void)state;
  with_receipt = 1;
  /* Each one after the other: nothing is left open in between. */
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    assert_int_equal(ingest("caf", files[i].name, files[i].text, files[i].dry, &r),
                     files[i].outcome);
    releve_ingest_result_free(&r);
  }
  with_receipt = 0;
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue") - before, 4);
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue WHERE recipients LIKE '%a@caf.example.org%' "
                          "AND (subject LIKE '%r1.csv accepté%' OR subject LIKE '%r1-again.csv%' "
                          "OR subject LIKE '%r2.csv refusé%' OR subject LIKE '%r4.csv accepté%')"),
                   4);
  /* The receipt opens on what the file did for the campaign. */
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue WHERE subject LIKE '%r4.csv%' AND "
                          "instr(message, 'Ce fichier a rempli 1 case attendue') > 0"),
                   1);
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue WHERE subject LIKE '%r2.csv%' AND "
                          "instr(message, 'Ce fichier a rempli 0 case attendue') > 0"),
                   1);
}

/* A figure for a geography no cell of the indicator expects is stored, and
 * said apart: it fills no cell and is not "ajoutée". */
static void test_context_figures_in_their_own_section(void **state) {
  releve_ingest_result r;
  (void)state;
  assert_int_equal(ingest("caf", "ctx.csv", HEADER "G04.1;2017;QPV;5;;;\n"
                                                   "G04.1;2017;75118;3;;;\n"
                                                   "G04.1;2017;75119;4;;;\n"
                                                   "G04.1;2017;PARIS;20;;;\n",
                          0, &r),
                   RELEVE_ACCEPTED);
  assert_int_equal(r.filled, 1);
  assert_int_equal(r.context, 3);
  assert_int_equal(r.added, 4); /* stored: the submission's count */
  assert_non_null(strstr(r.report, "4 valeurs reçues : 1 ajoutée, 0 modifiée, 0 inchangée ; "
                                   "3 hors référentiel, conservées pour information"));
  assert_non_null(strstr(r.report, "Valeurs enregistrées (1) :"));
  assert_non_null(strstr(r.report, "Hors référentiel (3)"));
  assert_non_null(strstr(r.report, "hors référentiel : 2 valeurs par arrondissement, conservées "
                                   "pour information"));
  assert_non_null(strstr(r.report, "hors référentiel : 1 valeur pour l'ensemble de Paris"));
  assert_null(strstr(r.report, "75118    3"));
  releve_ingest_result_free(&r);
  /* Nothing is lost: the context figures are in the store. */
  assert_int_equal(scalar("SELECT count(*) FROM observations WHERE indicator = 'G04.1' AND "
                          "period = '2017'"),
                   4);
}

/* Three bad values among good ones: the report lists the three, in one
 * pass, says the others were read and not stored, and nothing is. */
static void test_three_bad_values_one_pass(void **state) {
  releve_ingest_result r;
  long long before = scalar("SELECT count(*) FROM observations");
  (void)state;
  assert_int_equal(ingest("caf", "three.csv", HEADER "G25.1;2016;QPV;4;;;\n"
                                                     "G25.1;2016;QP;x;;;\n"
                                                     "G25.2;2016;QPV;-1;;;\n"
                                                     "G25.2;2016;QP;9;;;\n"
                                                     "G25.3;2016;QPV;1/2;;;\n",
                          0, &r),
                   RELEVE_REFUSED);
  assert_int_equal(r.refused, 3);
  assert_non_null(strstr(r.report, "Problèmes à corriger (3) :"));
  assert_non_null(strstr(r.report, "ligne 3, colonne 4, valeur « x »"));
  assert_non_null(strstr(r.report, "ligne 4, colonne 4, valeur « -1 »"));
  assert_non_null(strstr(r.report, "ligne 6, colonne 4, valeur « 1/2 »"));
  assert_non_null(strstr(r.report, "Valeurs lues, non enregistrées : 2."));
  assert_null(strstr(r.report, "Valeurs enregistrées"));
  assert_null(strstr(r.report, "ajoutée"));
  assert_int_equal(scalar("SELECT count(*) FROM observations"), before);
  releve_ingest_result_free(&r);
}

/* Reports give Paris time, said so, whatever zone the process has; the
 * process's own zone is left as it was. */
static void test_paris_time_under_utc(void **state) {
  releve_ingest_result r;
  char winter[48], summer[48];
  (void)state;
  setenv("TZ", "UTC", 1);
  tzset();
  releve_clock_paris_text(1768478400, winter); /* 2026-01-15 12:00 UTC */
  releve_clock_paris_text(1784116800, summer); /* 2026-07-15 12:00 UTC */
  assert_string_equal(winter, "15/01/2026 à 13:00 (heure de Paris)");
  assert_string_equal(summer, "15/07/2026 à 14:00 (heure de Paris)");
  /* The changes of the last Sundays of March and October, at 01:00 UTC. */
  releve_clock_paris_text(1774745999, winter);
  releve_clock_paris_text(1774746000, summer);
  assert_string_equal(winter, "29/03/2026 à 01:59 (heure de Paris)");
  assert_string_equal(summer, "29/03/2026 à 03:00 (heure de Paris)");
  releve_clock_paris_text(1792889999, summer);
  releve_clock_paris_text(1792890000, winter);
  assert_string_equal(summer, "25/10/2026 à 02:59 (heure de Paris)");
  assert_string_equal(winter, "25/10/2026 à 02:00 (heure de Paris)");
  releve_clock_paris_text(1572137999, summer); /* 2019: October 27 */
  assert_string_equal(summer, "27/10/2019 à 02:59 (heure de Paris)");
  assert_string_equal(getenv("TZ"), "UTC");
  assert_int_equal(ingest("caf", "tz.csv", HEADER "G26.1;2016;QPV;4;;;\n", 0, &r),
                   RELEVE_ACCEPTED);
  assert_non_null(strstr(r.report, "(heure de Paris)\n"));
  assert_null(strstr(r.report, "UTC"));
  releve_ingest_result_free(&r);
  unsetenv("TZ");
  tzset();
}

/* A file recorded just before a crash, or that could not leave
 * processing/, is found there again, as many times as it is retried: its
 * outcome and report come back, nothing is recorded or queued twice. A
 * recovered file that was not recorded is ingested as any other. */
static void test_recovered_file_recorded_once(void **state) {
  static const char accepted[] = HEADER "G24.2;2016;QPV;9;;;\n";
  static const char refused[] = HEADER "Z99.9;2016;QPV;9;;;\n";
  releve_ingest_result first, again;
  long long subs, mails;
  (void)state;
  with_receipt = 1;
  for (int k = 0; k < 2; k++) {
    const char *text = k ? refused : accepted;
    assert_int_equal(ingest("caf", "crash.csv", text, 0, &first),
                     k ? RELEVE_REFUSED : RELEVE_ACCEPTED);
    subs = scalar("SELECT count(*) FROM submissions");
    mails = scalar("SELECT count(*) FROM mail_queue");
    retry = 1;
    assert_int_equal(ingest("caf", "crash.csv", text, 0, &again), first.outcome);
    retry = 0;
    assert_int_equal(again.submission, first.submission);
    assert_string_equal(again.report, first.report);
    assert_int_equal(again.added, first.added);
    assert_int_equal(scalar("SELECT count(*) FROM submissions"), subs);
    assert_int_equal(scalar("SELECT count(*) FROM mail_queue"), mails);
    releve_ingest_result_free(&again);
    /* Retried again (a file that cannot leave processing/), and under the
     * name it was claimed as when "crash.csv" was taken there. */
    retry = 1;
    assert_int_equal(ingest("caf", "crash.csv", text, 0, &again), first.outcome);
    releve_ingest_result_free(&again);
    assert_int_equal(ingest("caf", "crash~2.csv", text, 0, &again), first.outcome);
    retry = 0;
    assert_int_equal(again.submission, first.submission);
    assert_int_equal(scalar("SELECT count(*) FROM submissions"), subs);
    assert_int_equal(scalar("SELECT count(*) FROM mail_queue"), mails);
    releve_ingest_result_free(&first);
    releve_ingest_result_free(&again);
  }
  /* Bytes no submission recorded: a real ingest, a new submission. */
  retry = 1;
  assert_int_equal(ingest("caf", "crash.csv", HEADER "G24.2;2017;QPV;9;;;\n", 0, &again),
                   RELEVE_ACCEPTED);
  retry = 0;
  with_receipt = 0;
  assert_int_equal(again.added, 1);
  assert_int_equal(scalar("SELECT count(*) FROM submissions"), subs + 1);
  releve_ingest_result_free(&again);
}

static void test_plugin_crash_is_not_ours_in_process(void **state) {
  releve_ingest_result r;
  (void)state;
  /* A file that cannot be read at all (a directory) is refused, kept. */
  char *sub = releve_str_printf("%s/adir", dir);
  releve_ingest_request req;
  releve_fs_mkdir_p(sub, 0755);
  memset(&req, 0, sizeof req);
  req.actor = "caf";
  req.path = sub;
  req.channel = "spool";
  assert_int_equal(releve_ingest_file(&env, &req, &r), 0);
  assert_int_equal(r.outcome, RELEVE_REFUSED);
  assert_non_null(strstr(r.report, "ce n'est pas un fichier ordinaire"));
  releve_ingest_result_free(&r);
  free(sub);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accept_then_duplicate_then_revision),
      cmocka_unit_test(test_every_problem_reported_nothing_stored),
      cmocka_unit_test(test_missing_column_and_dry_run),
      cmocka_unit_test(test_rows_mapping_aggregates),
      cmocka_unit_test(test_part_never_above_its_total),
      cmocka_unit_test(test_quartier_never_above_its_scope),
      cmocka_unit_test(test_jump_warned_numbers_in_full),
      cmocka_unit_test(test_receipt_queued_with_the_outcome),
      cmocka_unit_test(test_recovered_file_recorded_once),
      cmocka_unit_test(test_plugin_crash_is_not_ours_in_process),
      cmocka_unit_test(test_context_figures_in_their_own_section),
      cmocka_unit_test(test_three_bad_values_one_pass),
      cmocka_unit_test(test_paris_time_under_utc),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
