#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit/kit.h"

static int max_level = RELEVE_INFO;

void releve_log_set_level(int level) { max_level = level; }
int releve_log_get_level(void) { return max_level; }

/* The length of the valid UTF-8 sequence of a printable character at s
 * (1 for printable ASCII), or 0: a control character (C0, DEL, C1), a byte
 * that does not start a sequence, a truncated, overlong or surrogate
 * sequence, or a code point above U+10FFFF. */
static size_t printable_char(const unsigned char *s) {
  unsigned cp;
  size_t n = releve_kit_utf8_decode((const char *)s, 4, &cp);

  if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
    return 0;
  return n;
}

/* Escapes s into out (room for cap bytes, cap > 0), never cutting an
 * escape or a character in two. Returns the length written. */
static size_t escape_into(const char *s, char *out, size_t cap) {
  const unsigned char *p = (const unsigned char *)s;
  size_t len = 0;

  while (*p) {
    size_t n = printable_char(p);
    char esc[5];
    const char *piece = (const char *)p;
    size_t k = n;
    if (n == 0 || *p == '\\') {
      if (*p == '\\')
        memcpy(esc, "\\\\", 3);
      else
        snprintf(esc, sizeof esc, "\\x%02x", *p);
      piece = esc;
      k = strlen(esc);
      n = 1;
    }
    if (len + k >= cap)
      break;
    memcpy(out + len, piece, k);
    len += k;
    p += n;
  }
  out[len] = '\0';
  return len;
}

char *releve_log_escape(const char *s) {
  size_t cap = strlen(s) * 4 + 1;
  char *out = malloc(cap);
  if (out)
    escape_into(s, out, cap);
  return out;
}

char *releve_log_safe_name(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  char *out = malloc(strlen(s) + 1);
  size_t len = 0;

  if (out == NULL)
    return NULL;
  while (*p) {
    size_t n = printable_char(p);
    if (n == 0) {
      out[len++] = '_';
      p++;
    } else {
      memcpy(out + len, p, n);
      len += n;
      p += n;
    }
  }
  out[len] = '\0';
  return out;
}

int releve_log_clean_name(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = printable_char(p);
    if (n == 0)
      return 0;
    p += n;
  }
  return 1;
}

void releve_vlog(int level, const char *fmt, va_list ap) {
  static const char *const words[] = {"emerg", "alert", "crit", "error",
                                      "warning", "notice", "info", "debug"};
  char raw[2048], line[2048 + 16];
  int n;

  if (level > max_level)
    return;
  if (level < 0 || level > 7)
    level = RELEVE_ERR;
  /* Format first and write once: lines from the daemon and its decoder
   * children must not interleave mid-line on the shared stderr. */
  if (isatty(STDERR_FILENO))
    n = snprintf(line, sizeof line, "%s: ", words[level]);
  else
    n = snprintf(line, sizeof line, "<%d>", level);
  vsnprintf(raw, sizeof raw, fmt, ap);
  /* Messages carry partners' file names, plugins' texts, servers' replies:
   * escaped here, once for all of them, no line can be forged (a newline
   * followed by "<2>") nor hold bytes a terminal or journald would take. */
  n += (int)escape_into(raw, line + n, sizeof line - (size_t)n - 1);
  line[n++] = '\n';
  line[n] = '\0';
  fputs(line, stderr);
}

void releve_log(int level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  releve_vlog(level, fmt, ap);
  va_end(ap);
}
