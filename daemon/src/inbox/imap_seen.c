#include "inbox/imap_seen.h"

#include <string.h>

#include "store/store_sql.h"

static int done(sqlite3_stmt *st, int rc) {
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : releve_store_sqlite_errno(rc);
}

int releve_imap_seen_get(releve_store *s, const char *mailbox, releve_imap_seen_state *out) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IMAP_FOLDER_GET, &st);

  memset(out, 0, sizeof *out);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, mailbox, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->uidvalidity = (unsigned long long)sqlite3_column_int64(st, 0);
    out->last_attempt = (time_t)sqlite3_column_int64(st, 1);
    out->failures = sqlite3_column_int(st, 2);
  }
  return done(st, rc);
}

static int set_validity(releve_store *s, const char *mailbox, unsigned long long uidvalidity) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IMAP_FORGET, &st);

  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, mailbox, -1, SQLITE_STATIC);
  rc = done(st, sqlite3_step(st));
  if (rc || (rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IMAP_VALIDITY, &st)) != 0)
    return rc;
  sqlite3_bind_text(st, 1, mailbox, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)uidvalidity);
  return done(st, sqlite3_step(st));
}

int releve_imap_seen_filter(releve_store *s, const char *mailbox, unsigned long long uidvalidity,
                            int *changed, unsigned long *uids, size_t *n) {
  releve_imap_seen_state old;
  sqlite3_stmt *st;
  size_t i, kept = 0;
  int rc = releve_imap_seen_get(s, mailbox, &old);

  *changed = 0;
  if (rc)
    return rc;
  if (old.uidvalidity != uidvalidity) {
    if ((rc = releve_store_begin(s)) != 0)
      return rc;
    rc = set_validity(s, mailbox, uidvalidity);
    if (rc) {
      releve_store_rollback(s);
      return rc;
    }
    if ((rc = releve_store_commit(s)) != 0)
      return rc;
    *changed = old.uidvalidity != 0;
  }
  if ((rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IMAP_TAKEN_HAS, &st)) != 0)
    return rc;
  for (i = 0; i < *n; i++) {
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, mailbox, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)uids[i]);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
      uids[kept++] = uids[i];
    else if (rc != SQLITE_ROW)
      return done(st, rc);
  }
  *n = kept;
  return done(st, SQLITE_DONE);
}

int releve_imap_seen_add(releve_store *s, const char *mailbox, unsigned long uid,
                         const char *outcome) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_IMAP_TAKEN_ADD, &st);

  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, mailbox, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)uid);
  sqlite3_bind_text(st, 3, outcome, -1, SQLITE_STATIC);
  return done(st, sqlite3_step(st));
}

int releve_imap_seen_attempt(releve_store *s, const char *mailbox, time_t when, const char *error,
                             int *failures) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, error ? RELEVE_SQL_IMAP_FAILED : RELEVE_SQL_IMAP_OK, &st);

  if (failures)
    *failures = 0;
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, mailbox, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)when);
  if (error)
    sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && failures) {
    *failures = sqlite3_column_int(st, 0);
    rc = sqlite3_step(st);
  }
  return done(st, rc);
}
