/* copy.h -- every row of one database into another of the same schema
 * version, in one transaction on the target (`releve migrate-store`: an
 * SQLite file moved to PostgreSQL). The target must be empty: a copy never
 * merges two histories. */
#ifndef RELEVE_COPY_H
#define RELEVE_COPY_H

#include "store/store.h"

/* Called after each batch of rows and at the end of each table. */
typedef void (*releve_store_copy_cb)(const char *table, long long done, long long total,
                                     void *data);

/* Copies every table of from into to (both open, to writable), in an
 * order that satisfies the foreign keys, then checks that each table of to
 * holds as many rows as in from. 0, -ENOTEMPTY when to holds a row
 * already (nothing written), -EPROTO when the schema versions differ or a
 * count differs after the copy (rolled back), or another negative errno
 * value; why is filled in French for the admin. */
int releve_store_copy(releve_store *from, releve_store *to, releve_store_copy_cb cb, void *data,
                      char *why, size_t why_size);

/* The tables copied, in copy order, NULL-terminated: what a test checks
 * against the schema, so that a table a migration adds cannot be left out. */
const char *const *releve_store_copy_tables(void);
/* The columns copied of a table ("id sha256 loaded_at …", each name
 * followed by nothing for text, ":i" integer, ":r" real, ":b" blob), or
 * NULL for a table not copied. */
const char *releve_store_copy_columns(const char *table);

#endif
