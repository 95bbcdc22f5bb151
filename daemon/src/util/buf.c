#include "util/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_reserve(releve_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  size_t cap;
  char *p;

  if (need <= b->cap)
    return 0;
  cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap *= 2;
  p = realloc(b->data, cap);
  if (p == NULL)
    return -ENOMEM;
  b->data = p;
  b->cap = cap;
  return 0;
}

int releve_buf_add(releve_buf *b, const char *s, size_t n) {
  int rc = buf_reserve(b, n);
  if (rc)
    return rc;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int releve_buf_adds(releve_buf *b, const char *s) { return releve_buf_add(b, s, strlen(s)); }

int releve_buf_vaddf(releve_buf *b, const char *fmt, va_list ap) {
  va_list cp;
  int n, rc;

  va_copy(cp, ap);
  n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0)
    return -EINVAL;
  rc = buf_reserve(b, (size_t)n);
  if (rc)
    return rc;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int releve_buf_addf(releve_buf *b, const char *fmt, ...) {
  va_list ap;
  int rc;
  va_start(ap, fmt);
  rc = releve_buf_vaddf(b, fmt, ap);
  va_end(ap);
  return rc;
}

int releve_buf_add_csv(releve_buf *b, const char *s) {
  int rc = 0;
  if (strpbrk(s, ";\"\r\n") == NULL)
    return releve_buf_adds(b, s);
  rc |= releve_buf_adds(b, "\"");
  for (; *s && rc == 0; s++)
    rc = releve_buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
  return rc ? rc : releve_buf_adds(b, "\"");
}

char *releve_buf_steal(releve_buf *b) {
  char *s;
  if (b->data == NULL && buf_reserve(b, 0))
    return NULL;
  b->data[b->len] = '\0';
  s = b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  return s;
}

void releve_buf_free(releve_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
