/* Mail encodings: RFC 2047 encoded-words, quoted-printable, base64, and the
 * refusal of control characters in every header and address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "mail/mail_mime.h"
#include "util/buf.h"

static int hexval(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

/* Every line of text (CRLF-ended) is at most max characters. */
static void assert_lines_within(const char *text, size_t max) {
  const char *p = text;
  while (*p) {
    const char *crlf = strstr(p, "\r\n");
    assert_non_null(crlf);
    if ((size_t)(crlf - p) > max)
      fail_msg("line of %zu characters: %.*s", (size_t)(crlf - p), (int)(crlf - p), p);
    p = crlf + 2;
  }
}

/* Decodes the "Q" encoded-words of one folded header value, checking that
 * each word is at most 75 characters and holds whole UTF-8 characters. */
static char *decode_q_header(const char *value) {
  releve_buf out = RELEVE_BUF_INIT;
  const char *p = value;
  while ((p = strstr(p, "=?UTF-8?Q?")) != NULL) {
    const char *start = p, *end = strstr(p + 10, "?=");
    releve_buf word = RELEVE_BUF_INIT;
    assert_non_null(end);
    assert_true(end + 2 - start <= RELEVE_MIME_WORD);
    for (p += 10; p < end; p++) {
      char c = *p;
      if (c == '_')
        c = ' ';
      else if (c == '=') {
        c = (char)(hexval(p[1]) << 4 | hexval(p[2]));
        p += 2;
      }
      releve_buf_add(&word, &c, 1);
    }
    assert_true(releve_mime_utf8_ok(word.data));
    releve_buf_adds(&out, word.data);
    releve_buf_free(&word);
    p = end + 2;
  }
  return releve_buf_steal(&out);
}

static char *header(const char *name, const char *value, int *rc) {
  releve_buf b = RELEVE_BUF_INIT;
  *rc = releve_mime_header_text(&b, name, value);
  return releve_buf_steal(&b);
}

static void test_header_plain_and_encoded(void **state) {
  int rc;
  char *h;
  (void)state;
  h = header("Subject", "Rapport du fichier", &rc);
  assert_int_equal(rc, 0);
  assert_string_equal(h, "Subject: Rapport du fichier\r\n");
  free(h);
  h = header("Subject", "Relevé", &rc);
  assert_int_equal(rc, 0);
  assert_string_equal(h, "Subject: =?UTF-8?Q?Relev=C3=A9?=\r\n");
  free(h);
  /* "=?" in plain text would read as an encoded-word: encode it. */
  h = header("Subject", "a=?b", &rc);
  assert_string_equal(h, "Subject: =?UTF-8?Q?a=3D=3Fb?=\r\n");
  free(h);
  h = header("Subject", "relevé : fichier caf_2019.csv accepté", &rc);
  assert_string_equal(h, "Subject: =?UTF-8?Q?relev=C3=A9_=3A_fichier_caf=5F2019=2Ecsv_accept="
                         "C3=A9?=\r\n");
  free(h);
}

static void test_header_folding(void **state) {
  const char *subject = "Ouverture de la collecte 2023 du contrat de ville : 148 chiffres "
                        "attendus d'ici le 29 mars 2024 — éèàùç ÉÈÀ « guillemets » 😀 fin";
  char *h, *decoded;
  int rc;
  (void)state;
  h = header("Subject", subject, &rc);
  assert_int_equal(rc, 0);
  assert_lines_within(h, RELEVE_MIME_LINE);
  assert_non_null(strstr(h, "\r\n =?UTF-8?Q?")); /* folded */
  decoded = decode_q_header(h);
  assert_string_equal(decoded, subject);
  free(decoded);
  free(h);
}

static void test_header_refuses_controls(void **state) {
  int rc;
  (void)state;
  free(header("Subject", "Bonjour\r\nBcc: victim@example.org", &rc));
  assert_int_equal(rc, -EINVAL);
  free(header("Subject", "lf\nonly", &rc));
  assert_int_equal(rc, -EINVAL);
  free(header("Subject", "tab\there", &rc));
  assert_int_equal(rc, -EINVAL);
  free(header("Subject", "bad \xff utf-8", &rc));
  assert_int_equal(rc, -EINVAL);
  assert_true(releve_mime_header_ok("Relevé 2023"));
  assert_false(releve_mime_header_ok("a\rb"));
  assert_false(releve_mime_header_ok("a\x7f"));
}

static void test_addresses(void **state) {
  (void)state;
  assert_true(releve_mime_address_ok("referent@caf-paris.example.org"));
  assert_false(releve_mime_address_ok("a@b\r\nRCPT TO:<x@y>"));
  assert_false(releve_mime_address_ok("a@b\n"));
  assert_false(releve_mime_address_ok("a b@c"));
  assert_false(releve_mime_address_ok("<a@b>"));
  assert_false(releve_mime_address_ok("a@b,c@d"));
  assert_false(releve_mime_address_ok("ab"));
  assert_false(releve_mime_address_ok("a@"));
  assert_false(releve_mime_address_ok("@b"));
  assert_false(releve_mime_address_ok("a@b@c"));
  assert_false(releve_mime_address_ok("é@b"));
}

static char *qp(const char *text) {
  releve_buf b = RELEVE_BUF_INIT;
  assert_int_equal(releve_mime_qp(&b, text, strlen(text)), 0);
  return releve_buf_steal(&b);
}

/* Decodes quoted-printable back to bytes, lines ended by LF. */
static char *qp_decode(const char *s) {
  releve_buf out = RELEVE_BUF_INIT;
  while (*s) {
    if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
      s += 3;
    } else if (s[0] == '=') {
      char c = (char)(hexval(s[1]) << 4 | hexval(s[2]));
      releve_buf_add(&out, &c, 1);
      s += 3;
    } else if (s[0] == '\r' && s[1] == '\n') {
      releve_buf_adds(&out, "\n");
      s += 2;
    } else {
      releve_buf_add(&out, s++, 1);
    }
  }
  return releve_buf_steal(&out);
}

static void test_quoted_printable(void **state) {
  char *q, *d, long_line[400];
  (void)state;
  q = qp("a=b\n");
  assert_string_equal(q, "a=3Db\r\n");
  free(q);
  q = qp("fin  \nsuite\t\n");
  assert_string_equal(q, "fin =20\r\nsuite=09\r\n");
  free(q);
  q = qp("From here\n.\n");
  assert_string_equal(q, "=46rom here\r\n.\r\n");
  free(q);
  q = qp("été\r\nsans fin");
  assert_string_equal(q, "=C3=A9t=C3=A9\r\nsans fin\r\n");
  free(q);
  /* Long lines: soft breaks, no line over 76, never inside a character. */
  memset(long_line, 0, sizeof long_line);
  for (size_t i = 0; i < 60; i++)
    strcat(long_line, i % 3 ? "x" : "é=");
  strcat(long_line, "   \n");
  q = qp(long_line);
  assert_lines_within(q, RELEVE_MIME_LINE);
  assert_null(strstr(q, "=C3=\r\n"));
  d = qp_decode(q);
  assert_string_equal(d, long_line);
  free(d);
  free(q);
}

static void test_base64(void **state) {
  releve_buf b = RELEVE_BUF_INIT;
  unsigned char data[100];
  char *s;
  (void)state;
  assert_int_equal(releve_mime_base64(&b, "hello", 5), 0);
  s = releve_buf_steal(&b);
  assert_string_equal(s, "aGVsbG8=\r\n");
  free(s);
  memset(data, 0xff, sizeof data);
  assert_int_equal(releve_mime_base64(&b, data, sizeof data), 0);
  s = releve_buf_steal(&b);
  assert_int_equal(strstr(s, "\r\n") - s, 76);
  assert_lines_within(s, RELEVE_MIME_LINE);
  free(s);
}

static void test_printable(void **state) {
  char *s;
  (void)state;
  s = releve_mime_printable("caf\r\n2019\xff é.csv", 0);
  assert_string_equal(s, "caf??2019? é.csv");
  free(s);
  s = releve_mime_printable("ligne 1\n\tligne 2\r\x01", 1);
  assert_string_equal(s, "ligne 1\n\tligne 2??");
  free(s);
}

static const char *const to[] = {"referent@caf-paris.example.org", "stats@caf-paris.example.org",
                                 NULL};
static const char *const cc[] = {"coordination@paris.example.org", NULL};

static releve_mail sample(void) {
  static const releve_mail_attachment att = {"modele_caf_2023.csv", "text/csv; charset=UTF-8",
                                             "indicateur;periode\r\nG04.1;2023\r\n", 30};
  releve_mail m;
  memset(&m, 0, sizeof m);
  m.from = "releve@paris.example.org";
  m.to = to;
  m.cc = cc;
  m.reply_to = "coordination@paris.example.org";
  m.subject = "Rappel : 12 chiffres 2023 attendus d'ici le 29 mars 2024";
  m.body = "Bonjour,\n\nIl manque des chiffres.\n";
  m.attachment = &att;
  return m;
}

static void test_build_message(void **state) {
  releve_mail m = sample();
  releve_mail_built b;
  char why[256], file[RELEVE_MAIL_ID_MAX];
  (void)state;
  assert_int_equal(releve_mail_build(&m, 1706000000, &b, why, sizeof why), 0);
  assert_non_null(strstr(b.message, "\r\nTo: referent@caf-paris.example.org,\r\n "
                                    "stats@caf-paris.example.org\r\n"));
  assert_non_null(strstr(b.message, "\r\nCc: coordination@paris.example.org\r\n"));
  assert_non_null(strstr(b.message, "\r\nMIME-Version: 1.0\r\n"));
  assert_non_null(strstr(b.message, "Content-Type: multipart/mixed;"));
  assert_non_null(strstr(b.message, "filename=\"modele_caf_2023.csv\""));
  assert_non_null(strstr(b.message, "Content-Transfer-Encoding: base64"));
  assert_memory_equal(b.message, "Date: ", 6);
  assert_string_equal(b.recipients, "referent@caf-paris.example.org,stats@caf-paris.example.org,"
                                    "coordination@paris.example.org");
  assert_int_equal(b.message_id[0], '<');
  assert_non_null(strstr(b.message_id, "@paris.example.org>"));
  assert_non_null(strstr(b.message, b.message_id));
  assert_lines_within(b.message, 78);
  releve_mail_id_filename(b.message_id, file, sizeof file);
  assert_null(strpbrk(file, "<>/"));
  releve_mail_built_free(&b);
}

static void test_build_refuses_injection(void **state) {
  static const char *const bad_to[] = {"a@b.org\r\nBcc: x@y.org", NULL};
  static const char *const bad_cc[] = {"c@d.org\n", NULL};
  static const releve_mail_attachment bad_att = {"a\"b.csv", "text/csv", "x", 1};
  releve_mail m;
  releve_mail_built b;
  char why[256];
  (void)state;

  m = sample();
  m.subject = "Rappel\r\nBcc: victim@example.org";
  assert_int_equal(releve_mail_build(&m, 0, &b, why, sizeof why), -EINVAL);
  assert_non_null(strstr(why, "Subject"));
  assert_null(b.message);

  m = sample();
  m.to = bad_to;
  assert_int_equal(releve_mail_build(&m, 0, &b, why, sizeof why), -EINVAL);
  assert_non_null(strstr(why, "To"));

  m = sample();
  m.cc = bad_cc;
  assert_int_equal(releve_mail_build(&m, 0, &b, why, sizeof why), -EINVAL);
  assert_non_null(strstr(why, "Cc"));

  m = sample();
  m.from = "releve@paris.example.org\r\nX-Evil: 1";
  assert_int_equal(releve_mail_build(&m, 0, &b, why, sizeof why), -EINVAL);
  assert_non_null(strstr(why, "From"));

  m = sample();
  m.reply_to = "x@y\r";
  assert_int_equal(releve_mail_build(&m, 0, &b, why, sizeof why), -EINVAL);
  assert_non_null(strstr(why, "Reply-To"));

  m = sample();
  m.attachment = &bad_att;
  assert_int_equal(releve_mail_build(&m, 0, &b, why, sizeof why), -EINVAL);
  assert_non_null(strstr(why, "attachment"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_header_plain_and_encoded),
      cmocka_unit_test(test_header_folding),
      cmocka_unit_test(test_header_refuses_controls),
      cmocka_unit_test(test_addresses),
      cmocka_unit_test(test_quoted_printable),
      cmocka_unit_test(test_base64),
      cmocka_unit_test(test_printable),
      cmocka_unit_test(test_build_message),
      cmocka_unit_test(test_build_refuses_injection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
