/* engine_pg_conn.c -- the PostgreSQL engine's connection: opening it
 * (the URI's password masked for logs), transactions, and the schema
 * migrated under an advisory lock. Schema versions live in table
 * schema_version. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/engine_pg.h"
#include "store/store_sql.h"
#include "store/store_sql_pg.h"
#include "util/log.h"
#include "util/str.h"

/* SQLSTATE classes to errno values, as engine_sqlite.c does for
 * SQLite's result codes: callers tell "already there" (-EEXIST), "try
 * again" (-EBUSY) and "disk full" (-ENOSPC) from other failures. */
static int state_errno(const char *state) {
  if (state == NULL || strlen(state) != 5)
    return -EIO;
  if (strncmp(state, "23", 2) == 0)
    return -EEXIST;
  if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
      strcmp(state, "55P03") == 0 || strcmp(state, "53300") == 0)
    return -EBUSY;
  if (strcmp(state, "53100") == 0)
    return -ENOSPC;
  if (strcmp(state, "53200") == 0)
    return -ENOMEM;
  if (strcmp(state, "25006") == 0 || strcmp(state, "42501") == 0 || strncmp(state, "28", 2) == 0)
    return -EACCES;
  if (strcmp(state, "3D000") == 0)
    return -ENOENT;
  return -EIO; /* 08xxx connection, 57Pxx shutdown, XX000 internal, syntax … */
}

/* Keeps msg (libpq's, several lines ending in a newline) as one line. */
void releve__pg_set_msg(pg_conn *c, const char *msg) {
  size_t n;
  snprintf(c->msg, sizeof c->msg, "%s", msg && *msg ? msg : "unknown error");
  for (n = 0; c->msg[n]; n++)
    if (c->msg[n] == '\n' || c->msg[n] == '\t')
      c->msg[n] = ' ';
  while (n > 0 && c->msg[n - 1] == ' ')
    c->msg[--n] = '\0';
}

/* 0 when res is what a successful command gives, else the failure kept
 * in c->msg and mapped to an errno value. res is not cleared. */
int releve__pg_result_rc(pg_conn *c, const PGresult *res) {
  ExecStatusType t = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
    return 0;
  releve__pg_set_msg(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
  if (res == NULL)
    return PQstatus(c->pg) == CONNECTION_BAD ? -EIO : -ENOMEM;
  return state_errno(PQresultErrorField(res, PG_DIAG_SQLSTATE));
}

/* Runs sql (one or several statements, no parameter); 0 or an errno
 * value, the message kept and not logged. */
int releve__pg_run(pg_conn *c, const char *sql) {
  PGresult *res = PQexec(c->pg, sql);
  int rc = releve__pg_result_rc(c, res);
  PQclear(res);
  return rc;
}

int releve__pg_exec(releve_store *s, const char *sql) {
  int rc = releve__pg_run(CONN(s), sql);
  if (rc)
    releve_err("postgresql: %s", CONN(s)->msg);
  return rc;
}

const char *releve__pg_errmsg(releve_store *s) { return CONN(s)->msg; }

/* ---- transactions -------------------------------------------------------- */

/* READ COMMITTED, PostgreSQL's default. SQLite's writers take the whole
 * database (BEGIN IMMEDIATE); here several write at once, and relevé's
 * writers rely only on what holds at this level: each statement sees what
 * others committed before it; a row two writers both insert is decided by
 * its unique key (ON CONFLICT, or -EEXIST for the later one, which rolls
 * back: any failed statement aborts a PostgreSQL transaction, and every
 * writer rolls back on failure); counters are updated in place
 * (x = t.x + 1), never read and written back. */
int releve__pg_begin(releve_store *s) {
  return releve__pg_exec(s, "BEGIN ISOLATION LEVEL READ COMMITTED");
}

static void deallocate_stale(pg_conn *c) {
  if (c->stale && releve__pg_run(c, c->stale) == 0) {
    free(c->stale);
    c->stale = NULL;
  }
}

void releve__pg_rollback(releve_store *s) {
  if (PQtransactionStatus(PG(s)) != PQTRANS_IDLE)
    (void)releve__pg_run(CONN(s), "ROLLBACK");
  deallocate_stale(CONN(s));
}

int releve__pg_commit(releve_store *s) {
  pg_conn *c = CONN(s);
  PGresult *res;
  int rc;

  /* A COMMIT of a transaction a failed statement aborted answers
   * "ROLLBACK", not an error. */
  if (PQtransactionStatus(c->pg) == PQTRANS_INERROR) {
    releve__pg_set_msg(c, "the transaction was aborted by an earlier failure");
    releve__pg_rollback(s);
    return -EIO;
  }
  res = PQexec(c->pg, "COMMIT");
  rc = releve__pg_result_rc(c, res);
  if (rc == 0 && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
    releve__pg_set_msg(c, "the transaction was rolled back");
    rc = -EIO;
  }
  PQclear(res);
  if (rc)
    releve__pg_rollback(s);
  return rc;
}

/* A wait for another connection's lock ends after wait_ms (lock_timeout:
 * SQLSTATE 55P03, -EBUSY); a relaxed connection does not wait for its
 * commits to reach the disk (synchronous_commit off: a crash may forget
 * the last ones, never half of one). */
int releve__pg_tune(releve_store *s, const releve_store_tuning *t) {
  char sql[64];
  int rc = 0;
  if (t->wait_ms > 0) {
    snprintf(sql, sizeof sql, "SET lock_timeout = %d", t->wait_ms);
    rc = releve__pg_exec(s, sql);
  }
  if (rc == 0 && t->relaxed)
    rc = releve__pg_exec(s, "SET synchronous_commit = off");
  return rc;
}

/* ---- schema ---------------------------------------------------------------- */

/* The one number sql answers, or -1. */
static int query_int(releve_store *s, const char *sql) {
  PGresult *res = PQexec(PG(s), sql);
  int v = -1;
  if (releve__pg_result_rc(CONN(s), res) == 0 && PQntuples(res) == 1)
    v = atoi(PQgetvalue(res, 0, 0));
  PQclear(res);
  return v;
}

int releve__pg_user_version(releve_store *s) {
  int exists = query_int(s, RELEVE_SQL_PG_VERSION_EXISTS);
  return exists == 1 ? query_int(s, RELEVE_SQL_PG_VERSION_GET) : exists;
}

/* The schema of RELEVE_SQL_PG_SCHEMA for a new database, then the shared
 * migrations after it, all in one transaction under an advisory lock: a
 * second daemon starting at the same time waits, then finds it done. */
static int migrate_locked(releve_store *s, int n) {
  int v, rc = releve__pg_exec(s, RELEVE_SQL_PG_MIGRATION_LOCK);
  char set[128];

  if (rc == 0)
    rc = releve__pg_exec(s, RELEVE_SQL_PG_VERSION_TABLE);
  if (rc)
    return rc;
  v = releve__pg_user_version(s);
  if ((rc = releve__store_migratable(s, v)) != 0)
    return rc;
  if (v == n)
    return 0;
  if (v == 0) {
    if ((rc = releve__pg_exec(s, RELEVE_SQL_PG_SCHEMA)) != 0)
      return rc;
    v = RELEVE_SQL_PG_SCHEMA_VERSION;
  } else if (v < RELEVE_SQL_PG_SCHEMA_VERSION) {
    releve_err("database %s has schema version %d, which PostgreSQL never had", s->path, v);
    return -EPROTO;
  }
  for (; v < n && rc == 0; v++)
    rc = releve__pg_exec(s, v == RELEVE_SQL_MIGRATION_CONTRACTS ? RELEVE_SQL_PG_MIGRATION_11
                                                                 : releve_sql_migrations[v]);
  snprintf(set, sizeof set, RELEVE_SQL_PG_VERSION_SET, n);
  if (rc == 0)
    rc = releve__pg_exec(s, set);
  if (rc == 0)
    releve_info("database %s migrated to schema version %d", s->path, n);
  return rc;
}

static int migrate(releve_store *s) {
  int rc = releve__pg_begin(s);
  if (rc == 0)
    rc = migrate_locked(s, releve_store_schema_version());
  if (rc == 0)
    return releve__pg_commit(s);
  releve__pg_rollback(s);
  return rc;
}

/* ---- connection ------------------------------------------------------------ */

/* The URI as logs may show it: the password of its user part and of a
 * "password=" parameter replaced by "***". NULL when out of memory. */
static char *masked_uri(const char *uri) {
  const char *scheme = strstr(uri, "://"), *at, *colon, *p;
  char *out = releve_str_printf("%s", uri), *q;

  if (out == NULL || scheme == NULL)
    return out;
  scheme += 3;
  at = strchr(scheme, '@');
  colon = strchr(scheme, ':');
  p = strpbrk(scheme, "/?");
  if (at && (p == NULL || at < p) && colon && colon < at) {
    char *m = releve_str_printf("%.*s***%s", (int)(colon + 1 - uri), uri, at);
    free(out);
    if ((out = m) == NULL)
      return NULL;
  }
  for (q = strstr(out, "password="); q; q = strstr(q + 1, "password=")) {
    if (q != out && q[-1] != '?' && q[-1] != '&')
      continue;
    q += strlen("password=");
    {
      size_t len = strcspn(q, "&");
      char *m = releve_str_printf("%.*s***%s", (int)(q - out), out, q + len);
      size_t at_q = (size_t)(q - out);
      free(out);
      if ((out = m) == NULL)
        return NULL;
      q = out + at_q;
    }
  }
  return out;
}

/* NOTICEs (a CREATE ... IF NOT EXISTS that found the table) are not
 * relevé's to print on stderr. */
static void notice(void *arg, const char *msg) {
  (void)arg;
  releve_debug("postgresql: %s", msg);
}

void releve__pg_close(releve_store *s) {
  pg_conn *c = CONN(s);
  if (c) {
    PQfinish(c->pg);
    free(c->stale);
    free(c);
  }
  s->conn = NULL;
}

int releve__pg_open(releve_store *s, const char *uri, int mode) {
  pg_conn *c = calloc(1, sizeof *c);
  char *shown = masked_uri(uri);
  int rc = 0;

  (void)mode;
  if (c == NULL || shown == NULL) {
    free(c);
    free(shown);
    return -ENOMEM;
  }
  free(s->path);
  s->path = shown;
  s->conn = c;
  c->pg = PQconnectdb(uri);
  if (c->pg == NULL) {
    releve__pg_close(s);
    return -ENOMEM;
  }
  if (PQstatus(c->pg) != CONNECTION_OK) {
    releve__pg_set_msg(c, PQerrorMessage(c->pg));
    releve_err("cannot open database %s: %s", s->path, c->msg);
    releve__pg_close(s);
    return -EIO;
  }
  PQsetNoticeProcessor(c->pg, notice, NULL);
  if (PQsetClientEncoding(c->pg, "UTF8") != 0) {
    releve_err("database %s: the connection cannot speak UTF-8", s->path);
    rc = -EIO;
  }
  if (rc == 0 && s->readonly) {
    rc = releve__pg_exec(s, "SET default_transaction_read_only = on");
    if (rc == 0 && releve__pg_user_version(s) == 0) {
      rc = RELEVE__STORE_NEVER_MIGRATED; /* the caller opens a stand-in, as for SQLite */
    } else if (rc == 0 && releve__pg_user_version(s) != releve_store_schema_version()) {
      releve_err("database %s has schema version %d, this build expects %d: start releved once "
                 "to migrate it",
                 s->path, releve__pg_user_version(s), releve_store_schema_version());
      rc = -EPROTO;
    }
  } else if (rc == 0) {
    rc = migrate(s);
  }
  if (rc)
    releve__pg_close(s);
  return rc;
}
