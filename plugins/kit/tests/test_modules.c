/* test_modules.c -- loads every built plugin as the core does
 * (dlopen RTLD_NOW|RTLD_LOCAL, one entry symbol) and checks its descriptor,
 * its option table and that nothing else is exported. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <releve/plugin.h>

static int made_of(const char *s, const char *allowed) {
  return s != NULL && *s != '\0' && strspn(s, allowed) == strlen(s);
}

static void check_options(const releve_plugin *p) {
  for (size_t i = 0; p->options != NULL && p->options[i].name != NULL; i++) {
    const releve_option *o = &p->options[i];
    if (!made_of(o->name, "abcdefghijklmnopqrstuvwxyz0123456789_"))
      fail_msg("%s: option name \"%s\"", p->name, o->name);
    if (o->help == NULL || strlen(o->help) < 10)
      fail_msg("%s: option %s has no help", p->name, o->name);
    const char *d = o->default_value;
    int ok = d == NULL || (o->type == RELEVE_OPT_STRING) ||
             (o->type == RELEVE_OPT_INT && made_of(d, "0123456789-")) ||
             (o->type == RELEVE_OPT_BOOL && (strcmp(d, "true") == 0 || strcmp(d, "false") == 0));
    if (!ok)
      fail_msg("%s: option %s: default \"%s\" does not fit its type %d", p->name, o->name, d,
               (int)o->type);
    for (size_t k = 0; k < i; k++)
      if (strcmp(p->options[k].name, o->name) == 0)
        fail_msg("%s: option %s twice", p->name, o->name);
  }
}

/* The dynamic symbols a module defines, besides the entry point. */
static void check_exports(const char *path) {
  char command[4200];
  snprintf(command, sizeof command, "nm -D --defined-only '%s' 2>/dev/null", path);
  FILE *f = popen(command, "r");
  if (f == NULL)
    return;
  char line[512];
  int entry = 0, lines = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    char type, name[400];
    lines++;
    if (sscanf(line, "%*s %c %399s", &type, name) != 2 || type == 'w' || type == 'v' ||
        type == 'A' || strncmp(name, "_", 1) == 0)
      continue;
    if (strcmp(name, RELEVE_PLUGIN_ENTRY) == 0)
      entry = 1;
    else
      fail_msg("%s exports %s", path, name);
  }
  pclose(f);
  if (lines > 0 && !entry)
    fail_msg("%s does not export %s", path, RELEVE_PLUGIN_ENTRY);
}

static void check_module(const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.so", RELEVE_PLUGIN_DIR, name);
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    fail_msg("%s", dlerror());
  releve_plugin_entry_fn entry;
  *(void **)&entry = dlsym(handle, RELEVE_PLUGIN_ENTRY);
  assert_non_null(entry);
  const releve_plugin *p = entry();
  assert_non_null(p);
  assert_int_equal(p->abi_major, RELEVE_PLUGIN_ABI_MAJOR);
  assert_true(p->struct_size >= RELEVE_PLUGIN_MIN_SIZE);
  assert_string_equal(p->name, name);
  assert_true(made_of(p->name, "abcdefghijklmnopqrstuvwxyz0123456789-"));
  assert_non_null(p->version);
  assert_non_null(p->description);
  assert_null(strchr(p->description, '\n'));
  assert_non_null(p->decode);
  check_options(p);
  /* The kit is linked in hidden: the core cannot see it. */
  assert_null(dlsym(handle, "releve_kit_cell_number"));
  assert_null(dlsym(handle, "releve_kit_table_decode"));
  check_exports(path);
  dlclose(handle);
}

static void test_every_module(void **state) {
  (void)state;
  char names[] = RELEVE_PLUGIN_NAMES;
  int count = 0;
  for (char *save = NULL, *name = strtok_r(names, " ", &save); name != NULL;
       name = strtok_r(NULL, " ", &save), count++)
    check_module(name);
  assert_int_equal(count, 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_module)};
  return cmocka_run_group_tests_name("modules", tests, NULL, NULL);
}
