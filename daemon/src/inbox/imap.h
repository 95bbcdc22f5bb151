/* imap.h -- the daemon's polled IMAP mailboxes (config/mailboxes.h): each
 * is polled on its schedule, on the daemon's loop, with libcurl on the
 * shared curl multi handle of util/transfer.h.
 *
 * A poll, over one fresh connection kept for its commands:
 *   UID SEARCH UNDELETED   the folder is SELECTed; its UIDVALIDITY is read
 *                          from the server's answer
 *   (thread pool)          the UIDs already taken under that UIDVALIDITY
 *                          are left out (inbox/imap_seen.h)
 *   UID FETCH n BODY[]     each new message whole, in UID order, at most
 *                          max_bytes
 *   (thread pool)          take() gets it; once it has durably taken it
 *                          the UID is recorded
 *   UID STORE / UID MOVE   then, and only then, the message is marked
 *                          \Seen or moved to move_to
 *
 * libcurl fetches with BODY[], not BODY.PEEK[], so the server sets \Seen as
 * it hands the message over; a message take() refuses for now has \Seen
 * removed again and is fetched at the next poll. What was taken is what the
 * database says, never the flag. A poll that fails (server down, login
 * refused, a temporary refusal by take()) is logged once and tried again
 * after retry_seconds, doubled per failure in a row, never later than the
 * next scheduled poll; failures in a row survive a restart. */
#ifndef RELEVE_IMAP_H
#define RELEVE_IMAP_H

#include <stddef.h>
#include <uv.h>

#include "config/config.h"
#include "config/mailboxes.h"

typedef struct releve_imap releve_imap;

/* Called on the thread pool, one call at a time, with one whole RFC 5322
 * message of mailbox m. Returns 0 once the message is durably taken (its
 * attachments in the spool, or it quarantined), or a negative errno value
 * when it could not be taken now (it is offered again at the next poll). */
typedef int (*releve_imap_take_cb)(void *ud, const releve_mailbox *m, unsigned long uid,
                                   const char *message, size_t len);

/* Starts polling cfg's mailboxes on loop, handing each new message to
 * take. *out is NULL when there are none. Nothing of cfg is kept. Returns 0
 * or a negative errno value. */
int releve_imap_start(uv_loop_t *loop, const releve_config *cfg, releve_imap_take_cb take,
                      void *ud, releve_imap **out);

/* Stops: transfers are abandoned (nothing recorded, nothing marked), a
 * step running on the thread pool is let finish. closed (may be NULL) is
 * called on the loop once everything is released. */
void releve_imap_close(releve_imap *p, void (*closed)(void *data), void *data);

#endif
