#include "mail/mail_queue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail_send.h"
#include "store/store_sql.h"
#include "store/store_sql_pg.h"
#include "util/clock.h"
#include "util/log.h"

#define BACKOFF_FIRST 60       /* seconds before the first retry */
#define BACKOFF_MAX (4 * 3600) /* never more than this between two attempts */
#define GIVE_UP (5 * 86400)    /* a message this old is not retried again */

/* now + seconds, as the queue stores times. */
static void utc_in(time_t now, long seconds, char out[32]) {
  releve_clock_utc_text(now + (time_t)seconds, out);
}

int releve_mail_queue_queue(releve_store *s, const releve_mail *m, long long *id, char *why,
                        size_t why_size) {
  releve_mail_built b;
  releve_stmt *st;
  time_t now = time(NULL);
  char created[32];
  int rc = releve_mail_build(m, now, &b, why, why_size);

  if (rc)
    return rc;
  releve_clock_utc_text(now, created);
  rc = releve_store_prepare(s, RELEVE_SQL_MAIL_QUEUE_INSERT, &st);
  if (rc == 0) {
    releve_stmt_bind_text(st, 1, b.message_id);
    releve_stmt_bind_text(st, 2, b.recipients);
    releve_stmt_bind_text(st, 3, m->subject);
    releve_stmt_bind_blob(st, 4, b.message, b.len);
    releve_stmt_bind_text(st, 5, created);
    rc = releve_stmt_step(st);
    if (rc == RELEVE_STMT_ROW && id)
      *id = releve_stmt_int64(st, 0);
    if (rc == RELEVE_STMT_ROW)
      rc = releve_stmt_run(st); /* the insert is done once the statement is */
    if (rc)
      snprintf(why, why_size, "cannot store it in the mail queue: %s", releve_store_errmsg(s));
    releve_stmt_finalize(st);
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
  releve_stmt *st;
  time_t now = time(NULL);
  char lease[32], at[32];
  int rc = releve_store_prepare(
          s, releve_store_dialect(s, RELEVE_SQL_MAIL_QUEUE_CLAIM, RELEVE_SQL_PG_MAIL_QUEUE_CLAIM),
          &st),
      step;

  if (rc)
    return rc;
  /* Long enough for a whole delivery (mail_send.h: three times the
   * timeout), and some. */
  utc_in(now, 3L * cfg->mail_timeout_seconds + 60, lease);
  releve_clock_utc_text(now, at);
  releve_stmt_bind_text(st, 1, lease);
  releve_stmt_bind_int64(st, 2, id);
  releve_stmt_bind_text(st, 3, at);
  step = releve_stmt_step(st);
  if (step == RELEVE_STMT_ROW) {
    const void *blob = releve_stmt_blob(st, 2, &t->len);
    const char *message_id = releve_stmt_text(st, 0), *recipients = releve_stmt_text(st, 1);
    t->message_id = message_id ? strdup(message_id) : NULL;
    t->recipients = recipients ? strdup(recipients) : NULL;
    t->data = malloc(t->len + 1);
    t->attempts = releve_stmt_int(st, 3);
    if (t->data && blob)
      memcpy(t->data, blob, t->len);
    step = releve_stmt_step(st); /* the update is done once the statement is */
    if (t->message_id == NULL || t->recipients == NULL || t->data == NULL)
      rc = -ENOMEM;
  }
  if (step < 0)
    rc = step;
  else if (rc == 0)
    rc = t->message_id != NULL;
  releve_stmt_finalize(st);
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
  releve_stmt *st;
  time_t now = time(NULL);
  char at[32], next[32], oldest[32];
  int rc = releve_store_prepare(s, sql[o], &st), step;

  if (rc)
    return rc;
  releve_clock_utc_text(now, at);
  if (o == SENT) {
    releve_stmt_bind_text(st, 1, at);
    releve_stmt_bind_int64(st, 2, id);
  } else if (o == FAILED) {
    releve_stmt_bind_text(st, 1, error);
    releve_stmt_bind_int64(st, 2, id);
  } else {
    long wait = attempts > 8 ? BACKOFF_MAX : (long)BACKOFF_FIRST << (attempts - 1);
    utc_in(now, wait < BACKOFF_MAX ? wait : BACKOFF_MAX, next);
    utc_in(now, -GIVE_UP, oldest);
    releve_stmt_bind_text(st, 1, error);
    releve_stmt_bind_text(st, 2, next);
    releve_stmt_bind_text(st, 3, oldest);
    releve_stmt_bind_int64(st, 4, id);
  }
  while ((step = releve_stmt_step(st)) == RELEVE_STMT_ROW)
    if (state)
      snprintf(state, state_size, "%s", releve_stmt_text(st, 0));
  rc = step;
  releve_stmt_finalize(st);
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
  releve_stmt *st;
  long long *ids;
  char now[32];
  int n = 0, i, rc, step;

  memset(run, 0, sizeof *run);
  if (limit <= 0)
    return 0;
  ids = calloc((size_t)limit + 1, sizeof *ids);
  if (ids == NULL)
    return -ENOMEM;
  rc = releve_store_prepare(s, RELEVE_SQL_MAIL_QUEUE_DUE, &st);
  if (rc) {
    free(ids);
    return rc;
  }
  releve_clock_utc_text(time(NULL), now);
  releve_stmt_bind_text(st, 1, now);
  releve_stmt_bind_int64(st, 2, limit + 1);
  while ((step = releve_stmt_step(st)) == RELEVE_STMT_ROW)
    ids[n++] = releve_stmt_int64(st, 0);
  rc = step;
  releve_stmt_finalize(st);
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
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_MAIL_QUEUE_COUNTS, &st), step;

  memset(c, 0, sizeof *c);
  if (rc)
    return rc;
  while ((step = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    const char *state = releve_stmt_text(st, 0);
    int n = releve_stmt_int(st, 1);
    if (strcmp(state, "pending") == 0) {
      c->pending = n;
      c->retrying = releve_stmt_int(st, 2);
    } else if (strcmp(state, "sent") == 0) {
      c->sent = n;
    } else {
      c->failed = n;
    }
  }
  rc = step;
  releve_stmt_finalize(st);
  return rc;
}

static const char *text(releve_stmt *st, int col) {
  const char *s = releve_stmt_text(st, col);
  return s ? s : "";
}

int releve_mail_queue_failures(releve_store *s, int (*cb)(void *ud, const releve_mail_queue_failure *f),
                           void *ud) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_MAIL_QUEUE_FAILURES, &st), step = RELEVE_STMT_DONE;

  if (rc)
    return rc;
  while (rc == 0 && (step = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    releve_mail_queue_failure f;
    f.id = releve_stmt_int64(st, 0);
    f.recipients = text(st, 1);
    f.subject = text(st, 2);
    f.created_at = text(st, 3);
    f.attempts = releve_stmt_int(st, 4);
    f.last_error = text(st, 5);
    rc = cb(ud, &f);
  }
  if (rc == 0 && step != RELEVE_STMT_DONE)
    rc = step;
  releve_stmt_finalize(st);
  return rc;
}
