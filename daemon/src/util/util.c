#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fd.h"

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

char *releve_aprintf(const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  int rc;
  va_start(ap, fmt);
  rc = releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  if (rc) {
    releve_buf_free(&b);
    return NULL;
  }
  return releve_buf_steal(&b);
}

char *releve_path_resolve(const char *base_dir, const char *path) {
  if (path[0] == '/' || base_dir == NULL || base_dir[0] == '\0')
    return strdup(path);
  return releve_aprintf("%s/%s", base_dir, path);
}

char *releve_path_dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL)
    return strdup(".");
  if (slash == path)
    return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

const char *releve_path_basename(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

int releve_mkdir_p(const char *path, mode_t mode) {
  char *copy = strdup(path);
  char *p;
  int rc = 0;

  if (copy == NULL)
    return -ENOMEM;
  for (p = copy + 1;; p++) {
    if (*p == '/' || *p == '\0') {
      char saved = *p;
      *p = '\0';
      if (mkdir(copy, mode) != 0 && errno != EEXIST) {
        rc = -errno;
        break;
      }
      *p = saved;
      if (saved == '\0')
        break;
    }
  }
  free(copy);
  return rc;
}

int releve_fsync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc = 0;
  if (fd < 0)
    return -errno;
  if (fsync(fd) != 0)
    rc = -errno;
  close(fd);
  return rc;
}

int releve_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode) {
  char *dir = releve_path_dirname(path);
  char *tmp = releve_aprintf("%s/.%s.%ld.tmp", dir ? dir : ".", releve_path_basename(path),
                             (long)getpid());
  int fd = -1, rc = 0;

  if (dir == NULL || tmp == NULL) {
    rc = -ENOMEM;
    goto out;
  }
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    rc = -errno;
    goto out;
  }
  rc = releve_fd_write_all(fd, data, len);
  if (rc == 0 && fsync(fd) != 0)
    rc = -errno;
  if (close(fd) != 0 && rc == 0)
    rc = -errno;
  fd = -1;
  if (rc == 0 && rename(tmp, path) != 0)
    rc = -errno;
  if (rc != 0)
    unlink(tmp);
  else
    rc = releve_fsync_dir(dir);
out:
  free(dir);
  free(tmp);
  return rc;
}

int releve_read_file(const char *path, char **data, size_t *len) {
  releve_buf b = RELEVE_BUF_INIT;
  char chunk[8192];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  int rc = 0;

  if (fd < 0)
    return -errno;
  for (;;) {
    ssize_t n = releve_fd_read(fd, chunk, sizeof chunk);
    if (n < 0) {
      rc = (int)n;
      break;
    }
    if (n == 0)
      break;
    rc = releve_buf_add(&b, chunk, (size_t)n);
    if (rc)
      break;
  }
  close(fd);
  if (rc) {
    releve_buf_free(&b);
    return rc;
  }
  if (len)
    *len = b.len;
  *data = releve_buf_steal(&b);
  return *data ? 0 : -ENOMEM;
}

void releve_utc_text(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Europe/Paris keeps the European Union's rule (directive 2000/84/EC, the
 * French rule since 1996): UTC+2 from the last Sunday of March to the last
 * Sunday of October, both at 01:00 UTC, UTC+1 the rest of the year. It is
 * computed rather than asked of localtime_r under TZ=Europe/Paris: that would
 * mean changing the environment of a process whose worker threads (libcurl's
 * resolver, the mailer) read it, and would depend on tzdata being there. */
static time_t last_sunday_0100_utc(int year, int mon) {
  struct tm tm;
  time_t t;

  memset(&tm, 0, sizeof tm);
  tm.tm_year = year - 1900;
  tm.tm_mon = mon; /* March or October: both have 31 days */
  tm.tm_mday = 31;
  tm.tm_hour = 1;
  t = timegm(&tm);
  gmtime_r(&t, &tm);
  return t - (time_t)tm.tm_wday * 86400;
}

void releve_paris_tm(time_t t, struct tm *out) {
  int summer;

  gmtime_r(&t, out);
  summer = t >= last_sunday_0100_utc(out->tm_year + 1900, 2) &&
           t < last_sunday_0100_utc(out->tm_year + 1900, 9);
  t += summer ? 7200 : 3600;
  gmtime_r(&t, out);
}

void releve_paris_text(time_t t, char out[48]) {
  struct tm tm;

  releve_paris_tm(t, &tm);
  strftime(out, 48, "%d/%m/%Y à %H:%M (heure de Paris)", &tm);
}
