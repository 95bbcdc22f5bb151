#include "mail/mail_mime.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "kit/kit.h"
#include "util/buf.h"

static const char hex[] = "0123456789ABCDEF";

/* Length of the valid UTF-8 sequence at s (of at most n bytes, never past
 * a NUL), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned cp;
  return releve_kit_utf8_decode((const char *)s, n, &cp);
}

static int is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

int releve_mime_header_ok(const char *s) {
  for (; *s; s++)
    if (is_control((unsigned char)*s))
      return 0;
  return 1;
}

int releve_mime_utf8_ok(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = utf8_len(p, 4);
    if (n == 0)
      return 0;
    p += n;
  }
  return 1;
}

int releve_mime_address_ok(const char *s) {
  const char *at = strchr(s, '@');
  const char *p;

  if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
    return 0;
  for (p = s; *p; p++)
    if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || strchr("<>,;:\"()[]\\", *p))
      return 0;
  return 1;
}

/* One character of an encoded-word's "Q" text (RFC 2047 §4.2 and §5(3):
 * only letters, digits and !*+-/ stand for themselves, which is safe in
 * every header). */
static size_t q_char(const unsigned char *c, size_t n, char *out) {
  size_t i, k = 0;
  if (n == 1 && *c == ' ') {
    out[0] = '_';
    return 1;
  }
  if (n == 1 && ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                 strchr("!*+-/", *c))) {
    out[0] = (char)*c;
    return 1;
  }
  for (i = 0; i < n; i++) {
    out[k++] = '=';
    out[k++] = hex[c[i] >> 4];
    out[k++] = hex[c[i] & 15];
  }
  return k;
}

#define Q_OPEN "=?UTF-8?Q?"
#define Q_CLOSE "?="

int releve_mime_header_text(releve_buf *out, const char *name, const char *value) {
  const size_t open = strlen(Q_OPEN), close = strlen(Q_CLOSE);
  const unsigned char *p = (const unsigned char *)value;
  size_t used, word = 0; /* line length so far; length of the open word, 0 if none */
  int plain = 1, rc;

  if (!releve_mime_header_ok(name) || !releve_mime_header_ok(value) || !releve_mime_utf8_ok(value))
    return -EINVAL;
  for (; *p && plain; p++)
    plain = *p < 0x80;
  if (plain && strstr(value, "=?") == NULL && strlen(name) + 2 + strlen(value) <= RELEVE_MIME_LINE)
    return releve_buf_addf(out, "%s: %s\r\n", name, value);

  rc = releve_buf_addf(out, "%s:", name);
  used = strlen(name) + 1;
  p = (const unsigned char *)value;
  while (*p && rc == 0) {
    char enc[12];
    size_t n = utf8_len(p, 4), k = q_char(p, n, enc);
    if (word == 0) {
      /* A long header name may leave no room on its line: fold first. */
      if (used + 1 + open + k + close > RELEVE_MIME_LINE) {
        rc = releve_buf_adds(out, "\r\n");
        used = 0;
      }
      if (rc == 0)
        rc = releve_buf_adds(out, " " Q_OPEN);
      used += 1 + open;
      word = open;
    } else if (word + k + close > RELEVE_MIME_WORD || used + k + close > RELEVE_MIME_LINE) {
      /* Close this word and go on with the same character on a new line. */
      rc = releve_buf_adds(out, Q_CLOSE "\r\n");
      used = word = 0;
      continue;
    }
    if (rc == 0)
      rc = releve_buf_add(out, enc, k);
    used += k;
    word += k;
    p += n;
  }
  return rc ? rc : releve_buf_adds(out, Q_CLOSE "\r\n");
}

/* Quoted-printable: one input line, without its end. A UTF-8 character
 * is never cut by a soft line break, so that each line reads on its own. */
static int qp_line(releve_buf *out, const unsigned char *s, size_t len) {
  size_t i = 0, col = 0;
  int rc = 0;

  while (i < len && rc == 0) {
    char tok[12];
    size_t k = 0, n = s[i] >= 0x80 ? utf8_len(s + i, len - i) : 1, j;
    unsigned char c = s[i];
    int last, literal;

    if (n == 0 || i + n > len)
      n = 1;
    last = i + n == len;
    literal = n == 1 && ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last));
    /* "From " at the start of a line is mangled by some mbox tools. */
    if (i == 0 && len >= 5 && memcmp(s, "From ", 5) == 0)
      literal = 0;
    if (literal) {
      tok[k++] = (char)c;
    } else {
      for (j = 0; j < n; j++) {
        tok[k++] = '=';
        tok[k++] = hex[s[i + j] >> 4];
        tok[k++] = hex[s[i + j] & 15];
      }
    }
    /* A soft break "=" takes the last column of a line that goes on. */
    if (col + k > (last ? RELEVE_MIME_LINE : RELEVE_MIME_LINE - 1)) {
      rc = releve_buf_adds(out, "=\r\n");
      col = 0;
    }
    if (rc == 0)
      rc = releve_buf_add(out, tok, k);
    col += k;
    i += n;
  }
  return rc ? rc : releve_buf_adds(out, "\r\n");
}

int releve_mime_qp(releve_buf *out, const char *text, size_t len) {
  const char *p = text, *end = text + len;
  int rc = 0;

  while (p < end && rc == 0) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    size_t n = (size_t)(stop - p);
    if (n && p[n - 1] == '\r')
      n--;
    rc = qp_line(out, (const unsigned char *)p, n);
    p = nl ? nl + 1 : end;
  }
  if (rc == 0 && len == 0)
    rc = releve_buf_adds(out, "\r\n");
  return rc;
}

int releve_mime_base64(releve_buf *out, const void *data, size_t len) {
  /* 57 bytes make 76 characters. */
  const unsigned char *p = data;
  unsigned char line[RELEVE_MIME_LINE + 1];
  int rc = 0;

  while (len > 0 && rc == 0) {
    size_t n = len < 57 ? len : 57;
    int k = EVP_EncodeBlock(line, p, (int)n);
    rc = releve_buf_add(out, (const char *)line, (size_t)k);
    if (rc == 0)
      rc = releve_buf_adds(out, "\r\n");
    p += n;
    len -= n;
  }
  return rc;
}

char *releve_mime_printable(const char *s, int multiline) {
  releve_buf b = RELEVE_BUF_INIT;
  const unsigned char *p = (const unsigned char *)s;
  int rc = 0;

  while (*p && rc == 0) {
    size_t n = utf8_len(p, 4);
    if (n == 0 || (n == 1 && is_control(*p) && !(multiline && (*p == '\n' || *p == '\t')))) {
      rc = releve_buf_add(&b, "?", 1);
      p++;
    } else {
      rc = releve_buf_add(&b, (const char *)p, n);
      p += n;
    }
  }
  if (rc) {
    releve_buf_free(&b);
    return NULL;
  }
  return releve_buf_steal(&b);
}
