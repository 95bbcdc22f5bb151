/* engine_pg.c -- PostgreSQL over libpq, for a "database" given as a
 * postgresql:// (or postgres://) connection URI. Statements keep SQLite's
 * placeholders in store_sql.h and are rewritten here; parameters travel as
 * text (blobs as binary) and let the server infer their types from the
 * statement; results come back as text. A statement run a second time is
 * prepared on the server, so that the ingest's per-row statements are
 * parsed and planned once. The connection is in
 * engine_pg_conn.c. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/engine_pg.h"
#include "util/log.h"
#include "util/str.h"

typedef struct pg_param {
  const char *value; /* NULL for SQL NULL */
  char *copy;        /* owned by the statement (releve_stmt_bind_copy) */
  int length, format;
  char num[32]; /* a number bound, as text */
} pg_param;

typedef struct pg_stmt {
  releve_stmt base;
  char *sql; /* with $NNN placeholders */
  int n_params;
  pg_param *params;
  PGresult *res; /* NULL until stepped, and after a reset */
  int row, rows, done;
  int runs;      /* executions so far: the second prepares it */
  char name[32]; /* its server-side name once prepared, else "" */
  long long changes;
  unsigned char **blobs; /* the current row's bytea columns, decoded */
  size_t *blob_len;
} pg_stmt;

#define STMT(x) ((pg_stmt *)(x))

/* ---- statements ------------------------------------------------------------ */

/* sql with SQLite's "?NNN" and "?" made "$NNN" (a bare "?" takes the
 * largest number so far plus one, as in SQLite), quoted strings and
 * names left alone; *n the largest number. */
static char *rewrite(const char *sql, int *n) {
  size_t len = strlen(sql);
  char *out = malloc(len * 4 + 1), *o = out; /* "?" → "$NNNN" at worst */
  const char *p = sql;
  int max = 0;

  if (out == NULL)
    return NULL;
  while (*p) {
    if (*p == '\'' || *p == '"') {
      char q = *p;
      *o++ = *p++;
      while (*p && *p != q)
        *o++ = *p++;
      if (*p)
        *o++ = *p++; /* a doubled quote is two strings side by side: same text */
    } else if (*p == '?') {
      long v;
      char *end;
      p++;
      v = strtol(p, &end, 10);
      if (end == p || *p == '-' || *p == '+')
        v = max + 1;
      else
        p = end;
      if (v > max)
        max = (int)v;
      o += sprintf(o, "$%ld", v);
    } else {
      *o++ = *p++;
    }
  }
  *o = '\0';
  *n = max;
  return out;
}

static void clear_result(pg_stmt *p) {
  int i, cols = p->res ? PQnfields(p->res) : 0;
  if (p->blobs)
    for (i = 0; i < cols; i++) {
      PQfreemem(p->blobs[i]);
      p->blobs[i] = NULL;
    }
  free(p->blobs);
  free(p->blob_len);
  p->blobs = NULL;
  p->blob_len = NULL;
  PQclear(p->res);
  p->res = NULL;
  p->done = 0;
}

static int pg_prepare(releve_store *s, const char *sql, releve_stmt **out) {
  pg_stmt *p = calloc(1, sizeof *p);

  *out = NULL;
  if (p == NULL || (p->sql = rewrite(sql, &p->n_params)) == NULL ||
      (p->n_params > 0 && (p->params = calloc((size_t)p->n_params, sizeof *p->params)) == NULL)) {
    if (p)
      free(p->sql);
    free(p);
    return -ENOMEM;
  }
  p->base.engine = &releve__engine_pg;
  p->base.store = s;
  *out = &p->base;
  return 0;
}

/* Parameter i (from 1), its earlier copy released; NULL with the message
 * kept when i is out of range. */
static pg_param *param(releve_stmt *st, int i) {
  pg_stmt *p = STMT(st);
  pg_param *a;
  if (i < 1 || i > p->n_params) {
    char m[96];
    snprintf(m, sizeof m, "parameter %d out of range (the statement has %d)", i, p->n_params);
    releve__pg_set_msg(CONN(st->store), m);
    releve_err("postgresql: cannot bind a parameter: %s", m);
    return NULL;
  }
  a = &p->params[i - 1];
  free(a->copy);
  memset(a, 0, sizeof *a);
  return a;
}

static int pg_bind_text(releve_stmt *st, int i, const char *v, int copy) {
  pg_param *a = param(st, i);
  if (a == NULL)
    return -ERANGE;
  if (copy && (a->copy = strdup(v)) == NULL)
    return -ENOMEM;
  a->value = copy ? a->copy : v;
  return 0;
}

static int pg_bind_int64(releve_stmt *st, int i, long long v) {
  pg_param *a = param(st, i);
  if (a == NULL)
    return -ERANGE;
  snprintf(a->num, sizeof a->num, "%lld", v);
  a->value = a->num;
  return 0;
}

static int pg_bind_double(releve_stmt *st, int i, double v) {
  pg_param *a = param(st, i);
  if (a == NULL)
    return -ERANGE;
  if (isnan(v))
    return 0; /* NULL, as SQLite stores a NaN */
  if (isinf(v))
    snprintf(a->num, sizeof a->num, "%sInfinity", v < 0 ? "-" : "");
  else
    snprintf(a->num, sizeof a->num, "%.17g", v); /* read back to the same double */
  a->value = a->num;
  return 0;
}

static int pg_bind_null(releve_stmt *st, int i) { return param(st, i) ? 0 : -ERANGE; }

static int pg_bind_blob(releve_stmt *st, int i, const void *v, size_t len) {
  pg_param *a = param(st, i);
  if (a == NULL)
    return -ERANGE;
  if (len > 0x7fffffff)
    return -EFBIG;
  a->value = len ? v : "";
  a->length = (int)len;
  a->format = 1;
  return 0;
}

/* Runs the statement with its parameters: as a one-off the first time,
 * prepared on the server from the second. */
static PGresult *execute(pg_stmt *p) {
  pg_conn *c = CONN(p->base.store);
  const char **values = NULL;
  int *lengths = NULL, *formats = NULL, i;
  Oid *types = NULL;
  PGresult *res = NULL;

  if (p->n_params > 0) {
    values = calloc((size_t)p->n_params, sizeof *values);
    lengths = calloc((size_t)p->n_params, sizeof *lengths);
    formats = calloc((size_t)p->n_params, sizeof *formats);
    types = calloc((size_t)p->n_params, sizeof *types);
    if (values == NULL || lengths == NULL || formats == NULL || types == NULL)
      goto out;
    for (i = 0; i < p->n_params; i++) {
      values[i] = p->params[i].value;
      lengths[i] = p->params[i].length;
      formats[i] = p->params[i].format;
      types[i] = formats[i] ? 17 : 0; /* bytea; else what the statement says */
    }
  }
  if (p->runs == 1 && p->name[0] == '\0') {
    char name[32];
    PGresult *prep;
    snprintf(name, sizeof name, "releve_%lu", ++c->next_name);
    prep = PQprepare(c->pg, name, p->sql, p->n_params, types);
    if (PQresultStatus(prep) == PGRES_COMMAND_OK)
      memcpy(p->name, name, sizeof name);
    else
      res = prep; /* its error is the statement's */
    if (res == NULL)
      PQclear(prep);
  }
  if (res == NULL)
    res = p->name[0] ? PQexecPrepared(c->pg, p->name, p->n_params, values, lengths, formats, 0)
                     : PQexecParams(c->pg, p->sql, p->n_params, types, values, lengths, formats,
                                    0);
out:
  free(values);
  free(lengths);
  free(formats);
  free(types);
  return res;
}

static int pg_step(releve_stmt *st) {
  pg_stmt *p = STMT(st);
  int rc;

  if (p->done)
    clear_result(p); /* stepped again after its end: runs again, as in SQLite */
  if (p->res == NULL) {
    p->res = execute(p);
    p->runs++;
    if ((rc = releve__pg_result_rc(CONN(st->store), p->res)) != 0) {
      clear_result(p);
      p->changes = 0;
      return rc;
    }
    p->rows = PQresultStatus(p->res) == PGRES_TUPLES_OK ? PQntuples(p->res) : 0;
    p->changes = atoll(PQcmdTuples(p->res));
    p->row = 0;
    if (PQnfields(p->res) > 0 &&
        ((p->blobs = calloc((size_t)PQnfields(p->res), sizeof *p->blobs)) == NULL ||
         (p->blob_len = calloc((size_t)PQnfields(p->res), sizeof *p->blob_len)) == NULL)) {
      clear_result(p);
      return -ENOMEM;
    }
  } else {
    int i, cols = PQnfields(p->res);
    for (i = 0; i < cols; i++) {
      PQfreemem(p->blobs[i]);
      p->blobs[i] = NULL;
    }
    p->row++;
  }
  if (p->row < p->rows)
    return RELEVE_STMT_ROW;
  p->done = 1;
  return RELEVE_STMT_DONE;
}

static void pg_reset(releve_stmt *st) { clear_result(STMT(st)); }

static void pg_finalize(releve_stmt *st) {
  pg_stmt *p = STMT(st);
  pg_conn *c = CONN(st->store);
  int i;

  clear_result(p);
  if (p->name[0]) {
    char sql[48];
    snprintf(sql, sizeof sql, "DEALLOCATE %s;", p->name);
    if (releve__pg_run(c, sql) != 0) {
      char *more = releve_str_printf("%s%s", c->stale ? c->stale : "", sql);
      if (more) {
        free(c->stale);
        c->stale = more;
      }
    }
  }
  for (i = 0; i < p->n_params; i++)
    free(p->params[i].copy);
  free(p->params);
  free(p->sql);
  free(p);
}

static int has_value(pg_stmt *p, int col) {
  return p->res && p->row < p->rows && col >= 0 && col < PQnfields(p->res) &&
         !PQgetisnull(p->res, p->row, col);
}

static const char *pg_column_text(releve_stmt *st, int col) {
  pg_stmt *p = STMT(st);
  return has_value(p, col) ? PQgetvalue(p->res, p->row, col) : NULL;
}

/* As SQLite converts: a real is truncated, text that is no number is 0. */
static long long pg_column_int64(releve_stmt *st, int col) {
  const char *v = pg_column_text(st, col);
  char *end;
  long long n;
  if (v == NULL)
    return 0;
  n = strtoll(v, &end, 10);
  if (*end == '.' || *end == 'e' || *end == 'E')
    return (long long)strtod(v, NULL);
  return n;
}

static double pg_column_double(releve_stmt *st, int col) {
  const char *v = pg_column_text(st, col);
  return v ? strtod(v, NULL) : 0.0;
}

static int pg_column_is_null(releve_stmt *st, int col) { return !has_value(STMT(st), col); }

/* A bytea comes as text ("\x" and hex digits), decoded once per row. */
static const void *pg_column_blob(releve_stmt *st, int col, size_t *len) {
  pg_stmt *p = STMT(st);
  *len = 0;
  if (!has_value(p, col))
    return NULL;
  if (p->blobs[col] == NULL)
    p->blobs[col] = PQunescapeBytea((const unsigned char *)PQgetvalue(p->res, p->row, col),
                                    &p->blob_len[col]);
  *len = p->blobs[col] ? p->blob_len[col] : 0;
  return p->blobs[col];
}

static long long pg_changes(releve_stmt *st) { return STMT(st)->changes; }

const releve__engine releve__engine_pg = {
    .name = "postgresql",
    .open = releve__pg_open,
    .close = releve__pg_close,
    .exec = releve__pg_exec,
    .prepare = pg_prepare,
    .begin = releve__pg_begin,
    .commit = releve__pg_commit,
    .rollback = releve__pg_rollback,
    .errmsg = releve__pg_errmsg,
    .user_version = releve__pg_user_version,
    .tune = releve__pg_tune,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .column_text = pg_column_text,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_is_null = pg_column_is_null,
    .column_blob = pg_column_blob,
    .changes = pg_changes,
};
