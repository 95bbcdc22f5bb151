/* The plugin host refuses wrong plugins, one log line each, and still loads
 * the others; options are checked against the plugin's table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "decode/plugin_host.h"
#include "testutil.h"
#include "util/str.h"
#include "util/path.h"

static const releve_loaded_plugin *by_file(const releve_plugins *p, const char *base) {
  size_t i;
  for (i = 0; i < p->n; i++)
    if (strcmp(releve_path_basename(p->items[i].file), base) == 0)
      return &p->items[i];
  fail_msg("no %s in the plugin folder", base);
  return NULL;
}

static void test_refusals_and_loads(void **state) {
  releve_plugins p;
  (void)state;
  chmod(RELEVE_TEST_PLUGIN_DIR, 0755);
  assert_int_equal(releve_plugins_load(&p, RELEVE_TEST_PLUGIN_DIR), 0);
  assert_int_equal(p.n, 4);
  assert_non_null(releve_plugins_find(&p, "lines"));
  assert_null(by_file(&p, "lines.so")->refused);
  assert_non_null(strstr(by_file(&p, "bad_abi.so")->refused, "ABI 2, this relevé speaks ABI 1"));
  assert_non_null(strstr(by_file(&p, "no_entry.so")->refused, "no releve_plugin_entry_v1"));
  assert_non_null(strstr(by_file(&p, "small_struct.so")->refused, "descriptor of 8 bytes"));
  assert_null(releve_plugins_find(&p, "bad-abi"));
  releve_plugins_unload(&p);
}

static void test_group_writable_file_refused(void **state) {
  releve_plugins p;
  char *dir = test_dir("plugin-perm");
  char *cmd = releve_str_printf("cp %s/lines.so %s/lines.so && chmod 0775 %s/lines.so",
                             RELEVE_TEST_PLUGIN_DIR, dir, dir);
  (void)state;
  assert_int_equal(system(cmd), 0);
  chmod(dir, 0755);
  assert_int_equal(releve_plugins_load(&p, dir), 0);
  assert_int_equal(p.n, 1);
  assert_string_equal(p.items[0].refused, "writable by group or others");
  releve_plugins_unload(&p);
  /* A group-writable folder: nothing is loaded from it at all. */
  chmod(dir, 0775);
  assert_int_equal(releve_plugins_load(&p, dir), -EPERM);
  releve_plugins_unload(&p);
  free(cmd);
  free(dir);
}

/* Plugins that crash, abort, exit or hang while loading are refused as
 * broken, each with what happened, and the good one beside them loads. */
static void test_broken_while_loading(void **state) {
  releve_plugins p;
  char *dir = test_dir("plugin-broken");
  char *cmd = releve_str_printf("cp %s/*.so %s/lines.so %s", RELEVE_BAD_LOAD_PLUGIN_DIR,
                             RELEVE_TEST_PLUGIN_DIR, dir);
  const releve_loaded_plugin *lp;
  (void)state;
  assert_int_equal(system(cmd), 0);
  chmod(dir, 0755);
  assert_int_equal(releve_plugins_load(&p, dir), 0);
  assert_int_equal(p.n, 5);
  assert_non_null(releve_plugins_find(&p, "lines"));
  assert_false(by_file(&p, "lines.so")->broken);
  lp = by_file(&p, "load_crash.so");
  assert_true(lp->broken);
  assert_non_null(strstr(lp->refused, "crashed while loading: signal 11"));
  lp = by_file(&p, "load_abort.so");
  assert_true(lp->broken);
  assert_non_null(strstr(lp->refused, "crashed while loading: signal 6"));
  lp = by_file(&p, "load_exit.so");
  assert_true(lp->broken);
  assert_string_equal(lp->refused, "exited while loading (exit status 0)");
  lp = by_file(&p, "load_hang.so");
  assert_true(lp->broken);
  assert_string_equal(lp->refused, "did not finish loading within 5 s (killed)");
  assert_null(lp->handle);
  releve_plugins_unload(&p);
  free(cmd);
  free(dir);
}

static void test_options_checked(void **state) {
  releve_plugins p;
  releve_diags d = {0};
  releve_option_value v[2];
  json_t *good = json_pack("{s:b}", "unused", 1), *bad = json_pack("{s:s, s:i}", "unused", "yes",
                                                                   "unknown", 3);
  const releve_plugin *lines;
  (void)state;
  assert_int_equal(releve_plugins_load(&p, RELEVE_TEST_PLUGIN_DIR), 0);
  lines = releve_plugins_find(&p, "lines");
  assert_int_equal(releve_plugin_options(lines, good, "f", "actors[0].options", &d, v), 0);
  assert_int_equal(v[0].flag, 1);
  assert_int_equal(releve_plugin_options(lines, NULL, "f", "actors[0].options", &d, v), 0);
  assert_int_equal(v[0].is_set, 1);
  assert_int_equal(v[0].flag, 0); /* the declared default */
  assert_int_equal(releve_plugin_options(lines, bad, "f", "actors[0].options", &d, v), -EINVAL);
  assert_int_equal(d.n, 2);
  assert_string_equal(d.items[0].key, "actors[0].options.unused");
  assert_non_null(strstr(d.items[0].message, "is a string; true or false is expected"));
  assert_non_null(strstr(d.items[1].message, "has no option \"unknown\"; its options are: unused"));
  json_decref(good);
  json_decref(bad);
  releve_diags_free(&d);
  releve_plugins_unload(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_refusals_and_loads),
      cmocka_unit_test(test_group_writable_file_refused),
      cmocka_unit_test(test_broken_while_loading),
      cmocka_unit_test(test_options_checked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
