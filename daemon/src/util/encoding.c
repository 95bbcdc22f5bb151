/* encoding.c -- see encoding.h. */
#include "util/encoding.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* How many continuation bytes a lead byte announces; -1 for a byte that
 * cannot start a UTF-8 sequence (a stray continuation, C0, C1, F5..FF). */
static int continuation_count(unsigned char c) {
  if (c < 0x80)
    return 0;
  if (c >= 0xC2 && c <= 0xDF)
    return 1;
  if (c >= 0xE0 && c <= 0xEF)
    return 2;
  if (c >= 0xF0 && c <= 0xF4)
    return 3;
  return -1;
}

int releve_encoding_bom_mixed(int fd, unsigned long *line) {
  unsigned char buf[65536];
  unsigned long lineno = 1;
  int need = 0, first = 1;
  ssize_t n;

  *line = 0;
  if (lseek(fd, 0, SEEK_SET) != 0)
    return -errno;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    ssize_t i = 0;
    if (first) {
      first = 0;
      if (n < 3 || memcmp(buf, "\xEF\xBB\xBF", 3) != 0)
        return 0;
      i = 3;
    }
    for (; i < n; i++) {
      unsigned char c = buf[i];
      if (need > 0) {
        if ((c & 0xC0) == 0x80) {
          need--;
          continue;
        }
        *line = lineno; /* a sequence cut short */
        return 1;
      }
      if (c == '\n')
        lineno++;
      if ((need = continuation_count(c)) < 0) {
        *line = lineno;
        return 1;
      }
    }
  }
  if (n < 0)
    return -errno;
  if (need > 0) {
    *line = lineno;
    return 1;
  }
  return 0;
}
