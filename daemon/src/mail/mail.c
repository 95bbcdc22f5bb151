#include "mail/mail.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "mail/mail_mime.h"
#include "util/buf.h"

static int random_hex(char *out, size_t bytes) {
  unsigned char r[32];
  size_t i;
  if (bytes > sizeof r || getrandom(r, bytes, 0) != (ssize_t)bytes)
    return -EIO;
  for (i = 0; i < bytes; i++)
    sprintf(out + 2 * i, "%02x", r[i]);
  return 0;
}

/* RFC 5322 date, always in English whatever the locale. */
static void rfc5322_date(time_t t, char out[40]) {
  static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  struct tm tm;
  int off;

  localtime_r(&t, &tm);
  off = (int)(labs(tm.tm_gmtoff) / 60 % 1440); /* minutes; zones lie within a day */
  snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", days[tm.tm_wday % 7],
           tm.tm_mday % 100, months[tm.tm_mon % 12], (tm.tm_year + 1900) % 10000, tm.tm_hour % 100,
           tm.tm_min % 100, tm.tm_sec % 100, tm.tm_gmtoff < 0 ? '-' : '+', off / 60, off % 60);
}

static int check_list(const char *const *list, const char *field, int required, char *why,
                      size_t why_size) {
  size_t i;
  if (required && (list == NULL || list[0] == NULL)) {
    snprintf(why, why_size, "%s: no recipient", field);
    return -EINVAL;
  }
  for (i = 0; list && list[i]; i++)
    if (!releve_mime_address_ok(list[i])) {
      snprintf(why, why_size,
               "%s: \"%s\" is not a plain address (name@domain, no control "
               "character, space or <>,;:\"()[]\\)",
               field, releve_mime_header_ok(list[i]) ? list[i] : "(has a control character)");
      return -EINVAL;
    }
  return 0;
}

int releve_mail_message_id_ok(const char *id) {
  const char *p;
  for (p = id; *p; p++)
    if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '<' || *p == '>')
      return 0;
  return p > id && p - id <= 250;
}

static int check(const releve_mail *m, char *why, size_t why_size) {
  const releve_mail_attachment *a = m->attachment;
  const char *one[2] = {NULL, NULL};

  one[0] = m->from;
  if (check_list(one, "From", 1, why, why_size) || check_list(m->to, "To", 1, why, why_size) ||
      check_list(m->cc, "Cc", 0, why, why_size))
    return -EINVAL;
  one[0] = m->reply_to;
  if (m->reply_to && check_list(one, "Reply-To", 1, why, why_size))
    return -EINVAL;
  if (m->in_reply_to && !releve_mail_message_id_ok(m->in_reply_to)) {
    snprintf(why, why_size, "In-Reply-To: not a Message-ID (printable ASCII, no space or angle "
                            "bracket, at most 250 characters)");
    return -EINVAL;
  }
  if (!releve_mime_header_ok(m->subject) || !releve_mime_utf8_ok(m->subject)) {
    snprintf(why, why_size, "Subject: has a control character (CR, LF…) or is not UTF-8");
    return -EINVAL;
  }
  if (!releve_mime_utf8_ok(m->body)) {
    snprintf(why, why_size, "body: not UTF-8");
    return -EINVAL;
  }
  if (a && (!releve_mime_header_ok(a->filename) || !releve_mime_header_ok(a->content_type) ||
            strpbrk(a->filename, "\"\\") || *a->filename == '\0')) {
    snprintf(why, why_size, "attachment: its name or type has a control character or a quote");
    return -EINVAL;
  }
  for (const char *p = a ? a->filename : ""; *p; p++)
    if ((unsigned char)*p >= 0x80) {
      snprintf(why, why_size, "attachment: its name must be ASCII");
      return -EINVAL;
    }
  return 0;
}

static int add_list(releve_buf *b, releve_buf *env, const char *name, const char *const *list) {
  size_t i;
  int rc = releve_buf_addf(b, "%s: ", name);
  for (i = 0; list[i] && rc == 0; i++) {
    /* One address per line keeps long lists within the line limit. */
    rc = releve_buf_addf(b, "%s%s", i ? ",\r\n " : "", list[i]);
    if (rc == 0)
      rc = releve_buf_addf(env, "%s%s", env->len ? "," : "", list[i]);
  }
  return rc ? rc : releve_buf_adds(b, "\r\n");
}

int releve_mail_build(const releve_mail *m, time_t date, releve_mail_built *out, char *why,
                      size_t why_size) {
  releve_buf b = RELEVE_BUF_INIT, env = RELEVE_BUF_INIT;
  char stamp[40], rnd[25], boundary[40];
  struct tm tm;
  int rc;

  memset(out, 0, sizeof *out);
  if (why_size)
    why[0] = '\0';
  if ((rc = check(m, why, why_size)) != 0)
    return rc;
  if (random_hex(rnd, 12) || random_hex(boundary + 9, 12)) {
    snprintf(why, why_size, "no random bytes for the Message-ID");
    return -EIO;
  }
  memcpy(boundary, "=_releve_", 9);
  gmtime_r(&date, &tm);
  strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
  snprintf(out->message_id, sizeof out->message_id, "<%s.%s@%s>", stamp, rnd,
           strchr(m->from, '@') + 1);
  rfc5322_date(date, stamp);

  rc = releve_buf_addf(&b, "Date: %s\r\nFrom: %s\r\n", stamp, m->from);
  rc = rc ? rc : add_list(&b, &env, "To", m->to);
  if (rc == 0 && m->cc && m->cc[0])
    rc = add_list(&b, &env, "Cc", m->cc);
  if (rc == 0 && m->reply_to)
    rc = releve_buf_addf(&b, "Reply-To: %s\r\n", m->reply_to);
  if (rc == 0 && m->in_reply_to)
    rc = releve_buf_addf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", m->in_reply_to,
                         m->in_reply_to);
  rc = rc ? rc : releve_mime_header_text(&b, "Subject", m->subject);
  rc = rc ? rc
          : releve_buf_addf(&b,
                            "Message-ID: %s\r\nMIME-Version: 1.0\r\n"
                            "Auto-Submitted: auto-generated\r\n",
                            out->message_id);
  if (rc == 0 && m->attachment)
    rc = releve_buf_addf(&b,
                         "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n"
                         "This is a MIME message.\r\n\r\n--%s\r\n",
                         boundary, boundary);
  rc = rc ? rc
          : releve_buf_adds(&b, "Content-Type: text/plain; charset=UTF-8\r\n"
                                "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
  rc = rc ? rc : releve_mime_qp(&b, m->body, strlen(m->body));
  if (rc == 0 && m->attachment) {
    const releve_mail_attachment *a = m->attachment;
    rc = releve_buf_addf(&b,
                         /* Folded: a workbook's type alone nearly fills a line. */
                         "\r\n--%s\r\nContent-Type:\r\n %s;\r\n name=\"%s\"\r\n"
                         "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n"
                         "Content-Transfer-Encoding: base64\r\n\r\n",
                         boundary, a->content_type, a->filename, a->filename);
    rc = rc ? rc : releve_mime_base64(&b, a->data, a->len);
    rc = rc ? rc : releve_buf_addf(&b, "\r\n--%s--\r\n", boundary);
  }
  if (rc == 0) {
    out->len = b.len;
    out->message = releve_buf_steal(&b);
    out->recipients = releve_buf_steal(&env);
    if (out->message == NULL || out->recipients == NULL)
      rc = -ENOMEM;
  }
  if (rc) {
    releve_buf_free(&b);
    releve_buf_free(&env);
    releve_mail_built_free(out);
    if (why_size && why[0] == '\0')
      snprintf(why, why_size, "%s", strerror(-rc));
  }
  return rc;
}

void releve_mail_built_free(releve_mail_built *b) {
  free(b->message);
  free(b->recipients);
  b->message = b->recipients = NULL;
  b->len = 0;
}

void releve_mail_id_filename(const char *message_id, char *out, size_t size) {
  size_t k = 0;
  const char *p;
  if (size == 0)
    return;
  for (p = message_id; *p && k + 1 < size; p++) {
    char c = *p;
    if (c == '<' || c == '>')
      continue;
    out[k++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_' || c == '@')
                   ? c
                   : '_';
  }
  out[k] = '\0';
}
