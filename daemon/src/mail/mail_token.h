/* mail_token.h -- the secret reply address of each actor.
 *
 * A partner answers a reminder or a receipt by replying to it: the reply
 * goes to the Reply-To these mails carry, <local>+<actor>.<token>@<domain>
 * (local and domain from mail.reply_to). The token is 128 random bits
 * (getrandom(2)) in 26 lower-case base32 letters, kept in the database,
 * made the first time a mail needs it and replaced by `releve mail-token
 * --rotate`. A message is taken as the actor's only when addressed to the
 * actor's current address (inbox/), so that knowing an actor's mail
 * address, or another actor's reply address, is not enough to submit. */
#ifndef RELEVE_MAIL_TOKEN_H
#define RELEVE_MAIL_TOKEN_H

#include <stddef.h>

#include "config/config.h"
#include "store/store.h"

#define RELEVE_MAIL_TOKEN_LEN 26 /* 130 bits of base32, 128 of them random */
#define RELEVE_MAIL_ADDRESS_MAX 320

/* Copies actor's token into token (RELEVE_MAIL_TOKEN_LEN + 1 bytes),
 * making and storing one when the actor has none yet and create is set.
 * Runs inside the caller's transaction when one is open. Returns 0,
 * -ENOENT when there is none and create is not set, or a negative errno. */
int releve_mail_token_get(releve_store *s, const char *actor, int create, char *token);

/* Replaces actor's token by a new one, copied into token; the old reply
 * address stops working at once. 0 or a negative errno value. */
int releve_mail_token_rotate(releve_store *s, const char *actor, char *token);

/* Writes <local>+<actor>.<token>@<domain> for reply_to "local@domain".
 * Returns 0, or -ENAMETOOLONG when it does not fit in size. */
int releve_mail_token_address(const char *reply_to, const char *actor, const char *token,
                              char *out, size_t size);

/* The Reply-To of a mail to actor: its token address (made on first need)
 * when mail.reply_to is set, else the coordinator, else "". Returns 0 or a
 * negative errno value. */
int releve_mail_token_reply_to(releve_store *s, const releve_config *cfg, const char *actor,
                               char *out, size_t size);

/* Reads a recipient address as a reply address of reply_to: when its
 * domain is reply_to's (any case) and its local part is reply_to's local
 * part, '+', an actor id, '.', then RELEVE_MAIL_TOKEN_LEN base32 letters
 * (any case), copies the actor (at most actor_size bytes) and the token in
 * lower case, and returns 1; returns 0 for any other address. */
int releve_mail_token_parse(const char *reply_to, const char *address, char *actor,
                            size_t actor_size, char *token);

#endif
