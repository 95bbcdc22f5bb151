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

#endif
