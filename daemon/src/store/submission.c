#include "store/submission.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_sql.h"
#include "util/name.h"

/* A statement bound to (actor, sha256), the key every lookup here uses. */
static int prepare_keyed(releve_store *s, const char *sql, const char *actor, const char *sha256,
                         sqlite3_stmt **st) {
  int rc = releve_store_prepare_sqlite(s, sql, st);
  if (rc)
    return rc;
  sqlite3_bind_text(*st, 1, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(*st, 2, sha256, -1, SQLITE_STATIC);
  return 0;
}

/* The counts and the report, which both statements take in this order
 * from parameter at on. */
static void bind_counts(sqlite3_stmt *st, int at, const releve_submission *sub) {
  sqlite3_bind_int(st, at, sub->added);
  sqlite3_bind_int(st, at + 1, sub->changed);
  sqlite3_bind_int(st, at + 2, sub->unchanged);
  sqlite3_bind_int(st, at + 3, sub->refused);
  sqlite3_bind_int(st, at + 4, sub->warnings);
  sqlite3_bind_text(st, at + 5, sub->report ? sub->report : "", -1, SQLITE_STATIC);
}

int releve_submission_insert(releve_store *s, const releve_submission *sub, long long *id) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_SUB_INSERT, &st);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, sub->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, sub->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, sub->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, (sqlite3_int64)sub->size);
  sqlite3_bind_text(st, 5, sub->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, sub->plugin, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, sub->outcome, -1, SQLITE_STATIC);
  bind_counts(st, 8, sub);
  sqlite3_bind_text(st, 14, sub->received_at, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 15, sub->message_id, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return releve_store_sqlite_errno(rc);
  *id = sqlite3_last_insert_rowid(s->db);
  return 0;
}

int releve_submission_set_counts(releve_store *s, long long id, const releve_submission *sub) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_SUB_SET_COUNTS, &st);
  if (rc)
    return rc;
  bind_counts(st, 1, sub);
  sqlite3_bind_int64(st, 7, id);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}

int releve_submission_find_accepted(releve_store *s, const char *actor, const char *sha256,
                                    long long *id) {
  sqlite3_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_SUB_FIND_ACCEPTED, actor, sha256, &st);
  if (rc)
    return rc;
  *id = 0;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}

int releve_submission_pulled(releve_store *s, const char *actor, const char *sha256) {
  sqlite3_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_PULL_DROPPED_BY, actor, sha256, &st);
  if (rc)
    return rc;
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}

int releve_submission_spool_used(releve_store *s, const char *actor) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_SUB_SPOOL_USED, &st);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, actor, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}

int releve_submission_mailed(releve_store *s, const char *actor, const char *sha256,
                             char **message_id) {
  sqlite3_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_MAIL_DROPPED_BY, actor, sha256, &st);
  if (rc)
    return rc;
  *message_id = NULL;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && (*message_id = strdup((const char *)sqlite3_column_text(st, 0))) == NULL)
    rc = SQLITE_NOMEM;
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}

int releve_submission_recorded(releve_store *s, const char *actor, const char *sha256,
                               const char *name, size_t max_len, releve_submission_found *out) {
  sqlite3_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_SUB_RECORDED, actor, sha256, &st);
  if (rc)
    return rc;
  memset(out, 0, sizeof *out);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (name && !releve_name_variant_of((const char *)sqlite3_column_text(st, 8), name, max_len))
      continue;
    if ((out->report = strdup((const char *)sqlite3_column_text(st, 7))) == NULL) {
      sqlite3_finalize(st);
      return -ENOMEM;
    }
    out->id = sqlite3_column_int64(st, 0);
    out->accepted = strcmp((const char *)sqlite3_column_text(st, 1), "accepted") == 0;
    out->added = sqlite3_column_int(st, 2);
    out->changed = sqlite3_column_int(st, 3);
    out->unchanged = sqlite3_column_int(st, 4);
    out->refused = sqlite3_column_int(st, 5);
    out->warnings = sqlite3_column_int(st, 6);
    sqlite3_finalize(st);
    return 1;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : releve_store_sqlite_errno(rc);
}
