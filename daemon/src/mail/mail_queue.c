#include "mail/mail_queue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail_send.h"
#include "store/store_sql.h"
#include "util/log.h"

#define BACKOFF_FIRST 60       /* seconds before the first retry */
#define BACKOFF_MAX (4 * 3600) /* never more than this between two attempts */
#define GIVE_UP "-5 days"      /* a message this old is not retried again */

int releve_mail_queue_queue(releve_store *s, const releve_mail *m, long long *id, char *why,
                        size_t why_size) {
  releve_mail_built b;
  sqlite3_stmt *st;
  int rc = releve_mail_build(m, time(NULL), &b, why, why_size);

  if (rc)
    return rc;
  rc = releve_store_prepare_sqlite(s, RELEVE_SQL_MAIL_QUEUE_INSERT, &st);
  if (rc == 0) {
    sqlite3_bind_text(st, 1, b.message_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b.recipients, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, m->subject, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, b.message, (int)b.len, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : releve_store_sqlite_errno(sqlite3_errcode(s->db));
    if (rc)
      snprintf(why, why_size, "cannot store it in the mail queue: %s", sqlite3_errmsg(s->db));
    else if (id)
      *id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
  }
  releve_mail_built_free(&b);
  return rc;
}

int releve_mail_queue_notify_coordinator(releve_store *s, const char *from, const char *coordinator,
                                     const char *subject, const char *body, const char *about) {
  const char *to[2] = {coordinator, NULL};
  releve_mail m = {0};
  char why[256];
  int rc;

  if (coordinator == NULL)
    return -ENOENT;
  m.from = from;
  m.to = to;
  m.subject = subject;
  m.body = body;
  rc = releve_mail_queue_queue(s, &m, NULL, why, sizeof why);
  if (rc == -EINVAL)
    releve_err("%s: the mail to the coordinator was refused: %s", about, why);
  return rc;
}

/* The message taken for one attempt. */
typedef struct taken {
  char *message_id, *recipients, *data;
  size_t len;
  int attempts;
} taken;

static void taken_free(taken *t) {
  free(t->message_id);
  free(t->recipients);
  free(t->data);
  memset(t, 0, sizeof *t);
}

/* 1 when the message was taken, 0 when another sender has it. */
static int claim(releve_store *s, const releve_config *cfg, long long id, taken *t) {
  sqlite3_stmt *st;
  char lease[32];
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_MAIL_QUEUE_CLAIM, &st), step;

  if (rc)
    return rc;
  snprintf(lease, sizeof lease, "+%d seconds", 3 * cfg->mail_timeout_seconds + 60);
  sqlite3_bind_text(st, 1, lease, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    const void *blob = sqlite3_column_blob(st, 2);
    t->len = (size_t)sqlite3_column_bytes(st, 2);
    t->message_id = strdup((const char *)sqlite3_column_text(st, 0));
    t->recipients = strdup((const char *)sqlite3_column_text(st, 1));
    t->data = malloc(t->len + 1);
    t->attempts = sqlite3_column_int(st, 3);
    if (t->data && blob)
      memcpy(t->data, blob, t->len);
    step = sqlite3_step(st); /* the update is done once the statement is */
    if (t->message_id == NULL || t->recipients == NULL || t->data == NULL)
      rc = -ENOMEM;
  }
  if (step != SQLITE_DONE)
    rc = releve_store_sqlite_errno(step);
  else if (rc == 0)
    rc = t->message_id != NULL;
  sqlite3_finalize(st);
  if (rc <= 0)
    taken_free(t);
  return rc;
}

enum outcome { SENT, FAILED, RETRY };

/* Records an attempt's outcome; for RETRY, *state gets the state it left
 * the message in (pending, or failed once it is too old). */
static int record(releve_store *s, enum outcome o, long long id, const char *error, int attempts,
                  char *state, size_t state_size) {
  static const char *const sql[] = {RELEVE_SQL_MAIL_QUEUE_SENT, RELEVE_SQL_MAIL_QUEUE_FAILED,
                                    RELEVE_SQL_MAIL_QUEUE_RETRY};
  sqlite3_stmt *st;
  char delay[32];
  int rc = releve_store_prepare_sqlite(s, sql[o], &st), step;

  if (rc)
    return rc;
  if (o == SENT) {
    sqlite3_bind_int64(st, 1, id);
  } else if (o == FAILED) {
    sqlite3_bind_text(st, 1, error, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
  } else {
    long wait = attempts > 8 ? BACKOFF_MAX : (long)BACKOFF_FIRST << (attempts - 1);
    snprintf(delay, sizeof delay, "+%ld seconds", wait < BACKOFF_MAX ? wait : BACKOFF_MAX);
    sqlite3_bind_text(st, 1, error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, delay, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, GIVE_UP, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, id);
  }
  while ((step = sqlite3_step(st)) == SQLITE_ROW)
    if (state)
      snprintf(state, state_size, "%s", (const char *)sqlite3_column_text(st, 0));
  rc = step == SQLITE_DONE ? 0 : releve_store_sqlite_errno(step);
  sqlite3_finalize(st);
  return rc;
}

static int send_one(releve_store *s, const releve_config *cfg, long long id,
                    const atomic_int *stop, releve_mail_queue_run *run) {
  releve_mail_envelope e;
  char error[512], state[16] = "";
  taken t;
  int rc, sent;

  memset(&t, 0, sizeof t);
  rc = claim(s, cfg, id, &t);
  if (rc <= 0)
    return rc;
  e.message_id = t.message_id;
  e.from = cfg->mail_from;
  e.recipients = t.recipients;
  e.data = t.data;
  e.len = t.len;
  sent = releve_mail_deliver(cfg, &e, stop, error, sizeof error);
  if (sent == 0) {
    rc = record(s, SENT, id, NULL, 0, NULL, 0);
    run->sent++;
    if (rc)
      releve_err("mail %s to %s was sent but cannot be marked so (%s): it may be sent again",
                 t.message_id, t.recipients, strerror(-rc));
    else
      releve_info("mail %s to %s: %s", t.message_id, t.recipients,
                  cfg->smtp_url ? "sent" : "written to the outbox folder");
  } else if (sent == -EREMOTEIO) {
    rc = record(s, FAILED, id, error, 0, NULL, 0);
    run->failed++;
    releve_err("mail %s to %s refused for good: %s", t.message_id, t.recipients, error);
  } else {
    rc = record(s, RETRY, id, error, t.attempts, state, sizeof state);
    if (strcmp(state, "failed") == 0) {
      run->failed++;
      releve_err("mail %s to %s: %s; given up after %d attempts", t.message_id, t.recipients, error,
                 t.attempts);
    } else {
      run->retry++;
      releve_warn("mail %s to %s: %s; attempt %d, will retry", t.message_id, t.recipients, error,
                  t.attempts);
    }
  }
  taken_free(&t);
  return rc;
}

int releve_mail_queue_deliver(releve_store *s, const releve_config *cfg, int limit,
                          const atomic_int *stop, releve_mail_queue_run *run) {
  sqlite3_stmt *st;
  long long *ids;
  int n = 0, i, rc, step;

  memset(run, 0, sizeof *run);
  if (limit <= 0)
    return 0;
  ids = calloc((size_t)limit + 1, sizeof *ids);
  if (ids == NULL)
    return -ENOMEM;
  rc = releve_store_prepare_sqlite(s, RELEVE_SQL_MAIL_QUEUE_DUE, &st);
  if (rc) {
    free(ids);
    return rc;
  }
  sqlite3_bind_int(st, 1, limit + 1);
  while ((step = sqlite3_step(st)) == SQLITE_ROW)
    ids[n++] = sqlite3_column_int64(st, 0);
  rc = step == SQLITE_DONE ? 0 : releve_store_sqlite_errno(step);
  sqlite3_finalize(st);
  if (n > limit) {
    run->left = 1; /* at least; the next run sees the rest */
    n = limit;
  }
  for (i = 0; i < n && rc == 0; i++) {
    if (stop && atomic_load(stop))
      break;
    rc = send_one(s, cfg, ids[i], stop, run);
  }
  free(ids);
  return rc;
}

int releve_mail_queue_count(releve_store *s, releve_mail_queue_counts *c) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_MAIL_QUEUE_COUNTS, &st), step;

  memset(c, 0, sizeof *c);
  if (rc)
    return rc;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *state = (const char *)sqlite3_column_text(st, 0);
    int n = sqlite3_column_int(st, 1);
    if (strcmp(state, "pending") == 0) {
      c->pending = n;
      c->retrying = sqlite3_column_int(st, 2);
    } else if (strcmp(state, "sent") == 0) {
      c->sent = n;
    } else {
      c->failed = n;
    }
  }
  rc = step == SQLITE_DONE ? 0 : releve_store_sqlite_errno(step);
  sqlite3_finalize(st);
  return rc;
}

static const char *text(sqlite3_stmt *st, int col) {
  const char *s = (const char *)sqlite3_column_text(st, col);
  return s ? s : "";
}

int releve_mail_queue_failures(releve_store *s, int (*cb)(void *ud, const releve_mail_queue_failure *f),
                           void *ud) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare_sqlite(s, RELEVE_SQL_MAIL_QUEUE_FAILURES, &st), step = SQLITE_DONE;

  if (rc)
    return rc;
  while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
    releve_mail_queue_failure f;
    f.id = sqlite3_column_int64(st, 0);
    f.recipients = text(st, 1);
    f.subject = text(st, 2);
    f.created_at = text(st, 3);
    f.attempts = sqlite3_column_int(st, 4);
    f.last_error = text(st, 5);
    rc = cb(ud, &f);
  }
  if (rc == 0 && step != SQLITE_DONE)
    rc = releve_store_sqlite_errno(step);
  sqlite3_finalize(st);
  return rc;
}
