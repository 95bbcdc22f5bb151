#include "store/stmt.h"

#include "store/engine.h"

int releve_stmt_bind_text(releve_stmt *st, int i, const char *v) {
  return v ? st->engine->bind_text(st, i, v, 0) : st->engine->bind_null(st, i);
}

int releve_stmt_bind_copy(releve_stmt *st, int i, const char *v) {
  return v ? st->engine->bind_text(st, i, v, 1) : st->engine->bind_null(st, i);
}

int releve_stmt_bind_int64(releve_stmt *st, int i, long long v) {
  return st->engine->bind_int64(st, i, v);
}

int releve_stmt_bind_double(releve_stmt *st, int i, double v) {
  return st->engine->bind_double(st, i, v);
}

int releve_stmt_bind_null(releve_stmt *st, int i) { return st->engine->bind_null(st, i); }

int releve_stmt_bind_blob(releve_stmt *st, int i, const void *v, size_t len) {
  return st->engine->bind_blob(st, i, v, len);
}

int releve_stmt_step(releve_stmt *st) { return st->engine->step(st); }

int releve_stmt_run(releve_stmt *st) {
  int rc = st->engine->step(st);
  return rc == RELEVE_STMT_ROW ? 0 : rc;
}

void releve_stmt_reset(releve_stmt *st) { st->engine->reset(st); }

void releve_stmt_finalize(releve_stmt *st) {
  if (st)
    st->engine->finalize(st);
}

const char *releve_stmt_text(releve_stmt *st, int col) { return st->engine->column_text(st, col); }

long long releve_stmt_int64(releve_stmt *st, int col) { return st->engine->column_int64(st, col); }

int releve_stmt_int(releve_stmt *st, int col) { return (int)st->engine->column_int64(st, col); }

double releve_stmt_double(releve_stmt *st, int col) { return st->engine->column_double(st, col); }

int releve_stmt_is_null(releve_stmt *st, int col) { return st->engine->column_is_null(st, col); }

const void *releve_stmt_blob(releve_stmt *st, int col, size_t *len) {
  return st->engine->column_blob(st, col, len);
}

long long releve_stmt_changes(releve_stmt *st) { return st->engine->changes(st); }
