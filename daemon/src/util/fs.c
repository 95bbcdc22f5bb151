#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fd.h"
#include "util/path.h"
#include "util/str.h"

int releve_fs_mkdir_p(const char *path, mode_t mode) {
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

int releve_fs_sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc = 0;
  if (fd < 0)
    return -errno;
  if (fsync(fd) != 0)
    rc = -errno;
  close(fd);
  return rc;
}

int releve_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode) {
  char *dir = releve_path_dirname(path);
  char *tmp = releve_str_printf("%s/.%s.%ld.tmp", dir ? dir : ".", releve_path_basename(path),
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
    rc = releve_fs_sync_dir(dir);
out:
  free(dir);
  free(tmp);
  return rc;
}

int releve_fs_read_file(const char *path, char **data, size_t *len) {
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
