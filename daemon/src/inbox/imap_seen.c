#include "inbox/imap_seen.h"

#include <string.h>

#include "store/run.h"
#include "store/store_sql.h"
#include "util/clock.h"

int releve_imap_seen_get(releve_store *s, const char *mailbox, releve_imap_seen_state *out) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_IMAP_FOLDER_GET, &st);

  memset(out, 0, sizeof *out);
  if (rc)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, mailbox)) == 0)
    rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW) {
    out->uidvalidity = (unsigned long long)releve_stmt_int64(st, 0);
    out->last_attempt = (time_t)releve_stmt_int64(st, 1);
    out->failures = releve_stmt_int(st, 2);
  }
  releve_stmt_finalize(st);
  return rc < 0 ? rc : 0;
}

static int set_validity(releve_store *s, const char *mailbox, unsigned long long uidvalidity) {
  releve_stmt *st;
  int rc = releve_store_run_texts(s, RELEVE_SQL_IMAP_FORGET, &mailbox, 1, NULL);

  if (rc || (rc = releve_store_prepare(s, RELEVE_SQL_IMAP_VALIDITY, &st)) != 0)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, mailbox)) == 0 &&
      (rc = releve_stmt_bind_int64(st, 2, (long long)uidvalidity)) == 0)
    rc = releve_stmt_run(st);
  releve_stmt_finalize(st);
  return rc;
}

int releve_imap_seen_filter(releve_store *s, const char *mailbox, unsigned long long uidvalidity,
                            int *changed, unsigned long *uids, size_t *n) {
  releve_imap_seen_state old;
  releve_stmt *st;
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
  if ((rc = releve_store_prepare(s, RELEVE_SQL_IMAP_TAKEN_HAS, &st)) != 0)
    return rc;
  rc = releve_stmt_bind_text(st, 1, mailbox);
  for (i = 0; rc == 0 && i < *n; i++) {
    releve_stmt_reset(st);
    if ((rc = releve_stmt_bind_int64(st, 2, (long long)uids[i])) == 0)
      rc = releve_stmt_step(st);
    if (rc == RELEVE_STMT_DONE)
      uids[kept++] = uids[i];
    else if (rc == RELEVE_STMT_ROW)
      rc = 0;
  }
  releve_stmt_finalize(st);
  if (rc == 0)
    *n = kept;
  return rc;
}

int releve_imap_seen_add(releve_store *s, const char *mailbox, unsigned long uid,
                         const char *outcome) {
  char now[32];
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_IMAP_TAKEN_ADD, &st);

  if (rc)
    return rc;
  releve_clock_utc_text(time(NULL), now);
  if ((rc = releve_stmt_bind_text(st, 1, mailbox)) == 0 &&
      (rc = releve_stmt_bind_int64(st, 2, (long long)uid)) == 0 &&
      (rc = releve_stmt_bind_text(st, 3, outcome)) == 0 &&
      (rc = releve_stmt_bind_text(st, 4, now)) == 0)
    rc = releve_stmt_run(st);
  releve_stmt_finalize(st);
  return rc;
}

int releve_imap_seen_attempt(releve_store *s, const char *mailbox, time_t when, const char *error,
                             int *failures) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, error ? RELEVE_SQL_IMAP_FAILED : RELEVE_SQL_IMAP_OK, &st);

  if (failures)
    *failures = 0;
  if (rc)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, mailbox)) == 0 &&
      (rc = releve_stmt_bind_int64(st, 2, (long long)when)) == 0 && error)
    rc = releve_stmt_bind_text(st, 3, error);
  if (rc == 0)
    rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW) {
    if (failures)
      *failures = releve_stmt_int(st, 0);
    rc = releve_stmt_step(st);
  }
  releve_stmt_finalize(st);
  return rc < 0 ? rc : 0;
}
