/* diag.h -- problems found in a configuration or data file, each with where
 * it is (file, key path, line, column) and what is expected. check-config
 * prints them all rather than stopping at the first. */
#ifndef RELEVE_DIAG_H
#define RELEVE_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum releve_diag_severity { RELEVE_DIAG_ERROR = 0, RELEVE_DIAG_WARNING = 1 };

typedef struct releve_diag {
  int severity;
  char *file; /* may be NULL */
  char *key;  /* JSON key path such as actors[2].emails, may be NULL */
  int line;   /* 0 when unknown */
  int column;
  char *message;
} releve_diag;

typedef struct releve_diags {
  releve_diag *items;
  size_t n;
  size_t cap;
} releve_diags;

void releve_diags_add(releve_diags *d, int severity, const char *file, const char *key, int line,
                      int column, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
size_t releve_diags_count(const releve_diags *d, int severity);
/* One problem as "FILE:LINE:COL: KEY: error: MESSAGE" (the parts known),
 * malloc'ed, NULL when out of memory. */
char *releve_diag_text(const releve_diag *it);
/* One line per problem, as releve_diag_text() gives it. */
void releve_diags_print(const releve_diags *d, FILE *out);
void releve_diags_free(releve_diags *d);

#endif
