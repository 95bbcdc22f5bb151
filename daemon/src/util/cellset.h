/* cellset.h -- a set of text keys with the line each was first met on:
 * the cells (indicator, period, geography) a file has given so far. Its
 * size is bounded by the référentiel's cells, never by the file's length. */
#ifndef RELEVE_CELLSET_H
#define RELEVE_CELLSET_H

#include <stddef.h>

typedef struct releve_cellset releve_cellset;

releve_cellset *releve_cellset_new(void);
void releve_cellset_free(releve_cellset *s);
/* Adds key (n bytes) met on line. Returns 0 when it is new, 1 when it was
 * there already (*first gets the line it was first met on), -ENOMEM. */
int releve_cellset_add(releve_cellset *s, const char *key, size_t n, unsigned long line,
                       unsigned long *first);

#endif
