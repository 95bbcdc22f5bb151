/* quarantine.h -- a message that is no actor's submission.
 *
 * It is kept, never ingested, in the quarantine folder beside the
 * database (<database folder>/quarantine/, mode 0700): the message as it
 * came, "<id>.eml", and its one-line French reason, "<id>.raison" (of a
 * message for a personal-data actor, by its reply address or its sender,
 * only the headers are kept, and the reason says so). It is
 * recorded in mail_messages (counted by `releve status`) and answered,
 * through the mail queue, with a short French note saying why and what to
 * do: at most once per sender and day, and never to an automatic message
 * (Auto-Submitted, Precedence: bulk/list/junk), to the null sender (a
 * bounce) or to relevé's own address. */
#ifndef RELEVE_INBOX_QUARANTINE_H
#define RELEVE_INBOX_QUARANTINE_H

#include <stddef.h>

#include "config/config.h"
#include "inbox/mime.h"
#include "inbox/sender.h"
#include "store/store.h"

/* <database folder>/quarantine, malloc'ed (NULL: no memory). */
char *releve_quarantine_dir(const releve_config *cfg);

/* Keeps data (the message, len bytes) under key (its Message-ID, or a
 * name made from its hash) with why, records it and queues the note. m
 * may be NULL (a message that could not be read). *answered is set when a
 * note was queued. Returns 0 once all that is durable, or a negative
 * errno value (nothing recorded; the folder may hold the files, which a
 * new delivery writes again). */
int releve_quarantine_keep(releve_store *s, const releve_config *cfg, const char *key,
                           const void *data, size_t len, const releve_inbox_message *m,
                           const releve_inbox_envelope *env, const char *why, int *answered);

#endif
