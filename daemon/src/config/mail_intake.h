/* mail_intake.h -- the "mail" keys that govern partners' replies by mail:
 * "reply_to" (the address reminders and receipts give for replies, each
 * actor's secret token added to its local part: mail_token.h),
 * "trust_authentication_results" (the host whose Authentication-Results
 * header must show dkim=pass or spf=pass) and "max_message_bytes" (a
 * larger message is quarantined unread). releve.json(5) documents them. */
#ifndef RELEVE_MAIL_INTAKE_H
#define RELEVE_MAIL_INTAKE_H

#include <jansson.h>

#include "config/config.h"
#include "util/json.h"

/* Spliced into the list of the "mail" object's keys. */
#define RELEVE_MAIL_INTAKE_KEYS "reply_to", "trust_authentication_results", "max_message_bytes"

#define RELEVE_MAIL_MAX_MESSAGE_BYTES (25LL * 1024 * 1024)

/* Reads the keys above from the "mail" object (NULL when there is none)
 * into cfg, a diagnostic for each wrong value. */
void releve_mail_intake_load(releve_config *cfg, const releve_jctx *c, json_t *mail);

#endif
