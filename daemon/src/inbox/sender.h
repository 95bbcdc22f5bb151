/* sender.h -- whose message this is.
 *
 * A message is an actor's only when both hold: it is addressed (To, Cc,
 * Delivered-To or the envelope recipient) to the actor's current reply
 * address (mail_token.h), and its sender, From and the envelope sender
 * when the MTA gives one, is among the actor's "emails". Knowing an
 * actor's address is not enough, since From is easily forged; nor is
 * holding another actor's reply address, since the sender must be that
 * actor's. With mail.trust_authentication_results, the city's own MX must
 * moreover have written an Authentication-Results header showing
 * dkim=pass or spf=pass (that MX must remove such headers coming from
 * outside, as RFC 8601 asks). */
#ifndef RELEVE_INBOX_SENDER_H
#define RELEVE_INBOX_SENDER_H

#include <stddef.h>

#include "config/config.h"
#include "inbox/mime.h"
#include "store/store.h"

/* What the MTA says of the message: NULL when it does not say. */
typedef struct releve_inbox_envelope {
  const char *sender;    /* MAIL FROM; "" for the null sender <> (a bounce) */
  const char *recipient; /* RCPT TO */
} releve_inbox_envelope;

/* Sets *actor to the actor whose message m is and returns 0; returns 1
 * with why (French, one line) filled when it is no actor's, or a negative
 * errno value when the database failed. */
int releve_inbox_sender_check(releve_store *s, const releve_config *cfg,
                              const releve_inbox_message *m, const releve_inbox_envelope *env,
                              const releve_actor **actor, char *why, size_t why_size);

#endif
