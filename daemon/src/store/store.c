#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_sql.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/path.h"

#define N_MIGRATIONS ((int)(sizeof releve_sql_migrations / sizeof releve_sql_migrations[0]))

int releve_store_schema_version(void) { return N_MIGRATIONS; }

int releve_store_errno(int rc) {
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

int releve_store_prepare(releve_store *s, const char *sql, sqlite3_stmt **st) {
  int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
  if (rc != SQLITE_OK) {
    releve_err("sqlite: cannot prepare statement: %s", sqlite3_errmsg(s->db));
    *st = NULL;
    return releve_store_errno(rc);
  }
  return 0;
}

int releve_store_exec(releve_store *s, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    releve_err("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return releve_store_errno(rc);
  }
  return 0;
}

int releve_store_begin(releve_store *s) { return releve_store_exec(s, "BEGIN IMMEDIATE"); }

int releve_store_commit(releve_store *s) {
  /* Not logged here: the caller knows what was not committed and what
   * becomes of it (a file left in processing/, a reminder sent later). */
  int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
  /* A failed COMMIT (disk full, I/O error) leaves the transaction open;
   * roll it back so the connection stays usable and nothing half-done
   * remains. */
  if (rc != SQLITE_OK) {
    releve_store_rollback(s);
    return releve_store_errno(rc);
  }
  return 0;
}

void releve_store_rollback(releve_store *s) {
  if (!sqlite3_get_autocommit(s->db))
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int releve_store_user_version(releve_store *s) {
  sqlite3_stmt *st;
  int v = -1;
  if (releve_store_prepare(s, "PRAGMA user_version", &st))
    return -1;
  if (sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* PRAGMA foreign_key_check finds no row: -EPROTO, logged, when it does. */
static int foreign_keys_hold(releve_store *s, int version) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare(s, "PRAGMA foreign_key_check", &st);
  if (rc)
    return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    releve_err("database %s: migration %d leaves a row of %s pointing to no row of %s; "
               "nothing migrated",
               s->path, version, sqlite3_column_text(st, 0), sqlite3_column_text(st, 2));
  rc = rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? -EPROTO : releve_store_errno(rc);
  sqlite3_finalize(st);
  return rc;
}

static int migrate(releve_store *s) {
  int v = releve_store_user_version(s), rc = 0;

  if (v < 0)
    return -EIO;
  if (v > N_MIGRATIONS) {
    releve_err("database %s has schema version %d, newer than this build knows (%d); "
               "refusing to touch it",
               s->path, v, N_MIGRATIONS);
    return -EPROTO;
  }
  /* A table some other refers to is rebuilt by creating its new form,
   * copying, dropping the old one and renaming: with foreign keys on, the
   * drop would delete through them. They are off while migrating (the
   * pragma does nothing inside a transaction), and checked before each
   * COMMIT instead. */
  if (v < N_MIGRATIONS)
    rc = releve_store_exec(s, "PRAGMA foreign_keys = OFF");
  for (; v < N_MIGRATIONS && rc == 0; v++) {
    char pragma[64];
    rc = releve_store_begin(s);
    if (rc == 0)
      rc = releve_store_exec(s, releve_sql_migrations[v]);
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
    if (rc == 0)
      rc = releve_store_exec(s, pragma);
    if (rc == 0)
      rc = foreign_keys_hold(s, v + 1);
    if (rc == 0)
      rc = releve_store_commit(s);
    else
      releve_store_rollback(s);
    if (rc == 0)
      releve_info("database %s migrated to schema version %d", s->path, v + 1);
  }
  if (rc == 0)
    rc = releve_store_exec(s, "PRAGMA foreign_keys = ON");
  return rc;
}

int releve_store_open(releve_store *s, const char *path, int mode) {
  int flags, rc;
  const char *target = path;

  memset(s, 0, sizeof *s);
  s->readonly = mode == RELEVE_STORE_RO;
  if (s->readonly && access(path, F_OK) != 0) {
    target = ":memory:";
    s->readonly = 0; /* an empty in-memory copy needs its schema written */
  } else if (!s->readonly) {
    char *dir = releve_path_dirname(path);
    rc = dir ? releve_fs_mkdir_p(dir, 0750) : -ENOMEM;
    free(dir);
    if (rc) {
      releve_err("cannot create the folder of %s: %s", path, strerror(-rc));
      return rc;
    }
  }
  s->path = strdup(path);
  /* relevé never asks SQLite how much memory it uses; without the
   * statistics every allocation skips a global mutex. Only possible before
   * SQLite's first use in the process: later calls fail harmlessly. */
  (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  flags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2(target, &s->db, flags | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK) {
    releve_err("cannot open database %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "no memory");
    releve_store_close(s);
    return releve_store_errno(rc);
  }
  sqlite3_busy_timeout(s->db, 10000);
  if (s->readonly) {
    rc = releve_store_exec(s, "PRAGMA foreign_keys = ON");
    if (rc == 0 && releve_store_user_version(s) != N_MIGRATIONS) {
      releve_err("database %s has schema version %d, this build expects %d: start releved once "
                 "to migrate it",
                 path, releve_store_user_version(s), N_MIGRATIONS);
      rc = -EPROTO;
    }
  } else {
    rc = releve_store_exec(s, RELEVE_SQL_PRAGMAS);
    if (rc == 0)
      rc = migrate(s);
  }
  if (rc)
    releve_store_close(s);
  return rc;
}

void releve_store_close(releve_store *s) {
  if (s->db)
    sqlite3_close_v2(s->db);
  free(s->path);
  memset(s, 0, sizeof *s);
}
