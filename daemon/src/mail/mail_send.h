/* mail_send.h -- handing one built message over: to the SMTP relay named
 * by mail.smtp (libcurl), or, without one, as a file in the outbox folder
 * (<outbox>/<Message-ID>.eml, written tmp → fsync → rename → fsync(dir))
 * for another program or an administrator to pick up.
 *
 * SMTP: STARTTLS is required on smtp:// unless mail.starttls is false
 * (meant for a relay on loopback); smtps:// is TLS from the start. The
 * user name and password are read from the file mail.credentials
 * ("user:password") at each delivery and never logged. mail.timeout_seconds
 * bounds the connection, and three times it the whole delivery. */
#ifndef RELEVE_MAIL_SEND_H
#define RELEVE_MAIL_SEND_H

#include <stdatomic.h>
#include <stddef.h>

#include "config/config.h"

typedef struct releve_mail_envelope {
  const char *message_id;
  const char *from;
  const char *recipients; /* comma-separated */
  const char *data;       /* the message, CRLF line ends */
  size_t len;
} releve_mail_envelope;

/* Once per process, before any thread delivers (curl_global_init). */
int releve_mail_global_init(void);

/* Delivers e. Returns 0 when the relay took it (or the file is written),
 * -EAGAIN when it is worth trying again later (a 4xx answer, a connection
 * refused, dropped or timed out, TLS or login trouble, a local write
 * error, or stop set meanwhile: a stopping daemon does not wait for a slow
 * relay), -EREMOTEIO when the relay refused it for good (a 5xx answer).
 * stop may be NULL. error receives what went wrong, for the outbox and the
 * logs. */
int releve_mail_deliver(const releve_config *cfg, const releve_mail_envelope *e,
                        const atomic_int *stop, char *error, size_t error_size);

#endif
