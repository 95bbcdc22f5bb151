/* run.h -- a statement run once for its effect or for whether it finds a
 * row, with text parameters: the shape of most keyed lookups and notes. */
#ifndef RELEVE_STORE_RUN_H
#define RELEVE_STORE_RUN_H

#include <stddef.h>

#include "store/store.h"

/* Prepares sql, binds texts[0..n-1] to its parameters 1..n (a NULL text
 * binds SQL NULL), steps it once and finalizes it: 1 when it gave a row,
 * 0 when it gave none, or a negative errno value. When changes is not NULL
 * it gets the number of rows the statement wrote (0 on failure). */
int releve_store_run_texts(releve_store *s, const char *sql, const char *const *texts, size_t n,
                           long long *changes);

#endif
