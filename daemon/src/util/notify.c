#include "util/notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/buf.h"

int releve_notify(const char *state) {
  const char *path = getenv("NOTIFY_SOCKET");
  struct sockaddr_un sa;
  socklen_t salen;
  size_t plen;
  ssize_t n;
  int fd, rc;

  if (path == NULL || path[0] == '\0')
    return 0;
  plen = strlen(path);
  if ((path[0] != '/' && path[0] != '@') || plen >= sizeof sa.sun_path)
    return -EINVAL;
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  memcpy(sa.sun_path, path, plen);
  if (path[0] == '@')
    sa.sun_path[0] = '\0'; /* abstract namespace: the length says where it ends */
  salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] == '/'));
  fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  do
    n = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
  while (n < 0 && errno == EINTR);
  rc = n < 0 ? -errno : 1;
  close(fd);
  return rc;
}

int releve_notifyf(const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  int rc;

  if (getenv("NOTIFY_SOCKET") == NULL)
    return 0;
  va_start(ap, fmt);
  rc = releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  if (rc == 0)
    rc = releve_notify(b.data);
  releve_buf_free(&b);
  return rc;
}

uint64_t releve_notify_watchdog_usec(void) {
  const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
  char *end;
  unsigned long long v;

  if (usec == NULL)
    return 0;
  if (pid && strtol(pid, NULL, 10) != (long)getpid())
    return 0;
  errno = 0;
  v = strtoull(usec, &end, 10);
  if (errno || *end != '\0' || end == usec)
    return 0;
  return v;
}
