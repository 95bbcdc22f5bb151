#include "store/submission.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_sql.h"
#include "store/store_sql_pg.h"
#include "util/name.h"

/* A statement bound to (actor, sha256), the key every lookup here uses. */
static int prepare_keyed(releve_store *s, const char *sql, const char *actor, const char *sha256,
                         releve_stmt **st) {
  int rc = releve_store_prepare(s, sql, st);
  if (rc == 0 && ((rc = releve_stmt_bind_text(*st, 1, actor)) ||
                  (rc = releve_stmt_bind_text(*st, 2, sha256)))) {
    releve_stmt_finalize(*st);
    *st = NULL;
  }
  return rc;
}

int releve_submission_lock_actor(releve_store *s, const char *actor) {
  const char *sql = releve_store_dialect(s, NULL, RELEVE_SQL_PG_INGEST_LOCK);
  releve_stmt *st;
  int rc;

  if (sql == NULL)
    return 0;
  if ((rc = releve_store_prepare(s, sql, &st)) != 0)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, actor)) == 0)
    rc = releve_stmt_run(st);
  releve_stmt_finalize(st);
  return rc;
}

/* Steps st once and finalizes it: 1 when it gave a row, 0 when none, or a
 * negative errno value. */
static int any_row(releve_stmt *st) {
  int rc = releve_stmt_step(st);
  releve_stmt_finalize(st);
  return rc;
}

/* The counts and the report, which both statements take in this order
 * from parameter at on. */
static int bind_counts(releve_stmt *st, int at, const releve_submission *sub) {
  int rc;
  if ((rc = releve_stmt_bind_int64(st, at, sub->added)) ||
      (rc = releve_stmt_bind_int64(st, at + 1, sub->changed)) ||
      (rc = releve_stmt_bind_int64(st, at + 2, sub->unchanged)) ||
      (rc = releve_stmt_bind_int64(st, at + 3, sub->refused)) ||
      (rc = releve_stmt_bind_int64(st, at + 4, sub->warnings)))
    return rc;
  return releve_stmt_bind_text(st, at + 5, sub->report ? sub->report : "");
}

int releve_submission_insert(releve_store *s, const releve_submission *sub, long long *id) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_SUB_INSERT, &st);
  if (rc)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, sub->actor)) ||
      (rc = releve_stmt_bind_text(st, 2, sub->channel)) ||
      (rc = releve_stmt_bind_text(st, 3, sub->name)) ||
      (rc = releve_stmt_bind_int64(st, 4, (long long)sub->size)) ||
      (rc = releve_stmt_bind_text(st, 5, sub->sha256)) ||
      (rc = releve_stmt_bind_text(st, 6, sub->plugin)) ||
      (rc = releve_stmt_bind_text(st, 7, sub->outcome)) || (rc = bind_counts(st, 8, sub)) ||
      (rc = releve_stmt_bind_text(st, 14, sub->received_at)) ||
      (rc = releve_stmt_bind_text(st, 15, sub->message_id)))
    goto out;
  /* The statement gives back the new row's id. */
  rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW) {
    *id = releve_stmt_int64(st, 0);
    rc = 0;
  } else if (rc == RELEVE_STMT_DONE) {
    rc = -EIO;
  }
out:
  releve_stmt_finalize(st);
  return rc;
}

int releve_submission_set_counts(releve_store *s, long long id, const releve_submission *sub) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_SUB_SET_COUNTS, &st);
  if (rc)
    return rc;
  if ((rc = bind_counts(st, 1, sub)) == 0 && (rc = releve_stmt_bind_int64(st, 7, id)) == 0)
    rc = releve_stmt_run(st);
  releve_stmt_finalize(st);
  return rc;
}

int releve_submission_find_accepted(releve_store *s, const char *actor, const char *sha256,
                                    long long *id) {
  releve_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_SUB_FIND_ACCEPTED, actor, sha256, &st);
  if (rc)
    return rc;
  *id = 0;
  rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW)
    *id = releve_stmt_int64(st, 0);
  releve_stmt_finalize(st);
  return rc < 0 ? rc : 0;
}

int releve_submission_pulled(releve_store *s, const char *actor, const char *sha256) {
  releve_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_PULL_DROPPED_BY, actor, sha256, &st);
  return rc ? rc : any_row(st);
}

int releve_submission_spool_used(releve_store *s, const char *actor) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_SUB_SPOOL_USED, &st);
  if (rc)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, actor))) {
    releve_stmt_finalize(st);
    return rc;
  }
  return any_row(st);
}

int releve_submission_mailed(releve_store *s, const char *actor, const char *sha256,
                             char **message_id) {
  releve_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_MAIL_DROPPED_BY, actor, sha256, &st);
  if (rc)
    return rc;
  *message_id = NULL;
  rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW && (*message_id = strdup(releve_stmt_text(st, 0))) == NULL)
    rc = -ENOMEM;
  releve_stmt_finalize(st);
  return rc;
}

int releve_submission_recorded(releve_store *s, const char *actor, const char *sha256,
                               const char *name, size_t max_len, releve_submission_found *out) {
  releve_stmt *st;
  int rc = prepare_keyed(s, RELEVE_SQL_SUB_RECORDED, actor, sha256, &st);
  if (rc)
    return rc;
  memset(out, 0, sizeof *out);
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    if (name && !releve_name_variant_of(releve_stmt_text(st, 8), name, max_len))
      continue;
    if ((out->report = strdup(releve_stmt_text(st, 7))) == NULL) {
      rc = -ENOMEM;
      break;
    }
    out->id = releve_stmt_int64(st, 0);
    out->accepted = strcmp(releve_stmt_text(st, 1), "accepted") == 0;
    out->added = releve_stmt_int(st, 2);
    out->changed = releve_stmt_int(st, 3);
    out->unchanged = releve_stmt_int(st, 4);
    out->refused = releve_stmt_int(st, 5);
    out->warnings = releve_stmt_int(st, 6);
    break;
  }
  releve_stmt_finalize(st);
  return rc;
}
