/* mime.h -- a partner's message read with GMime: who it is from and to,
 * what the MTA said of it, and its candidate attachments.
 *
 * Parsing is GMime's (RFC 5322, MIME, RFC 2047 and RFC 2231 names,
 * base64 and quoted-printable), in its loose mode since mail clients are
 * loose. The parts walked are the nested multiparts of the message and of
 * one forwarded message (message/rfc822) in it, not of a message forwarded
 * within that one. A part is a candidate when its type or its file name
 * says a spreadsheet or a CSV table (xlsx, ods, csv: an
 * application/octet-stream named *.xlsx is one); the body text and images
 * (a signature's logo) are not. Whether a reader of the actor recognises a
 * candidate is decided later, by the plugins (inbox.h). */
#ifndef RELEVE_INBOX_MIME_H
#define RELEVE_INBOX_MIME_H

#include <stddef.h>

#define RELEVE_INBOX_MAX_ATTACHMENTS 32

typedef struct releve_inbox_attachment {
  char *name;         /* UTF-8 as the sender gave it, may be NULL */
  char *content_type; /* "type/subtype", lower case */
  unsigned char *data;
  size_t len;
} releve_inbox_attachment;

typedef struct releve_inbox_message {
  char *message_id;   /* without angle brackets; NULL when absent */
  char *from;         /* the first mailbox of From, lower case; NULL when none */
  char **recipients;  /* To, Cc and Delivered-To mailboxes, lower case, NULL-ended */
  size_t n_recipients;
  char **auth_results; /* every Authentication-Results value, NULL-ended */
  size_t n_auth_results;
  int automatic;      /* Auto-Submitted other than "no", or Precedence bulk, list or junk */
  releve_inbox_attachment attachments[RELEVE_INBOX_MAX_ATTACHMENTS];
  size_t n_attachments;
  size_t skipped;     /* candidates beyond RELEVE_INBOX_MAX_ATTACHMENTS */
} releve_inbox_message;

/* Reads the message in data. Returns 0 with *out filled (free with
 * releve_inbox_mime_free), -EBADMSG when it is not a message at all (no
 * header can be read), or -ENOMEM. Never fails on a part it cannot read:
 * that part is left out. */
int releve_inbox_mime_parse(const void *data, size_t len, releve_inbox_message *out);
void releve_inbox_mime_free(releve_inbox_message *m);

/* Whether an Authentication-Results value was written by authserv_id (its
 * first word, any case) and shows dkim=pass or spf=pass. */
int releve_inbox_mime_auth_pass(const char *value, const char *authserv_id);

#endif
