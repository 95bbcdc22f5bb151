/* Choosing the reader of a file: the real partner plugins on their real
 * fixtures (none, one, two recognise it), a forced plugin, the actor's
 * order, ABI 1.0 plugins, and the "plugins" key of the configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode/reader.h"
#include "decode/workbook.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/buf.h"
#include "util/str.h"

/* The first bytes of a file of the source tree, as the host reads them. */
typedef struct file_head {
  unsigned char bytes[RELEVE_PLUGIN_HEAD_MAX];
  size_t n;
} file_head;

static void read_head(const char *rel, file_head *h) {
  char *path = releve_str_printf("%s/%s", RELEVE_SOURCE_DIR, rel);
  int fd = open(path, O_RDONLY);
  ssize_t n;
  assert_true(fd >= 0);
  n = read(fd, h->bytes, sizeof h->bytes);
  assert_true(n > 0);
  h->n = (size_t)n;
  close(fd);
  free(path);
}

static releve_plugins real;

static int setup(void **state) {
  (void)state;
  return releve_plugins_load(&real, RELEVE_BUILD_PLUGIN_DIR);
}

static int teardown(void **state) {
  (void)state;
  releve_plugins_unload(&real);
  return 0;
}

static const char *caf_list[] = {"caf", "template", NULL};
static const releve_actor caf = {.id = "caf", .plugins = caf_list, .n_plugins = 2,
                                 .plugin = "caf"};

static const char *choose(const releve_plugins *p, const releve_actor *a, const char *forced,
                          const char *fixture, releve_reader_choice *c, char **why) {
  static file_head h;
  read_head(fixture, &h);
  if (releve_reader_choose(p, a, forced, h.bytes, h.n, fixture, c, why) != 0)
    return NULL;
  assert_null(*why);
  return c->plugin->name;
}

/* Which plugins recognise each real fixture. The CAF's reader takes any
 * table keyed by commune code, so it recognises the Académie's and Pôle
 * emploi's exports too: the actor's order then decides. */
static void test_which_plugins_recognise_each_fixture(void **state) {
  static const struct {
    const char *fixture, *recognised_by;
  } cases[] = {
      {"plugins/caf/fixtures/caf_current_reconstructed.csv", "caf"},
      {"plugins/caf/fixtures/caf_old_rsa_reconstructed.csv", "caf"},
      {"plugins/caf/fixtures/broken_binary.csv", ""},
      {"plugins/academie/fixtures/annuaire_paris_reconstructed.csv", "caf academie"},
      {"plugins/academie/fixtures/broken_utf16.csv", ""},
      {"plugins/pole-emploi/fixtures/dares_defm_communales_labels_reconstructed.csv",
       "caf pole-emploi"},
      {"plugins/mission-locale/fixtures/imilo_jeunes_reconstructed.json", "mission-locale"},
      {"plugins/mission-locale/fixtures/imilo_wrapped_reconstructed.json", "mission-locale"},
      {"plugins/template/fixtures/template_collecte_reconstructed.csv", "template"},
      {"plugins/template/fixtures/template_cp1252_reconstructed.csv", "template"},
      {"plugins/template/fixtures/broken_no_header.csv", ""},
      {"plugins/template/fixtures/broken_xlsx.csv", ""}};
  static const char *names[] = {"caf", "academie", "pole-emploi", "mission-locale", "template"};
  file_head h;
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    releve_buf got = RELEVE_BUF_INIT;
    read_head(cases[i].fixture, &h);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
      const releve_plugin *p = releve_plugins_find(&real, names[k]);
      assert_non_null(p);
      assert_true(RELEVE_PLUGIN_HAS(p, recognise) && p->recognise != NULL);
      if (p->recognise(h.bytes, h.n, cases[i].fixture) > 0)
        releve_buf_addf(&got, "%s%s", got.data ? " " : "", names[k]);
    }
    if (strcmp(got.data ? got.data : "", cases[i].recognised_by) != 0)
      fail_msg("%s: recognised by \"%s\", expected \"%s\"", cases[i].fixture,
               got.data ? got.data : "", cases[i].recognised_by);
    releve_buf_free(&got);
  }
}

/* The head is the file's first RELEVE_PLUGIN_HEAD_MAX bytes: a header
 * past them is not found, and a line cut at the end is not read. */
static void test_head_limits(void **state) {
  const releve_plugin *t = releve_plugins_find(&real, "template");
  static unsigned char big[RELEVE_PLUGIN_HEAD_MAX];
  static const char header[] = "indicateur;periode;geographie;valeur\n";
  (void)state;
  memset(big, '\n', sizeof big);
  memcpy(big + sizeof big - 17, "indicateur;valeur", 17); /* cut: no end of line */
  assert_int_equal(t->recognise(big, sizeof big, "x.csv"), 0);
  memcpy(big, "# titre\n", 8);
  memcpy(big + 8, header, sizeof header - 1);
  assert_int_equal(t->recognise(big, sizeof big, "x.csv"), 100);
  assert_int_equal(t->recognise(big, 0, "x.csv"), 0);
}

static void test_one_recognises(void **state) {
  releve_reader_choice c;
  char *why;
  (void)state;
  /* The CAF's own export: its plugin, with its options and mapping. */
  assert_string_equal(
      choose(&real, &caf, NULL, "plugins/caf/fixtures/caf_current_reconstructed.csv", &c, &why),
      "caf");
  assert_true(c.primary);
  assert_int_equal(c.n_others, 0);
  assert_null(releve_reader_note(&c, &caf));
  /* The collection table filled by the CAF: the template reader. */
  assert_string_equal(choose(&real, &caf, NULL,
                             "plugins/template/fixtures/template_collecte_reconstructed.csv", &c,
                             &why),
                      "template");
  assert_false(c.primary);
  assert_int_equal(c.confidence, 100);
}

static void test_none_recognises(void **state) {
  releve_reader_choice c;
  char *why;
  (void)state;
  assert_null(choose(&real, &caf, NULL,
                     "plugins/mission-locale/fixtures/imilo_jeunes_reconstructed.json", &c, &why));
  assert_null(c.plugin);
  assert_non_null(strstr(why, "aucun des formats que cet acteur peut envoyer"));
  assert_non_null(strstr(why, "export open data de la CAF par commune (CSV, .xlsx ou .ods) (module « caf »)"));
  assert_non_null(strstr(why, "tableau de collecte du référentiel (CSV, .xlsx ou .ods) (module « template »)"));
  assert_null(strstr(why, "Mission"));
  free(why);
  /* Old binary Excel and a broken CAF file are no format of this actor. */
  assert_null(
      choose(&real, &caf, NULL, "plugins/template/fixtures/broken_xlsx.csv", &c, &why));
  free(why);
}

static void test_forced(void **state) {
  releve_reader_choice c;
  char *why, *note;
  (void)state;
  /* Forced, the template reader reads a CAF export it does not recognise. */
  assert_string_equal(choose(&real, &caf, "template",
                             "plugins/caf/fixtures/caf_current_reconstructed.csv", &c, &why),
                      "template");
  assert_true(c.forced);
  assert_false(c.primary);
  note = releve_reader_note(&c, &caf);
  assert_non_null(strstr(note, "« template » imposé par l'administrateur"));
  free(note);
  /* A plugin of another actor may be forced too; an unknown one refuses. */
  assert_string_equal(choose(&real, &caf, "academie",
                             "plugins/caf/fixtures/caf_current_reconstructed.csv", &c, &why),
                      "academie");
  assert_null(choose(&real, &caf, "nope", "plugins/caf/fixtures/caf_current_reconstructed.csv",
                     &c, &why));
  assert_non_null(strstr(why, "« nope » demandé n'est pas disponible"));
  free(why);
}

/* Two plugins that recognise every file, and one built for ABI 1.0. */
static int all(const unsigned char *head, size_t n, const char *file_name) {
  (void)head;
  (void)file_name;
  return n > 0 ? 60 : 0;
}
static int never(const unsigned char *head, size_t n, const char *file_name) {
  (void)head;
  (void)n;
  (void)file_name;
  return 0;
}
static int no_decode(const releve_decode_args *a) {
  (void)a;
  return 0;
}
static const releve_plugin alpha = {RELEVE_PLUGIN_ABI_MAJOR, sizeof(releve_plugin), "alpha", "1",
                                    "", NULL, no_decode, all, "format alpha", 0};
static const releve_plugin beta = {RELEVE_PLUGIN_ABI_MAJOR, sizeof(releve_plugin), "beta", "1",
                                   "", NULL, no_decode, all, NULL, 0};
static const releve_plugin gamma_ = {RELEVE_PLUGIN_ABI_MAJOR, sizeof(releve_plugin), "gamma", "1",
                                     "", NULL, no_decode, never, "format gamma", 0};
/* recognise lies past struct_size: the host must not read it. */
static const releve_plugin legacy = {RELEVE_PLUGIN_ABI_MAJOR, RELEVE_PLUGIN_MIN_SIZE, "legacy",
                                     "1", "", NULL, no_decode, never, "never read", 0};

static releve_plugins synthetic(void) {
  static releve_loaded_plugin items[4];
  static const releve_plugin *const descs[4] = {&alpha, &beta, &gamma_, &legacy};
  releve_plugins p = {NULL, items, 4};
  for (size_t i = 0; i < 4; i++)
    items[i].desc = descs[i];
  return p;
}

static void test_two_recognise_order_decides(void **state) {
  static const char *ab[] = {"gamma", "alpha", "beta", NULL}, *ba[] = {"beta", "alpha", NULL};
  releve_actor a = {.id = "dasco", .plugins = ab, .n_plugins = 3, .plugin = "gamma"};
  releve_plugins p = synthetic();
  releve_reader_choice c;
  char *why, *note;
  (void)state;
  assert_string_equal(choose(&p, &a, NULL, "conf/releve.json", &c, &why), "alpha");
  assert_false(c.primary); /* gamma, the first, did not recognise it */
  assert_int_equal(c.confidence, 60);
  assert_int_equal(c.n_others, 1);
  assert_string_equal(c.others[0], "beta");
  note = releve_reader_note(&c, &a);
  assert_string_equal(note, "ce fichier est reconnu par les modules « alpha » et « beta » ; "
                            "l'ordre configuré pour cet acteur (gamma, alpha, beta) désigne "
                            "« alpha »");
  free(note);
  a.plugins = ba;
  a.n_plugins = 2;
  a.plugin = "beta";
  assert_string_equal(choose(&p, &a, NULL, "conf/releve.json", &c, &why), "beta");
  assert_true(c.primary);
  assert_string_equal(c.others[0], "alpha");
  /* Without a format text the name stands for it. */
  assert_string_equal(releve_reader_format(&beta), "beta");
  assert_string_equal(releve_reader_format(&alpha), "format alpha");
  assert_string_equal(releve_reader_format(&legacy), "legacy");
}

static void test_legacy_plugin_takes_every_file(void **state) {
  static const char *list[] = {"gamma", "legacy", "alpha", NULL};
  releve_actor a = {.id = "dasco", .plugins = list, .n_plugins = 3, .plugin = "gamma"};
  releve_plugins p = synthetic();
  releve_reader_choice c;
  char *why;
  (void)state;
  assert_string_equal(choose(&p, &a, NULL, "conf/releve.json", &c, &why), "legacy");
  assert_int_equal(c.confidence, 1);
  /* Only gamma, which recognises nothing: refused, naming its format. */
  a.n_plugins = 1;
  assert_null(choose(&p, &a, NULL, "conf/releve.json", &c, &why));
  assert_non_null(strstr(why, "format gamma (module « gamma »)"));
  free(why);
  /* A listed plugin missing from the folder is skipped and said. */
  list[0] = "missing";
  list[1] = "gamma";
  a.n_plugins = 2;
  assert_null(choose(&p, &a, NULL, "conf/releve.json", &c, &why));
  assert_non_null(strstr(why, "1 module de cet acteur indisponible"));
  free(why);
  a.n_plugins = 1;
  assert_null(choose(&p, &a, NULL, "conf/releve.json", &c, &why));
  assert_non_null(strstr(why, "aucun module de lecture de cet acteur n'est disponible"));
  free(why);
}

static void test_config_plugins_key(void **state) {
  char *dir = test_config_dir("reader-config");
  releve_diags d = {0};
  releve_config cfg;
  const releve_actor *a;
  (void)state;
  assert_int_equal(
      test_config_load(dir,
                       "{\"plugins\": \"plugins\", \"actors\": ["
                       "{\"id\": \"caf\", \"emails\": [\"a@caf.example.org\"], "
                       "\"plugins\": [\"caf\", \"pole-emploi\"]},"
                       "{\"id\": \"academie\", \"emails\": [\"a@ac.example.org\"], "
                       "\"plugins\": [\"template\", \"academie\"]},"
                       "{\"id\": \"pole-emploi\", \"emails\": [\"a@pe.example.org\"], "
                       "\"plugin\": \"pole-emploi\"}]}",
                       &d, &cfg),
      0);
  a = releve_config_actor(&cfg, "caf");
  assert_int_equal(a->n_plugins, 3);
  assert_string_equal(a->plugins[2], "template"); /* implied, last */
  assert_null(a->plugins[3]);
  assert_string_equal(a->plugin, "caf");
  assert_true(a->template_implied);
  a = releve_config_actor(&cfg, "academie");
  assert_int_equal(a->n_plugins, 2); /* listed: kept where it is */
  assert_string_equal(a->plugins[0], "template");
  assert_false(a->template_implied);
  a = releve_config_actor(&cfg, "pole-emploi");
  assert_int_equal(a->n_plugins, 2);
  assert_string_equal(a->plugins[0], "pole-emploi");
  a = releve_config_actor(&cfg, "dasco"); /* not configured: the collection table */
  assert_int_equal(a->n_plugins, 1);
  assert_string_equal(a->plugin, "template");
  /* check-config: names against the folder. */
  releve_diags_free(&d);
  releve_readers_check_config(&cfg, &real, "releve.json", &d);
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_ERROR), 0);
  releve_plugins_unload(&real);
  assert_int_equal(releve_plugins_load(&real, RELEVE_TEST_PLUGIN_DIR), 0);
  releve_readers_check_config(&cfg, &real, "releve.json", &d);
  assert_string_equal(test_error_with(&d, "no plugin \"pole-emploi\"")->key,
                      "actors[0].plugins");
  test_error_with(&d, "actor \"academie\": no plugin \"template\""); /* named: an error */
  assert_int_equal(releve_diags_count(&d, RELEVE_DIAG_WARNING), 1); /* implied: a warning */
  releve_plugins_unload(&real);
  assert_int_equal(releve_plugins_load(&real, RELEVE_BUILD_PLUGIN_DIR), 0);
  releve_diags_free(&d);
  releve_config_free(&cfg);

  assert_int_equal(test_config_load(dir,
                                    "{\"plugins\": \"plugins\", \"actors\": ["
                                    "{\"id\": \"caf\", \"emails\": [\"a@caf.example.org\"], "
                                    "\"plugins\": [\"caf\", \"template\", \"caf\", 3]},"
                                    "{\"id\": \"academie\", \"emails\": [\"a@ac.example.org\"], "
                                    "\"plugin\": \"academie\", \"plugins\": [\"academie\"]},"
                                    "{\"id\": \"dasco\", \"emails\": [\"a@ac.example.org\"], "
                                    "\"plugins\": []}]}",
                                    &d, &cfg),
                   4);
  assert_string_equal(test_error_with(&d, "\"caf\" is listed twice")->key, "actors[0].plugins[2]");
  assert_string_equal(test_error_with(&d, "a plugin name is expected")->key,
                      "actors[0].plugins[3]");
  test_error_with(&d, "both \"plugin\" and \"plugins\" are given");
  test_error_with(&d, "a non-empty list of plugin names is expected");
  releve_diags_free(&d);
  releve_config_free(&cfg);
  free(dir);
}

/* Workbooks are judged sheet by sheet on their first rows as CSV lines:
 * the collection table behind a "Mode d'emploi" sheet goes to template, the
 * CAF's export saved as .xlsx and as .ods to caf; a refused workbook says
 * why. */
typedef struct heads {
  releve_reader_head head[RELEVE_WORKBOOK_HEAD_SHEETS];
  unsigned char *copy[RELEVE_WORKBOOK_HEAD_SHEETS];
  size_t n;
} heads;

static int keep(void *ud, const unsigned char *head, size_t n) {
  heads *h = ud;
  h->copy[h->n] = malloc(n + 1);
  memcpy(h->copy[h->n], head, n);
  h->head[h->n] = (releve_reader_head){h->copy[h->n], n};
  h->n++;
  return 0;
}

static const char *choose_book(const char *rel, char **why) {
  static char name[32];
  char *path = releve_str_printf("%s/%s", RELEVE_SOURCE_DIR, rel);
  int fd = open(path, O_RDONLY);
  heads h = {.n = 0};
  releve_reader_choice c;
  assert_true(fd >= 0);
  int rc = releve_workbook_heads(fd, RELEVE_PLUGIN_HEAD_MAX, keep, &h, why);
  close(fd);
  free(path);
  if (rc < 0)
    return NULL;
  assert_int_equal(rc, 1);
  assert_null(*why);
  rc = releve_reader_choose_heads(&real, &caf, NULL, h.head, h.n, rel, &c, why);
  snprintf(name, sizeof name, "%s", rc == 0 ? c.plugin->name : "");
  for (size_t i = 0; i < h.n; i++)
    free(h.copy[i]);
  return name;
}

static void test_workbooks(void **state) {
  (void)state;
  char *why = NULL;
  assert_string_equal(choose_book("plugins/template/fixtures/template_sheets.xlsx", &why),
                      "template");
  assert_string_equal(choose_book("plugins/caf/fixtures/caf_current_reconstructed.xlsx", &why),
                      "caf");
  assert_string_equal(choose_book("plugins/caf/fixtures/caf_current_reconstructed.ods", &why),
                      "caf");
  assert_string_equal(
      choose_book("plugins/template/fixtures/template_collecte_reconstructed.ods", &why),
      "template");
  assert_null(choose_book("plugins/template/fixtures/broken_xlsx.csv", &why));
  assert_non_null(strstr(why, "archive du classeur abîmée ou tronquée"));
  free(why);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_which_plugins_recognise_each_fixture),
      cmocka_unit_test(test_head_limits),
      cmocka_unit_test(test_one_recognises),
      cmocka_unit_test(test_none_recognises),
      cmocka_unit_test(test_forced),
      cmocka_unit_test(test_two_recognise_order_decides),
      cmocka_unit_test(test_legacy_plugin_takes_every_file),
      cmocka_unit_test(test_config_plugins_key),
      cmocka_unit_test(test_workbooks),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
