/* store.h -- the database, on one of two engines (engine.h): an SQLite
 * file, the embedded default (one writer, the daemon or an `ingest` run;
 * readers opened read-only), or PostgreSQL. Schema changes are numbered
 * migrations (store_sql.h); statements are releve_stmt (stmt.h). */
#ifndef RELEVE_STORE_H
#define RELEVE_STORE_H


#include "config/config.h"

#include "store/stmt.h"

struct releve__engine;

typedef struct releve_store {
  const struct releve__engine *engine;
  void *conn;  /* the engine's connection */
  int readonly;
  char *path;
} releve_store;

enum { RELEVE_STORE_RW = 0, RELEVE_STORE_RO = 1 };

/* Opens and migrates: an SQLite file (creating it and its folder when
 * writable), or a PostgreSQL database when path is a URI (s->path then
 * shows it with its password masked, for logs). A read-only open of an
 * SQLite database that does not exist yet opens an empty in-memory one,
 * so that reports on a fresh install show everything missing rather than
 * an error; PostgreSQL's must have been migrated by releved first. */
int releve_store_open(releve_store *s, const char *path, int mode);
void releve_store_close(releve_store *s);

/* The schema version this build writes, and the one found on disk. */
int releve_store_schema_version(void);
int releve_store_user_version(releve_store *s);

/* Mirrors the configuration's référentiels (one per contract, each with
 * its own version history) and actors into the database. A changed référentiel is recorded as a new version with its changes;
 * indicators gone from it are retired, never deleted, and their
 * observations kept. *changed is set when a new version was recorded. */
int releve_store_sync(releve_store *s, const releve_config *cfg, int *changed);
/* Inside a write transaction: gives the rows stored before contracts
 * (schema 11 found them) to the configuration's one contract, once, before
 * anything is written under it. -EINVAL, logged, when such rows wait and
 * cfg has several contracts; 0 when none wait. */
int releve_store_assign_contract(releve_store *s, const releve_config *cfg);

/* Starts a write transaction (SQLite: BEGIN IMMEDIATE). */
int releve_store_begin(releve_store *s);
/* COMMIT, or on failure ROLLBACK and a negative errno value, not logged:
 * the caller says what was lost. */
int releve_store_commit(releve_store *s);
void releve_store_rollback(releve_store *s);
/* Starts a read transaction (deferred, no write lock), for a report that
 * reads many cells: SQLite then locks and checks the WAL once rather than
 * once per statement. Ended by releve_store_rollback; not to be nested. */
int releve_store_begin_read(releve_store *s);

/* Prepares one statement, logging what is wrong with it; 0 or a negative
 * errno value, *st NULL then. */
int releve_store_prepare(releve_store *s, const char *sql, releve_stmt **st);
/* Runs statements with no parameters and no result rows; 0 or an errno. */
int releve_store_exec(releve_store *s, const char *sql);
/* The engine's message for the last failure on this connection. */
const char *releve_store_errmsg(releve_store *s);
/* "sqlite" or "postgresql". */
const char *releve_store_engine(const releve_store *s);
/* The statement written for s's engine: pg on PostgreSQL, else sqlite,
 * for what the two dialects say differently (store_sql_pg.h). NULL when
 * that engine needs none. */
const char *releve_store_dialect(const releve_store *s, const char *sqlite, const char *pg);

/* What one connection may ask of its engine beyond the defaults; zero
 * members keep them. */
typedef struct releve_store_tuning {
  /* How long a statement waits for another connection's write
   * transaction before failing with -EBUSY, in milliseconds. */
  int wait_ms;
  /* This connection writes only what can be done again: a power loss may
   * forget its last commits (never leave the database inconsistent), for
   * less flushing on each commit. */
  int relaxed;
} releve_store_tuning;

/* Applies t to s's connection; 0 or a negative errno value. An engine
 * with nothing to tune accepts it as is. */
int releve_store_tune(releve_store *s, const releve_store_tuning *t);

#endif
