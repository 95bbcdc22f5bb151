/* engine.h -- what a database engine gives the store (store.h, stmt.h).
 * Two engines: SQLite (engine_sqlite.c), the embedded default, a file
 * path; PostgreSQL (engine_pg.c), a "postgresql://" connection string.
 * Everything above the store sees only releve_store and releve_stmt. */
#ifndef RELEVE_ENGINE_H
#define RELEVE_ENGINE_H

#include <errno.h>
#include <stddef.h>

#include "store/stmt.h"
#include "store/store.h"

typedef struct releve__engine {
  const char *name; /* "sqlite", "postgresql": in logs */
  /* Connects and, when writable, migrates; on failure everything is
   * released and s->conn is NULL. */
  int (*open)(releve_store *s, const char *target, int mode);
  void (*close)(releve_store *s);
  /* Runs one or several statements without parameters or result rows. */
  int (*exec)(releve_store *s, const char *sql);
  int (*prepare)(releve_store *s, const char *sql, releve_stmt **st);
  int (*begin)(releve_store *s);
  int (*commit)(releve_store *s);
  void (*rollback)(releve_store *s);
  const char *(*errmsg)(releve_store *s);
  int (*user_version)(releve_store *s);
  /* releve_store_tune; may be NULL when the engine's defaults are all it has. */
  int (*tune)(releve_store *s, const releve_store_tuning *t);

  int (*bind_text)(releve_stmt *st, int i, const char *v, int copy);
  int (*bind_int64)(releve_stmt *st, int i, long long v);
  int (*bind_double)(releve_stmt *st, int i, double v);
  int (*bind_null)(releve_stmt *st, int i);
  int (*bind_blob)(releve_stmt *st, int i, const void *v, size_t len);
  int (*step)(releve_stmt *st);
  void (*reset)(releve_stmt *st);
  void (*finalize)(releve_stmt *st);
  const char *(*column_text)(releve_stmt *st, int col);
  long long (*column_int64)(releve_stmt *st, int col);
  double (*column_double)(releve_stmt *st, int col);
  int (*column_is_null)(releve_stmt *st, int col);
  const void *(*column_blob)(releve_stmt *st, int col, size_t *len);
  long long (*changes)(releve_stmt *st);
} releve__engine;

/* The first member of every engine's statement. */
struct releve_stmt {
  const releve__engine *engine;
  releve_store *store;
};

/* Whether a database found at schema version v may be migrated by this
 * build: 0, -EIO when the version could not be read (v < 0), or -EPROTO,
 * logged, when the database is newer than the build. Both engines ask it
 * before migrating. */
int releve__store_migratable(const releve_store *s, int v);

/* What a read-only open answers, unlogged, on a database nothing was ever
 * migrated in (an empty PostgreSQL database): releve_store_open then reads
 * an empty stand-in instead, as it does for an SQLite file not there yet. */
#define RELEVE__STORE_NEVER_MIGRATED (-ENODATA)

/* An empty database of the current schema in memory (SQLite), writable,
 * named s->path in logs: what a read-only command reads where no database
 * has been written yet. */
int releve__sqlite_open_empty(releve_store *s);

extern const releve__engine releve__engine_sqlite;
extern const releve__engine releve__engine_pg;

#endif
