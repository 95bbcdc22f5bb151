/* engine_pg.h -- what the two halves of the PostgreSQL engine share:
 * engine_pg_conn.c (connection, transactions, schema) and engine_pg.c
 * (statements, and the engine's table). Internal to the store. */
#ifndef RELEVE_ENGINE_PG_H
#define RELEVE_ENGINE_PG_H

#include <libpq-fe.h>

#include "store/engine.h"

typedef struct pg_conn {
  PGconn *pg;
  unsigned long next_name; /* of server-side prepared statements */
  /* Prepared statements finalized while a failed transaction refused
   * DEALLOCATE: deallocated once it has been rolled back. */
  char *stale;
  char msg[512]; /* the last failure, one line */
} pg_conn;

#define CONN(s) ((pg_conn *)(s)->conn)
#define PG(s) (CONN(s)->pg)

/* Keeps msg (libpq's, several lines ending in a newline) as one line. */
void releve__pg_set_msg(pg_conn *c, const char *msg);
/* 0 when res is what a successful command gives, else the failure kept
 * in c->msg and mapped to an errno value. res is not cleared. */
int releve__pg_result_rc(pg_conn *c, const PGresult *res);
/* Runs sql (one or several statements, no parameter); 0 or an errno
 * value, the message kept and not logged. */
int releve__pg_run(pg_conn *c, const char *sql);

/* The engine's connection calls (engine.h says what each does). */
int releve__pg_open(releve_store *s, const char *uri, int mode);
void releve__pg_close(releve_store *s);
int releve__pg_exec(releve_store *s, const char *sql);
int releve__pg_begin(releve_store *s);
int releve__pg_commit(releve_store *s);
void releve__pg_rollback(releve_store *s);
const char *releve__pg_errmsg(releve_store *s);
int releve__pg_user_version(releve_store *s);
int releve__pg_tune(releve_store *s, const releve_store_tuning *t);

#endif
