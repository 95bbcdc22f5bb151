/* mail_queue.h -- the durable mail queue, in the database.
 *
 * A message is built once when it is queued and stored with its state
 * (pending, sent, failed), its attempts and the time of the next one. A
 * sender takes a due message with a lease (so that releved and
 * `releve remind` never send the same message at the same time), hands it
 * over (mail_send.h) with no transaction open, then records the outcome:
 * sent; failed for good on a 5xx answer (kept, shown by `releve status`);
 * or pending again with an exponential backoff (1 min, 2, 4… at most 4 h)
 * on a 4xx answer or a connection trouble, until the message is five days
 * old. A sender that dies mid-way leaves the message to be retried once
 * its lease has run out: a message is delivered at least once, and more
 * than once only when the relay took it but the answer was lost. */
#ifndef RELEVE_MAIL_QUEUE_H
#define RELEVE_MAIL_QUEUE_H

#include <stdatomic.h>

#include "config/config.h"
#include "mail/mail.h"
#include "store/store.h"

/* Builds m and stores it pending. Runs inside the caller's transaction
 * when one is open (a reminder is recorded with its mail, or not at all).
 * *id (may be NULL) gets its row id. Returns 0, -EINVAL with why filled
 * when a field may not be sent (see mail.h), or a negative errno value. */
int releve_mail_queue_queue(releve_store *s, const releve_mail *m, long long *id, char *why,
                        size_t why_size);

/* A notice to the coordinator (mail.coordinator) about a trouble on the
 * server, queued like any mail, inside the caller's transaction when one
 * is open. about names the trouble in the log when the mail is refused.
 * Returns 0, -ENOENT when no coordinator is configured, or as
 * releve_mail_queue_queue(). */
int releve_mail_queue_notify_coordinator(releve_store *s, const char *from, const char *coordinator,
                                     const char *subject, const char *body, const char *about);

typedef struct releve_mail_queue_run {
  int sent, retry, failed;
  int left; /* due, but beyond this run's limit */
} releve_mail_queue_run;

/* Sends the messages due now, oldest first, at most limit of them; stop
 * (may be NULL) is read between messages. Returns 0 or a negative errno
 * value when the database failed (the counts say what was done). */
int releve_mail_queue_deliver(releve_store *s, const releve_config *cfg, int limit,
                          const atomic_int *stop, releve_mail_queue_run *run);

typedef struct releve_mail_queue_counts {
  int pending, sent, failed;
  int retrying; /* pending after a failed attempt */
} releve_mail_queue_counts;

int releve_mail_queue_count(releve_store *s, releve_mail_queue_counts *c);

typedef struct releve_mail_queue_failure {
  long long id;
  const char *recipients, *subject, *created_at, *last_error;
  int attempts;
} releve_mail_queue_failure;

/* Calls cb for each failed message, oldest first; a non-zero return of cb
 * stops and is returned. */
int releve_mail_queue_failures(releve_store *s, int (*cb)(void *ud, const releve_mail_queue_failure *f),
                           void *ud);

#endif
