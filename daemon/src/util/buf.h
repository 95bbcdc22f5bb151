/* buf.h -- a growable string buffer, the core's way of building text.
 * Functions return 0 or a negative errno value. */
#ifndef RELEVE_BUF_H
#define RELEVE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct releve_buf {
  char *data; /* always NUL-terminated once anything was added */
  size_t len;
  size_t cap;
} releve_buf;

#define RELEVE_BUF_INIT {NULL, 0, 0}

int releve_buf_add(releve_buf *b, const char *s, size_t n);
int releve_buf_adds(releve_buf *b, const char *s);
int releve_buf_addf(releve_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int releve_buf_vaddf(releve_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Adds s as one field of a ';'-separated CSV line, quoted when needed. */
int releve_buf_add_csv(releve_buf *b, const char *s);
/* Hands the string over to the caller (never NULL on success) and resets b. */
char *releve_buf_steal(releve_buf *b);
void releve_buf_free(releve_buf *b);

#endif
