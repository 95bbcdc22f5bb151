/* Claiming partner files: moves never replace, links and special files are
 * recognised without being followed or opened; folder listings; odd and
 * long names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool/claim.h"
#include "util/log.h"
#include "spool/spool.h"
#include "util/name.h"
#include "testutil.h"
#include "util/str.h"
#include "util/fs.h"

static char *dir, *in, *out;

static int setup(void **state) {
  (void)state;
  dir = test_dir("claim");
  in = releve_str_printf("%s/in", dir);
  out = releve_str_printf("%s/out", dir);
  assert_int_equal(releve_fs_mkdir_p(in, 0755), 0);
  assert_int_equal(releve_fs_mkdir_p(out, 0755), 0);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(in);
  free(out);
  free(dir);
  return 0;
}

static void test_names(void **state) {
  (void)state;
  assert_true(releve_name_ok("a.csv"));
  assert_false(releve_name_ok(""));
  assert_false(releve_name_ok("."));
  assert_false(releve_name_ok(".."));
  assert_false(releve_name_ok("a/b"));
  assert_false(releve_name_ok(NULL));
  assert_true(releve_name_ignored(".x.part"));
  assert_true(releve_name_ignored("x.filepart"));
  assert_true(releve_name_ignored("x.tmp"));
  assert_false(releve_name_ignored("x.csv"));
}

static void test_move_never_replaces(void **state) {
  char *final = NULL;
  (void)state;
  free(test_file(in, "f.csv", "one"));
  assert_int_equal(releve_claim_move(in, "f.csv", out, &final), 0);
  assert_string_equal(final, "f.csv");
  free(final);
  free(test_file(in, "f.csv", "two"));
  assert_int_equal(releve_claim_move(in, "f.csv", out, &final), 0);
  assert_string_equal(final, "f~2.csv");
  free(final);
  free(test_file(in, "noext", "x"));
  free(test_file(out, "noext", "y"));
  assert_int_equal(releve_claim_move(in, "noext", out, &final), 0);
  assert_string_equal(final, "noext~2");
  free(final);
  assert_int_equal(releve_claim_move(in, "gone.csv", out, &final), -ENOENT);
  assert_null(final);
  assert_int_equal(releve_claim_move(in, "..", out, &final), -EINVAL);
}

static void test_check_kinds(void **state) {
  char *p;
  (void)state;
  free(test_file(out, "plain.csv", "x"));
  assert_int_equal(releve_claim_check(out, "plain.csv"), RELEVE_CLAIM_REGULAR);
  p = releve_str_printf("%s/lien.csv", out);
  assert_int_equal(symlink("/etc/passwd", p), 0);
  free(p);
  assert_int_equal(releve_claim_check(out, "lien.csv"), RELEVE_CLAIM_SYMLINK);
  p = releve_str_printf("%s/tube", out);
  assert_int_equal(mkfifo(p, 0600), 0);
  free(p);
  assert_int_equal(releve_claim_check(out, "tube"), RELEVE_CLAIM_NOT_REGULAR);
  p = releve_str_printf("%s/dossier", out);
  assert_int_equal(mkdir(p, 0700), 0);
  free(p);
  assert_int_equal(releve_claim_check(out, "dossier"), RELEVE_CLAIM_NOT_REGULAR);
  {
    char *a = releve_str_printf("%s/plain.csv", out), *b = releve_str_printf("%s/dur.csv", out);
    assert_int_equal(link(a, b), 0);
    free(a);
    free(b);
  }
  assert_int_equal(releve_claim_check(out, "dur.csv"), RELEVE_CLAIM_LINKS);
  assert_int_equal(releve_claim_check(out, "absent"), -ENOENT);
  assert_non_null(strstr(releve_claim_reason(RELEVE_CLAIM_SYMLINK), "lien symbolique refusé"));
  assert_null(releve_claim_reason(RELEVE_CLAIM_REGULAR));
}

static void test_settle_and_list(void **state) {
  char *final = NULL, **names;
  const char *report;
  size_t n;
  (void)state;
  free(test_file(in, "b.csv", "b"));
  free(test_file(in, "a.csv", "a"));
  assert_int_equal(releve_spool_list(in, &names, &n), 0);
  assert_int_equal(n, 2);
  assert_string_equal(names[0], "a.csv");
  assert_string_equal(names[1], "b.csv");
  assert_null(names[2]);
  releve_spool_names_free(names);
  report = "Résultat : aucune donnée enregistrée\n";
  assert_int_equal(releve_claim_settle(in, "a.csv", out, report, &final), 0);
  assert_string_equal(final, "a.csv");
  free(final);
  {
    char *r = releve_str_printf("%s/a.csv.rapport.txt", out), *data;
    size_t len;
    assert_int_equal(releve_fs_read_file(r, &data, &len), 0);
    assert_non_null(strstr(data, "aucune donnée"));
    free(data);
    free(r);
  }
}

/* Names a partner may send: escaped for logs and reports, made safe for
 * the spool, cut to fit beside their report. */
static void test_odd_and_long_names(void **state) {
  char *e, *v, name[300], *final = NULL;
  (void)state;
  e = releve_log_escape("a\nb\\c\x1b[31m\xe9t\xc3\xa9.csv");
  assert_string_equal(e, "a\\x0ab\\\\c\\x1b[31m\\xe9t\xc3\xa9.csv");
  free(e);
  assert_true(releve_log_clean_name("Résultats 2019 (v2).csv"));
  assert_false(releve_log_clean_name("a\tb.csv"));
  assert_false(releve_log_clean_name("caf\xe9.csv"));
  assert_false(releve_log_clean_name("\xc0\xaf.csv"));        /* overlong '/' */
  assert_false(releve_log_clean_name("\xed\xa0\x80.csv"));    /* a surrogate */
  assert_false(releve_log_clean_name("\xc2\x85.csv"));        /* C1 NEL */
  e = releve_log_safe_name("a\nb\xe9\xc3\xa9.csv");
  assert_string_equal(e, "a_b_\xc3\xa9.csv");
  free(e);
  /* 244 bytes of "é…é.csv": cut to 227 at most with its extension, and
   * between two characters (221 bytes of room for the stem: 220 kept). */
  for (int i = 0; i < 120; i++)
    memcpy(name + 2 * i, "\xc3\xa9", 2);
  strcpy(name + 240, ".csv");
  v = releve_name_variant(name, 1, RELEVE_CLAIM_KEPT_NAME_MAX);
  assert_true(strlen(v) <= RELEVE_CLAIM_KEPT_NAME_MAX);
  assert_int_equal(strncmp(v + strlen(v) - 6, "~1.csv", 6), 0);
  assert_true(releve_log_clean_name(v));
  assert_true(releve_name_variant_of(name, v, RELEVE_CLAIM_KEPT_NAME_MAX));
  free(v);
  v = releve_name_variant("court.csv", 1, RELEVE_CLAIM_KEPT_NAME_MAX);
  assert_string_equal(v, "court.csv");
  free(v);
  assert_true(releve_name_variant_of("court.csv", "court~12.csv", 255));
  assert_false(releve_name_variant_of("court.csv", "autre~2.csv", 255));
  assert_false(releve_name_variant_of("court.csv", "court~x.csv", 255));
  /* Settled with its report although "<name>.rapport.txt" would not fit. */
  free(test_file(in, name, "x"));
  assert_int_equal(releve_claim_settle(in, name, out, "rapport\n", &final), 0);
  assert_true(strlen(final) <= RELEVE_CLAIM_KEPT_NAME_MAX);
  v = releve_str_printf("%s/%s.rapport.txt", out, final);
  assert_int_equal(access(v, F_OK), 0);
  free(v);
  free(final);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_move_never_replaces),
      cmocka_unit_test(test_check_kinds),
      cmocka_unit_test(test_settle_and_list),
      cmocka_unit_test(test_odd_and_long_names),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
