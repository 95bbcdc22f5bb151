/* fuzz_mail_header.c -- libFuzzer target for the mail header encoder
 * (mail_mime.h). The input is a header value, such as a French subject
 * quoting a partner's file name. The encoder must refuse exactly what may
 * not be encoded, and what it writes must be lines of at most 76 printable
 * ASCII characters that a mail reader decodes back into the value: the
 * value itself when it is plain, else UTF-8 "Q" encoded-words of at most 75
 * characters, each holding whole characters. releve_mime_printable, which
 * makes such values out of outside text, must always give one that
 * encodes. */
#include <errno.h>

#include "fuzz.h"
#include "util/log.h"
#include "mail/mail_mime.h"
#include "util/buf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  releve_log_set_level(0);
  return 0;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes one encoded-word's text (between "=?UTF-8?Q?" and "?=") onto out. */
static void decode_q(releve_buf *out, const char *s, size_t n) {
  releve_buf word = RELEVE_BUF_INIT;
  size_t i;

  for (i = 0; i < n; i++) {
    char c = s[i];
    if (c == '_') {
      c = ' ';
    } else if (c == '=') {
      FUZZ_CHECK(i + 2 < n && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0);
      c = (char)(hex_digit(s[i + 1]) << 4 | hex_digit(s[i + 2]));
      i += 2;
    } else {
      /* RFC 2047 §5(3): what may stand for itself in any header. */
      FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 (c && strchr("!*+-/", c)));
    }
    if (releve_buf_add(&word, &c, 1))
      abort();
  }
  /* Each word holds whole characters, so that it reads on its own. */
  FUZZ_CHECK(word.len > 0 && memchr(word.data, '\0', word.len) == NULL);
  if (releve_buf_add(&word, "", 1) || releve_buf_adds(out, word.data))
    abort();
  FUZZ_CHECK(releve_mime_utf8_ok(word.data));
  releve_buf_free(&word);
}

/* Checks the lines of "Subject: …" CRLF and returns the value a reader
 * gets from them. */
static char *decode_header(const releve_buf *h, const char *value) {
  static const char open[] = "=?UTF-8?Q?";
  releve_buf unfolded = RELEVE_BUF_INIT, decoded = RELEVE_BUF_INIT;
  const char *p = h->data, *end = h->data + h->len;
  char *body;

  FUZZ_CHECK(h->len >= 11 && memcmp(h->data, "Subject:", 8) == 0);
  FUZZ_CHECK(memcmp(end - 2, "\r\n", 2) == 0);
  while (p < end) {
    const char *eol = strstr(p, "\r\n");
    size_t i;
    FUZZ_CHECK(eol != NULL && eol - p <= RELEVE_MIME_LINE);
    for (i = 0; p + i < eol; i++)
      FUZZ_CHECK(p[i] >= ' ' && p[i] < 0x7f);
    /* A continuation line starts with folding white space. */
    FUZZ_CHECK(p == h->data || *p == ' ');
    if (releve_buf_add(&unfolded, p, (size_t)(eol - p)))
      abort();
    p = eol + 2;
  }
  body = unfolded.data + strlen("Subject:");
  if (strncmp(body, " =?", 3) != 0 || strcmp(body + 1, value) == 0) {
    /* Written as is. */
    FUZZ_CHECK(*body == ' ');
    if (releve_buf_adds(&decoded, body + 1))
      abort();
  } else {
    /* Encoded-words separated by white space, which readers drop. */
    while (*body) {
      const char *text, *close;
      FUZZ_CHECK(*body == ' ');
      body++;
      FUZZ_CHECK(strncmp(body, open, strlen(open)) == 0);
      text = body + strlen(open);
      close = strstr(text, "?=");
      FUZZ_CHECK(close != NULL && close + 2 - body <= RELEVE_MIME_WORD);
      decode_q(&decoded, text, (size_t)(close - text));
      body = (char *)close + 2;
    }
  }
  releve_buf_free(&unfolded);
  if (decoded.data == NULL && releve_buf_adds(&decoded, ""))
    abort();
  return releve_buf_steal(&decoded);
}

static void check_encoding(const char *value) {
  releve_buf h = RELEVE_BUF_INIT;
  int encodable = releve_mime_header_ok(value) && releve_mime_utf8_ok(value);
  int rc = releve_mime_header_text(&h, "Subject", value);

  FUZZ_CHECK(rc == (encodable ? 0 : -EINVAL));
  if (rc == 0) {
    char *back = decode_header(&h, value);
    FUZZ_CHECK(back != NULL && strcmp(back, value) == 0);
    free(back);
  }
  releve_buf_free(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *value = fuzz_string(data, size), *safe;

  check_encoding(value);
  safe = releve_mime_printable(value, 0);
  FUZZ_CHECK(safe != NULL && releve_mime_header_ok(safe) && releve_mime_utf8_ok(safe));
  check_encoding(safe);
  if (releve_mime_address_ok(value))
    FUZZ_CHECK(releve_mime_header_ok(value) && strchr(value, ' ') == NULL);
  free(safe);
  free(value);
  return 0;
}
