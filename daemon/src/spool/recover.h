/* recover.h -- what releved checks and mends in the spool at start-up,
 * before anything is taken:
 *
 *   - temporary reports left by a crash (".<name>.rapport.txt.<pid>.tmp")
 *     in archive/ and rejected/ are removed;
 *   - a file there without its report gets it back, rewritten from the
 *     submission that recorded its bytes;
 *   - a file there that no submission of its actor recorded means that the
 *     database lost history (a truncated WAL, a new empty database beside
 *     a spool that has some): it is counted, and the daemon refuses to run
 *     rather than take files again as if nothing had been received.
 *
 * Files are recognised by their sha256, so each archived file is read once
 * per start. */
#ifndef RELEVE_RECOVER_H
#define RELEVE_RECOVER_H

#include "config/config.h"
#include "store/store.h"

typedef struct releve_recover_result {
  int removed;    /* temporary reports removed */
  int rewritten;  /* missing reports rewritten */
  int unknown;    /* settled files no submission knows */
  char *example;  /* the first of them (a path), malloc'ed */
} releve_recover_result;

/* Checks and mends every actor's archive/ and rejected/. Returns 0 (see
 * res) or a negative errno value when the database or a folder cannot be
 * read. */
int releve_recover_spool(const releve_config *cfg, releve_store *store,
                         releve_recover_result *res);
void releve_recover_result_free(releve_recover_result *res);

#endif
