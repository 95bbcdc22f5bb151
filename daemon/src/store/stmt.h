/* stmt.h -- one prepared statement, the same calls on every engine
 * (SQLite and PostgreSQL: engine.h). Parameters are numbered from 1 and
 * columns from 0, as in SQLite; SQL texts keep SQLite's placeholders ("?"
 * and "?NNN"), which the PostgreSQL engine turns into "$NNN".
 *
 * A text or blob bound with releve_stmt_bind_text / _blob is kept by
 * pointer: it must stay valid until the statement is stepped to its end,
 * reset or finalized. releve_stmt_bind_copy keeps a copy instead. A NULL
 * text binds SQL NULL.
 *
 * Values read with releve_stmt_text / _blob are valid until the next step,
 * reset or finalize. */
#ifndef RELEVE_STMT_H
#define RELEVE_STMT_H

#include <stddef.h>

typedef struct releve_stmt releve_stmt;

/* What releve_stmt_step returns besides a negative errno value. */
enum { RELEVE_STMT_DONE = 0, RELEVE_STMT_ROW = 1 };

int releve_stmt_bind_text(releve_stmt *st, int i, const char *v);
int releve_stmt_bind_copy(releve_stmt *st, int i, const char *v);
int releve_stmt_bind_int64(releve_stmt *st, int i, long long v);
int releve_stmt_bind_double(releve_stmt *st, int i, double v);
int releve_stmt_bind_null(releve_stmt *st, int i);
int releve_stmt_bind_blob(releve_stmt *st, int i, const void *v, size_t len);

/* RELEVE_STMT_ROW when a row is ready, RELEVE_STMT_DONE at the end, or a
 * negative errno value (the engine's message in releve_store_errmsg). */
int releve_stmt_step(releve_stmt *st);
/* Steps a statement that returns no row; 0 or a negative errno value. */
int releve_stmt_run(releve_stmt *st);
/* Ready to be stepped again; the bindings are kept. */
void releve_stmt_reset(releve_stmt *st);
/* Accepts NULL. */
void releve_stmt_finalize(releve_stmt *st);

/* NULL for SQL NULL. */
const char *releve_stmt_text(releve_stmt *st, int col);
long long releve_stmt_int64(releve_stmt *st, int col);
int releve_stmt_int(releve_stmt *st, int col);
double releve_stmt_double(releve_stmt *st, int col);
int releve_stmt_is_null(releve_stmt *st, int col);
const void *releve_stmt_blob(releve_stmt *st, int col, size_t *len);

/* Rows written by the statement's last run. */
long long releve_stmt_changes(releve_stmt *st);

#endif
