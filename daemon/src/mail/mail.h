/* mail.h -- one mail message, built once and for all: the bytes stored in
 * the outbox are the bytes every delivery attempt sends, so a retried
 * message keeps its Date and Message-ID and a receiving server can
 * recognise it.
 *
 * Every address and header value is checked before anything is built: a
 * control character (CR and LF above all: they would let text forge
 * headers) or a malformed address refuses the message with a sentence
 * saying which field is wrong. */
#ifndef RELEVE_MAIL_H
#define RELEVE_MAIL_H

#include <stddef.h>
#include <time.h>

#define RELEVE_MAIL_ID_MAX 160

typedef struct releve_mail_attachment {
  const char *filename;     /* printable ASCII, no quote or backslash */
  const char *content_type; /* e.g. "text/csv; charset=UTF-8" */
  const void *data;
  size_t len;
} releve_mail_attachment;

typedef struct releve_mail {
  const char *from;                         /* bare address */
  const char *const *to;                    /* NULL-ended, at least one */
  const char *const *cc;                    /* NULL-ended, may be NULL */
  const char *reply_to;                     /* may be NULL */
  const char *in_reply_to; /* the Message-ID answered, no angle brackets; may be NULL */
  const char *subject;                      /* UTF-8 */
  const char *body;                         /* UTF-8 text, lines ended by LF */
  const releve_mail_attachment *attachment; /* may be NULL */
} releve_mail;

typedef struct releve_mail_built {
  char *message; /* RFC 5322 + MIME, CRLF line ends */
  size_t len;
  char *recipients;                    /* envelope: To then Cc, comma-separated */
  char message_id[RELEVE_MAIL_ID_MAX]; /* with its angle brackets */
} releve_mail_built;

/* Builds m dated date, with a new Message-ID <time.random@from-domain>.
 * Returns 0, -EINVAL with why (a sentence naming the field) filled when a
 * field may not be sent, or -ENOMEM. */
int releve_mail_build(const releve_mail *m, time_t date, releve_mail_built *out, char *why,
                      size_t why_size);
void releve_mail_built_free(releve_mail_built *b);

/* Whether id (a partner's Message-ID, angle brackets dropped) may go back
 * into In-Reply-To: 1 to 250 printable ASCII characters, no space, no
 * angle bracket. */
int releve_mail_message_id_ok(const char *id);

/* The Message-ID turned into a file name: angle brackets dropped, anything
 * but letters, digits, '.', '-', '_' and '@' replaced by '_'. */
void releve_mail_id_filename(const char *message_id, char *out, size_t size);

#endif
