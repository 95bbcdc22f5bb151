#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/engine.h"
#include "store/store_sql.h"
#include "util/log.h"

#define N_MIGRATIONS ((int)(sizeof releve_sql_migrations / sizeof releve_sql_migrations[0]))

int releve_store_schema_version(void) { return N_MIGRATIONS; }

int releve__store_migratable(const releve_store *s, int v) {
  if (v < 0)
    return -EIO;
  if (v > N_MIGRATIONS) {
    releve_err("database %s has schema version %d, newer than this build knows (%d); "
               "refusing to touch it",
               s->path, v, N_MIGRATIONS);
    return -EPROTO;
  }
  return 0;
}

int releve_store_open(releve_store *s, const char *path, int mode) {
  int rc;

  memset(s, 0, sizeof *s);
  s->readonly = mode == RELEVE_STORE_RO;
  s->engine = releve_config_database_is_uri(path) ? &releve__engine_pg : &releve__engine_sqlite;
  s->path = strdup(path);
  if (s->path == NULL)
    return -ENOMEM;
  rc = s->engine->open(s, path, mode);
  if (rc == RELEVE__STORE_NEVER_MIGRATED) {
    s->engine = &releve__engine_sqlite;
    rc = releve__sqlite_open_empty(s);
  }
  if (rc) {
    free(s->path);
    memset(s, 0, sizeof *s);
  }
  return rc;
}

void releve_store_close(releve_store *s) {
  if (s->engine && s->conn)
    s->engine->close(s);
  free(s->path);
  memset(s, 0, sizeof *s);
}

int releve_store_user_version(releve_store *s) { return s->engine->user_version(s); }

int releve_store_begin(releve_store *s) { return s->engine->begin(s); }

int releve_store_commit(releve_store *s) { return s->engine->commit(s); }

void releve_store_rollback(releve_store *s) { s->engine->rollback(s); }

int releve_store_begin_read(releve_store *s) { return s->engine->exec(s, RELEVE_SQL_BEGIN_READ); }

int releve_store_prepare(releve_store *s, const char *sql, releve_stmt **st) {
  return s->engine->prepare(s, sql, st);
}

int releve_store_exec(releve_store *s, const char *sql) { return s->engine->exec(s, sql); }

const char *releve_store_errmsg(releve_store *s) { return s->engine->errmsg(s); }

const char *releve_store_engine(const releve_store *s) { return s->engine->name; }

const char *releve_store_dialect(const releve_store *s, const char *sqlite, const char *pg) {
  return s->engine == &releve__engine_pg ? pg : sqlite;
}

int releve_store_tune(releve_store *s, const releve_store_tuning *t) {
  return s->engine->tune ? s->engine->tune(s, t) : 0;
}
