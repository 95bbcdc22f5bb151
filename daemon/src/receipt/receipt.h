/* receipt.h -- the report of each file the daemon took, mailed to the
 * actor that sent it (reminders.receipts, on by default), so that a
 * partner knows without asking whether its figures were stored and, when
 * they were not, what to fix. */
#ifndef RELEVE_RECEIPT_H
#define RELEVE_RECEIPT_H

#include "config/config.h"
#include "ingest/ingest.h"
#include "store/store.h"

/* Queues the receipt of file_name (as the partner named it) for actor's
 * addresses. Nothing is queued when receipts are off or the actor has no
 * address (*mail, may be NULL, is then 0). Returns 0 or a negative errno
 * value. */
int releve_receipt_queue(releve_store *s, const releve_config *cfg, const char *actor,
                         const char *file_name, const releve_ingest_result *res, long long *mail);

/* An ingest's on_outcome (ingest.h) that queues the partner's receipt in the
 * transaction recording the outcome: a file is never stored without its
 * mail, and a crash before the COMMIT leaves neither. A mail the outbox
 * refuses to build (an address it cannot use, -EINVAL) is logged and does
 * not hold the figures back; any other failure rolls the file back. ud is
 * unused. The spool's job sets it; `releve ingest` mails nothing. */
int releve_receipt_on_outcome(void *ud, const releve_ingest_env *env, const char *actor,
                              const char *name, const releve_ingest_result *res);

#endif
