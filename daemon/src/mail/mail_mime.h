/* mail_mime.h -- the encodings a mail message is made of (RFC 2045, 2047,
 * 5322): header values checked for control characters, non-ASCII header
 * text as UTF-8 encoded-words, quoted-printable bodies and base64
 * attachments. Pure functions on a releve_buf; every output line ends with
 * CRLF and is at most RELEVE_MIME_LINE characters long (headers made of
 * encoded-words included). They return 0, -EINVAL for input that may not be
 * encoded (control characters, invalid UTF-8 in a header) or -ENOMEM. */
#ifndef RELEVE_MAIL_MIME_H
#define RELEVE_MAIL_MIME_H

#include <stddef.h>

#include "util/buf.h"

#define RELEVE_MIME_LINE 76
/* RFC 2047 §2: an encoded-word is at most 75 characters. */
#define RELEVE_MIME_WORD 75

/* Whether s can go in a header: no control character at all (CR and LF
 * would start a new header; NUL, TAB and DEL have no business there
 * either). */
int releve_mime_header_ok(const char *s);
/* Whether s is a bare address "local@domain" that can go in a header and
 * in the SMTP envelope: printable ASCII, no space, no <>,;:"()[]\ and
 * exactly one '@' with text on both sides. */
int releve_mime_address_ok(const char *s);
/* Whether s is valid UTF-8 (no overlong forms, no surrogates). */
int releve_mime_utf8_ok(const char *s);

/* Appends the header line "Name: value" CRLF. A value that is printable
 * ASCII, holds no "=?" and fits on one line is written as is; otherwise it
 * becomes UTF-8 "Q" encoded-words of at most RELEVE_MIME_WORD characters,
 * folded so that no line exceeds RELEVE_MIME_LINE, each word holding whole
 * characters. -EINVAL when value has a control character or is not
 * UTF-8. */
int releve_mime_header_text(releve_buf *out, const char *name, const char *value);

/* Appends text (lines ended by LF or CRLF) as quoted-printable: '=' and
 * bytes outside printable ASCII escaped, a space or tab ending a line
 * escaped, "From " at the start of a line escaped, long lines cut with
 * soft line breaks. The result ends with CRLF. */
int releve_mime_qp(releve_buf *out, const char *text, size_t len);

/* Appends data in base64, RELEVE_MIME_LINE characters a line. */
int releve_mime_base64(releve_buf *out, const void *data, size_t len);

/* A malloc'ed copy of s with control characters and bytes that are not
 * UTF-8 replaced by '?': for text from outside (a partner's file name, a
 * report quoting its cells) that a mail must carry. multiline keeps line
 * feeds and tabs (for a body). NULL on allocation failure. */
char *releve_mime_printable(const char *s, int multiline);

#endif
