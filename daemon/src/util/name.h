/* name.h -- the names a file takes when the one it came with is taken or
 * too long: "name.csv", then "name~2.csv", "name~3.csv"… A name longer
 * than the room allowed keeps its extension and loses the end of its stem
 * ("<stem cut>~1.ext"), cut on a whole UTF-8 character. The spool moves
 * files under these names (claim.h); a retried file is recognised by them
 * in the submissions it left (ingest.h). */
#ifndef RELEVE_NAME_H
#define RELEVE_NAME_H

#include <stddef.h>

/* Whether a directory entry name may be handled at all (not empty, no '/',
 * not "." or ".."). */
int releve_name_ok(const char *name);
/* Names a partner may be uploading to, which are never taken: dot files,
 * *.part, *.filepart, *.tmp. */
int releve_name_ignored(const char *name);

/* The n-th name tried for name (n = 1: name itself when it fits), at most
 * max_len bytes; malloc'ed, NULL when max_len leaves no room or out of
 * memory. */
char *releve_name_variant(const char *name, int n, size_t max_len);
/* Whether name is base or one of its variants (releve_name_variant()): a
 * file claimed under "name~2.csv" because "name.csv" was taken. */
int releve_name_variant_of(const char *base, const char *name, size_t max_len);

#endif
