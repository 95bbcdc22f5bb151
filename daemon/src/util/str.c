#include "util/str.h"

#include "util/buf.h"

char *releve_str_vprintf(const char *fmt, va_list ap) {
  releve_buf b = RELEVE_BUF_INIT;
  if (releve_buf_vaddf(&b, fmt, ap)) {
    releve_buf_free(&b);
    return NULL;
  }
  return releve_buf_steal(&b);
}

char *releve_str_printf(const char *fmt, ...) {
  va_list ap;
  char *s;
  va_start(ap, fmt);
  s = releve_str_vprintf(fmt, ap);
  va_end(ap);
  return s;
}
