/* fd.c -- see fd.h. */
#include "util/fd.h"

#include <errno.h>
#include <unistd.h>

ssize_t releve_fd_read(int fd, void *buf, size_t n) {
  ssize_t got;
  do
    got = read(fd, buf, n);
  while (got < 0 && errno == EINTR);
  return got < 0 ? -errno : got;
}

ssize_t releve_fd_pread(int fd, void *buf, size_t n, off_t off) {
  ssize_t got;
  do
    got = pread(fd, buf, n, off);
  while (got < 0 && errno == EINTR);
  return got < 0 ? -errno : got;
}

int releve_fd_write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -errno;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}
