/* fuzz.h -- what the core's libFuzzer targets share: the entry points,
 * the input as a C string, and a check that makes libFuzzer keep the input
 * when an invariant fails (a wrong answer, not only a crash). */
#ifndef RELEVE_FUZZ_H
#define RELEVE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

static inline void fuzz_fail(const char *what, const char *file, int line) {
  fprintf(stderr, "invariant failed: %s (%s:%d)\n", what, file, line);
  abort();
}

/* The input as a NUL-terminated string; the parsers read text, so a NUL
 * byte ends it as it would end a file's text. */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL)
    abort();
  memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

#endif
