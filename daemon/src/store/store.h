/* store.h -- the SQLite database: one writer (the daemon or an `ingest`
 * run), readers opened read-only. WAL, synchronous=FULL, a busy timeout,
 * writers take BEGIN IMMEDIATE. Schema changes are numbered migrations
 * counted by PRAGMA user_version (store_sql.h). */
#ifndef RELEVE_STORE_H
#define RELEVE_STORE_H

#include <sqlite3.h>

#include "config/config.h"

typedef struct releve_store {
  sqlite3 *db;
  int readonly;
  char *path;
} releve_store;

enum { RELEVE_STORE_RW = 0, RELEVE_STORE_RO = 1 };

/* Opens (creating it and its folder when writable) and migrates. A
 * read-only open of a database that does not exist yet opens an empty
 * in-memory one, so that reports on a fresh install show everything
 * missing rather than an error. */
int releve_store_open(releve_store *s, const char *path, int mode);
void releve_store_close(releve_store *s);

/* The schema version this build writes, and the one found on disk. */
int releve_store_schema_version(void);
int releve_store_user_version(releve_store *s);

/* Mirrors the configuration's référentiel and actors into the database.
 * A changed référentiel is recorded as a new version with its changes;
 * indicators gone from it are retired, never deleted, and their
 * observations kept. *changed is set when a new version was recorded. */
int releve_store_sync(releve_store *s, const releve_config *cfg, int *changed);

int releve_store_begin(releve_store *s);    /* BEGIN IMMEDIATE */
/* COMMIT, or on failure ROLLBACK and a negative errno value, not logged:
 * the caller says what was lost. */
int releve_store_commit(releve_store *s);
void releve_store_rollback(releve_store *s);

/* sqlite3_prepare_v2 that logs; returns 0 or -EIO. */
int releve_store_prepare(releve_store *s, const char *sql, sqlite3_stmt **st);
/* Runs a statement with no result rows to completion; 0 or an errno. */
int releve_store_exec(releve_store *s, const char *sql);
/* Maps an SQLite result code to a negative errno value. */
int releve_store_errno(int sqlite_rc);

#endif
