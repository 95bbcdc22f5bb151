/* encoding.c -- see encoding.h. The bytes are decoded by the kit's UTF-8
 * decoder, the one the plugins' reader uses to choose Windows-1252, so that
 * the host flags exactly the lines a plugin converts. */
#include "util/encoding.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kit/kit.h"
#include "util/fd.h"

int releve_encoding_bom_mixed(int fd, unsigned long *line) {
  unsigned char buf[65536];
  unsigned long lineno = 1;
  size_t kept = 0; /* the start of a character cut by the end of the last read */
  int first = 1;
  ssize_t n;

  *line = 0;
  if (lseek(fd, 0, SEEK_SET) != 0)
    return -errno;
  while ((n = releve_fd_read(fd, buf + kept, sizeof buf - kept)) > 0) {
    size_t end = kept + (size_t)n, i = 0, whole;
    if (first) {
      first = 0;
      if (end < 3 || memcmp(buf, "\xEF\xBB\xBF", 3) != 0)
        return 0;
      i = 3;
    }
    whole = releve_kit_utf8_cut((const char *)buf, end);
    while (i < whole) {
      unsigned cp;
      size_t len = releve_kit_utf8_decode((const char *)buf + i, whole - i, &cp);
      if (len == 0) {
        *line = lineno;
        return 1;
      }
      lineno += cp == '\n';
      i += len;
    }
    kept = end - whole;
    memmove(buf, buf + whole, kept);
  }
  if (n < 0)
    return (int)n;
  if (kept > 0) { /* the file ends inside a character */
    *line = lineno;
    return 1;
  }
  return 0;
}
