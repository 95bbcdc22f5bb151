/* inbox.h -- a partner's reply by mail, taken as a submission.
 *
 * One message (an MTA pipes it into `releve receive`): read (mime.h),
 * its actor found (sender.h), each attachment written to
 * SPOOL/<actor>/mail/<message>/ and kept when a reader of the actor
 * recognises it (recognise.h), then dropped into the actor's incoming/,
 * where the daemon takes it the usual way; its submission says channel
 * "mail" with the Message-ID (the ingest finds it in mail_drops, as it
 * finds "poll" in pull_drops). Anything else goes to quarantine.h.
 *
 * Exactly once, keyed by the Message-ID (a message without one by the
 * SHA-256 of its bytes): a message already taken or quarantined changes
 * nothing. A taken message is recorded with its attachments, in one
 * transaction, before any file lands; each drop is marked once its file is
 * in incoming/ (rename, then fsync of the folder), and the message once
 * all are. A rerun of a message recorded but not finished (a crash, a
 * failed rename: the MTA delivers it again) drops only what is left. */
#ifndef RELEVE_INBOX_H
#define RELEVE_INBOX_H

#include <stddef.h>

#include "config/config.h"
#include "decode/plugin_host.h"
#include "inbox/sender.h"
#include "store/store.h"

#define RELEVE_INBOX_KEY_MAX 256

typedef enum releve_inbox_outcome {
  RELEVE_INBOX_TAKEN = 1,       /* its attachments are in incoming/ */
  RELEVE_INBOX_QUARANTINED = 2, /* kept aside with its reason */
  RELEVE_INBOX_SEEN = 3         /* this message was taken or quarantined before */
} releve_inbox_outcome;

typedef struct releve_inbox_result {
  releve_inbox_outcome outcome;
  char key[RELEVE_INBOX_KEY_MAX]; /* the Message-ID, or <sha256>@sans-message-id */
  char actor[128];               /* TAKEN: whose */
  int dropped;                   /* TAKEN: files dropped by this run */
  int answered;                  /* QUARANTINED: a note was queued to the sender */
  char why[512];                 /* QUARANTINED: the reason, French */
} releve_inbox_result;

/* Takes the message data (len bytes; total the size it had, larger when
 * only its first len bytes were read since it is over
 * mail.max_message_bytes). Returns 0 once the outcome is durable, or a
 * negative errno value when the database or the disk failed: then the
 * message must be delivered again (EX_TEMPFAIL). */
int releve_inbox_receive(releve_store *s, const releve_config *cfg, const releve_plugins *p,
                         const void *data, size_t len, unsigned long long total,
                         const releve_inbox_envelope *env, releve_inbox_result *out);

/* How many messages were taken and quarantined, for `releve status`. 0
 * or a negative errno value. */
int releve_inbox_counts(releve_store *s, long long *taken, long long *quarantined);

#endif
