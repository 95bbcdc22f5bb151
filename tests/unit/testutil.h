/* testutil.h -- small helpers for the unit tests: scratch folders and
 * files under the build tree. */
#ifndef RELEVE_TESTUTIL_H
#define RELEVE_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/str.h"
#include "util/fs.h"

/* A fresh scratch folder for one test: RELEVE_TEST_TMP/<name>.<pid>. */
static inline char *test_dir(const char *name) {
  char *dir = releve_str_printf("%s/%s.%ld", RELEVE_TEST_TMP, name, (long)getpid());
  char *cmd = releve_str_printf("rm -rf '%s'", dir);
  if (system(cmd) != 0)
    abort();
  free(cmd);
  if (releve_fs_mkdir_p(dir, 0755) != 0)
    abort();
  return dir;
}

/* Writes text to dir/name and returns the path. */
static inline char *test_file(const char *dir, const char *name, const char *text) {
  char *path = releve_str_printf("%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
    abort();
  return path;
}

#endif
