/* engine_sqlite.c -- the embedded engine: one SQLite file, WAL,
 * synchronous=FULL, a busy timeout, writers take BEGIN IMMEDIATE (one
 * writer at a time, readers never blocked). Schema versions are counted
 * by PRAGMA user_version. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/engine.h"
#include "store/store_sql.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/path.h"

typedef struct lite_stmt {
  releve_stmt base;
  sqlite3_stmt *st;
} lite_stmt;

#define DB(s) ((sqlite3 *)(s)->conn)
#define ST(x) (((lite_stmt *)(x))->st)

/* An SQLite result code as a negative errno value. */
static int lite_errno(int rc) {
  switch (rc & 0xff) {
  case SQLITE_OK:
  case SQLITE_DONE:
  case SQLITE_ROW: return 0;
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return -EBUSY;
  case SQLITE_NOMEM: return -ENOMEM;
  case SQLITE_READONLY:
  case SQLITE_PERM: return -EACCES;
  case SQLITE_FULL: return -ENOSPC;
  case SQLITE_CANTOPEN: return -ENOENT;
  case SQLITE_CONSTRAINT: return -EEXIST;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB: return -EILSEQ;
  default: return -EIO;
  }
}

static int lite_exec(releve_store *s, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(DB(s), sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    releve_err("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return lite_errno(rc);
  }
  return 0;
}

static int lite_prepare(releve_store *s, const char *sql, releve_stmt **out) {
  lite_stmt *l = calloc(1, sizeof *l);
  int rc;

  *out = NULL;
  if (l == NULL)
    return -ENOMEM;
  rc = sqlite3_prepare_v2(DB(s), sql, -1, &l->st, NULL);
  if (rc != SQLITE_OK) {
    releve_err("sqlite: cannot prepare statement: %s", sqlite3_errmsg(DB(s)));
    free(l);
    return lite_errno(rc);
  }
  l->base.engine = &releve__engine_sqlite;
  l->base.store = s;
  *out = &l->base;
  return 0;
}

static int lite_begin(releve_store *s) { return lite_exec(s, "BEGIN IMMEDIATE"); }

static void lite_rollback(releve_store *s) {
  if (!sqlite3_get_autocommit(DB(s)))
    sqlite3_exec(DB(s), "ROLLBACK", NULL, NULL, NULL);
}

static int lite_commit(releve_store *s) {
  int rc = sqlite3_exec(DB(s), "COMMIT", NULL, NULL, NULL);
  /* A failed COMMIT (disk full, I/O error) leaves the transaction open;
   * roll it back so the connection stays usable and nothing half-done
   * remains. */
  if (rc != SQLITE_OK) {
    lite_rollback(s);
    return lite_errno(rc);
  }
  return 0;
}

static const char *lite_errmsg(releve_store *s) { return sqlite3_errmsg(DB(s)); }

static int lite_user_version(releve_store *s) {
  sqlite3_stmt *st;
  int v = -1;
  if (sqlite3_prepare_v2(DB(s), "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* In WAL mode, synchronous = NORMAL flushes at checkpoints rather than at
 * each commit: a power loss may forget the last commits, the file stays
 * consistent. */
static int lite_tune(releve_store *s, const releve_store_tuning *t) {
  if (t->wait_ms > 0)
    sqlite3_busy_timeout(DB(s), t->wait_ms);
  return t->relaxed ? lite_exec(s, "PRAGMA synchronous = NORMAL") : 0;
}

/* PRAGMA foreign_key_check finds no row: -EPROTO, logged, when it does. */
static int foreign_keys_hold(releve_store *s, int version) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(DB(s), "PRAGMA foreign_key_check", -1, &st, NULL);
  if (rc != SQLITE_OK)
    return lite_errno(rc);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    releve_err("database %s: migration %d leaves a row of %s pointing to no row of %s; "
               "nothing migrated",
               s->path, version, sqlite3_column_text(st, 0), sqlite3_column_text(st, 2));
  rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? -EPROTO : lite_errno(rc);
  sqlite3_finalize(st);
  return rc;
}

static int migrate(releve_store *s) {
  int n = releve_store_schema_version(), v = lite_user_version(s), rc = 0;

  if ((rc = releve__store_migratable(s, v)) != 0)
    return rc;
  /* A table some other refers to is rebuilt by creating its new form,
   * copying, dropping the old one and renaming: with foreign keys on, the
   * drop would delete through them. They are off while migrating (the
   * pragma does nothing inside a transaction), and checked before each
   * COMMIT instead. */
  if (v < n)
    rc = lite_exec(s, "PRAGMA foreign_keys = OFF");
  for (; v < n && rc == 0; v++) {
    char pragma[64];
    rc = lite_begin(s);
    if (rc == 0)
      rc = lite_exec(s, releve_sql_migrations[v]);
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
    if (rc == 0)
      rc = lite_exec(s, pragma);
    if (rc == 0)
      rc = foreign_keys_hold(s, v + 1);
    if (rc == 0)
      rc = lite_commit(s);
    else
      lite_rollback(s);
    if (rc == 0)
      releve_info("database %s migrated to schema version %d", s->path, v + 1);
  }
  if (rc == 0)
    rc = lite_exec(s, "PRAGMA foreign_keys = ON");
  return rc;
}

static void lite_close(releve_store *s) {
  if (s->conn)
    sqlite3_close_v2(DB(s));
  s->conn = NULL;
}

/* Opens target (a file, or ":memory:") as s->path, then migrates it or,
 * read-only, checks its schema version. */
static int lite_connect(releve_store *s, const char *target) {
  int flags, rc;
  const char *path = s->path;
  sqlite3 *db = NULL;

  /* relevé never asks SQLite how much memory it uses; without the
   * statistics every allocation skips a global mutex. Only possible before
   * SQLite's first use in the process: later calls fail harmlessly. */
  (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  flags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2(target, &db, flags | SQLITE_OPEN_NOFOLLOW, NULL);
  s->conn = db;
  if (rc != SQLITE_OK) {
    releve_err("cannot open database %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
    lite_close(s);
    return lite_errno(rc);
  }
  sqlite3_busy_timeout(db, 10000);
  if (s->readonly) {
    rc = lite_exec(s, "PRAGMA foreign_keys = ON");
    if (rc == 0 && lite_user_version(s) != releve_store_schema_version()) {
      releve_err("database %s has schema version %d, this build expects %d: start releved once "
                 "to migrate it",
                 path, lite_user_version(s), releve_store_schema_version());
      rc = -EPROTO;
    }
  } else {
    rc = lite_exec(s, RELEVE_SQL_PRAGMAS);
    if (rc == 0)
      rc = migrate(s);
  }
  if (rc)
    lite_close(s);
  return rc;
}

int releve__sqlite_open_empty(releve_store *s) {
  s->readonly = 0; /* an empty in-memory copy needs its schema written */
  return lite_connect(s, ":memory:");
}

static int lite_open(releve_store *s, const char *path, int mode) {
  (void)mode;
  if (s->readonly && access(path, F_OK) != 0)
    return releve__sqlite_open_empty(s);
  if (!s->readonly) {
    char *dir = releve_path_dirname(path);
    int rc = dir ? releve_fs_mkdir_p(dir, 0750) : -ENOMEM;
    free(dir);
    if (rc) {
      releve_err("cannot create the folder of %s: %s", path, strerror(-rc));
      return rc;
    }
  }
  return lite_connect(s, path);
}

static int bound(releve_stmt *st, int rc) {
  if (rc == SQLITE_OK)
    return 0;
  releve_err("sqlite: cannot bind a parameter: %s", sqlite3_errmsg(DB(st->store)));
  return lite_errno(rc);
}

static int lite_bind_text(releve_stmt *st, int i, const char *v, int copy) {
  return bound(st, sqlite3_bind_text(ST(st), i, v, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

static int lite_bind_int64(releve_stmt *st, int i, long long v) {
  return bound(st, sqlite3_bind_int64(ST(st), i, v));
}

static int lite_bind_double(releve_stmt *st, int i, double v) {
  return bound(st, sqlite3_bind_double(ST(st), i, v));
}

static int lite_bind_null(releve_stmt *st, int i) { return bound(st, sqlite3_bind_null(ST(st), i)); }

static int lite_bind_blob(releve_stmt *st, int i, const void *v, size_t len) {
  return bound(st, sqlite3_bind_blob64(ST(st), i, v, len, SQLITE_STATIC));
}

static int lite_step(releve_stmt *st) {
  int rc = sqlite3_step(ST(st));
  if (rc == SQLITE_ROW)
    return RELEVE_STMT_ROW;
  if (rc == SQLITE_DONE)
    return RELEVE_STMT_DONE;
  return lite_errno(sqlite3_errcode(DB(st->store)));
}

static void lite_reset(releve_stmt *st) { sqlite3_reset(ST(st)); }

static void lite_finalize(releve_stmt *st) {
  sqlite3_finalize(ST(st));
  free(st);
}

static const char *lite_text(releve_stmt *st, int col) {
  return (const char *)sqlite3_column_text(ST(st), col);
}

static long long lite_int64(releve_stmt *st, int col) { return sqlite3_column_int64(ST(st), col); }

static double lite_double(releve_stmt *st, int col) { return sqlite3_column_double(ST(st), col); }

static int lite_is_null(releve_stmt *st, int col) {
  return sqlite3_column_type(ST(st), col) == SQLITE_NULL;
}

static const void *lite_blob(releve_stmt *st, int col, size_t *len) {
  const void *p = sqlite3_column_blob(ST(st), col);
  *len = (size_t)sqlite3_column_bytes(ST(st), col);
  return p;
}

static long long lite_changes(releve_stmt *st) { return sqlite3_changes(DB(st->store)); }

const releve__engine releve__engine_sqlite = {
    .name = "sqlite",
    .open = lite_open,
    .close = lite_close,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .errmsg = lite_errmsg,
    .user_version = lite_user_version,
    .tune = lite_tune,
    .bind_text = lite_bind_text,
    .bind_int64 = lite_bind_int64,
    .bind_double = lite_bind_double,
    .bind_null = lite_bind_null,
    .bind_blob = lite_bind_blob,
    .step = lite_step,
    .reset = lite_reset,
    .finalize = lite_finalize,
    .column_text = lite_text,
    .column_int64 = lite_int64,
    .column_double = lite_double,
    .column_is_null = lite_is_null,
    .column_blob = lite_blob,
    .changes = lite_changes,
};
