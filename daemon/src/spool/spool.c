#include "spool/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/file.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spool/claim.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/name.h"
#include "util/str.h"

static const char *const dir_names[] = {"incoming", "processing", "archive", "rejected"};

char *releve_spool_path(const releve_config *cfg, const char *actor, enum releve_spool_dir d) {
  return releve_str_printf("%s/%s/%s", cfg->spool, actor, dir_names[d]);
}

/* The pid written in a lock file by its holder, or 0. */
static long holder_pid(int fd) {
  char text[32];
  ssize_t n = pread(fd, text, sizeof text - 1, 0);
  if (n <= 0)
    return 0;
  text[n] = '\0';
  return strtol(text, NULL, 10);
}

int releve_spool_lock(const releve_config *cfg, int *fd, long *holder) {
  char *path = releve_str_printf("%s/.releved.lock", cfg->spool), pid[32];
  int rc = path ? releve_fs_mkdir_p(cfg->spool, 0750) : -ENOMEM;
  int n;

  *fd = -1;
  *holder = 0;
  if (rc == 0 && (*fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640)) < 0)
    rc = -errno;
  free(path);
  if (rc)
    return rc;
  if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
    rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
    if (rc == -EBUSY)
      *holder = holder_pid(*fd);
  } else {
    n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, (size_t)n, 0) != n)
      rc = -errno;
  }
  if (rc) {
    close(*fd);
    *fd = -1;
  }
  return rc;
}

int releve_spool_prepare(const releve_config *cfg) {
  gid_t gid = (gid_t)-1;
  size_t a;
  int d, rc = 0;

  if (cfg->spool_group) {
    struct group *g = getgrnam(cfg->spool_group);
    if (g == NULL) {
      releve_err("spool group \"%s\" does not exist", cfg->spool_group);
      return -ENOENT;
    }
    gid = g->gr_gid;
  }
  for (a = 0; a < cfg->n_actors && rc == 0; a++) {
    for (d = RELEVE_SPOOL_INCOMING; d <= RELEVE_SPOOL_REJECTED && rc == 0; d++) {
      char *path = releve_spool_path(cfg, cfg->actors[a].id, (enum releve_spool_dir)d);
      mode_t mode = d == RELEVE_SPOOL_INCOMING ? (mode_t)cfg->spool_mode : 0750;
      if (path == NULL)
        return -ENOMEM;
      rc = releve_fs_mkdir_p(path, 0750);
      /* mkdir honours the umask; set the configured mode explicitly so that
       * partners' upload accounts can write into incoming/. */
      if (rc == 0 && chmod(path, mode) != 0)
        rc = -errno;
      if (rc == 0 && gid != (gid_t)-1 && d == RELEVE_SPOOL_INCOMING && chown(path, (uid_t)-1, gid))
        rc = -errno;
      if (rc)
        releve_err("cannot prepare spool folder %s: %s", path, strerror(-rc));
      free(path);
    }
    if (rc == 0 && cfg->actors[a].personal_data && cfg->actors[a].keep_days > 0) {
      char *path = releve_spool_personal_path(cfg, cfg->actors[a].id);
      if (path == NULL)
        return -ENOMEM;
      rc = releve_fs_mkdir_p(path, 0700);
      if (rc == 0 && chmod(path, 0700) != 0)
        rc = -errno;
      if (rc)
        releve_err("cannot prepare spool folder %s: %s", path, strerror(-rc));
      free(path);
    }
  }
  return rc;
}

char *releve_spool_personal_path(const releve_config *cfg, const char *actor) {
  return releve_str_printf("%s/%s/personal", cfg->spool, actor);
}

int releve_spool_prune_personal(const char *personal_dir, int keep_days) {
  time_t limit = time(NULL) - (time_t)keep_days * 86400;
  char **names;
  size_t n, i;
  int rc = releve_spool_list(personal_dir, &names, &n), deleted = 0;

  if (rc)
    return rc == -ENOENT ? 0 : rc;
  for (i = 0; i < n; i++) {
    char *path = releve_str_printf("%s/%s", personal_dir, names[i]);
    struct stat st;
    if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < limit) {
      if (unlink(path) == 0)
        deleted++;
      else
        releve_err("cannot delete %s after its keeping period: %s", path, strerror(errno));
    }
    free(path);
  }
  releve_spool_names_free(names);
  if (deleted)
    releve_fs_sync_dir(personal_dir);
  return deleted;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void releve_spool_names_free(char **names) {
  size_t i;
  if (names == NULL)
    return;
  for (i = 0; names[i]; i++)
    free(names[i]);
  free(names);
}

int releve_spool_waiting(const releve_config *cfg, const char *actor, enum releve_spool_dir d) {
  char *path = releve_spool_path(cfg, actor, d);
  char **names = NULL;
  size_t i, n;
  int rc, count = 0;

  if (path == NULL)
    return -ENOMEM;
  rc = releve_spool_list(path, &names, &n);
  free(path);
  if (rc == -ENOENT)
    return 0;
  if (rc)
    return rc;
  for (i = 0; i < n; i++)
    count += !releve_name_ignored(names[i]);
  releve_spool_names_free(names);
  return count;
}

int releve_spool_stale_uploads(const releve_config *cfg, const char *actor, time_t now,
                               char ***names, size_t *n) {
  char *dir = releve_spool_path(cfg, actor, RELEVE_SPOOL_INCOMING);
  size_t i, kept = 0;
  int rc;

  *names = NULL;
  *n = 0;
  if (dir == NULL)
    return -ENOMEM;
  rc = releve_spool_list(dir, names, n);
  for (i = 0; rc == 0 && i < *n; i++) {
    char *name = (*names)[i], *path = releve_str_printf("%s/%s", dir, name);
    struct stat st;
    (*names)[i] = NULL;
    if (path && releve_name_ignored(name) && lstat(path, &st) == 0 &&
        S_ISREG(st.st_mode) && difftime(now, st.st_mtime) >= cfg->stale_upload_hours * 3600.0)
      (*names)[kept++] = name;
    else
      free(name);
    free(path);
  }
  free(dir);
  if (rc)
    return rc == -ENOENT ? 0 : rc;
  if (*names)
    (*names)[kept] = NULL;
  *n = kept;
  if (kept == 0) {
    releve_spool_names_free(*names);
    *names = NULL;
  }
  return 0;
}

int releve_spool_list(const char *dir, char ***names, size_t *n) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **v = NULL;
  size_t len = 0, cap = 0;
  int rc = 0;

  *names = NULL;
  *n = 0;
  if (d == NULL)
    return -errno;
  while ((errno = 0, e = readdir(d)) != NULL) {
    if (!releve_name_ok(e->d_name))
      continue;
    if (len + 1 >= cap) {
      char **nv;
      cap = cap ? cap * 2 : 16;
      nv = realloc(v, cap * sizeof *v);
      if (nv == NULL) {
        rc = -ENOMEM;
        break;
      }
      v = nv;
    }
    if ((v[len] = strdup(e->d_name)) == NULL) {
      rc = -ENOMEM;
      break;
    }
    v[++len] = NULL;
  }
  if (rc == 0 && errno != 0)
    rc = -errno;
  closedir(d);
  if (rc) {
    if (v)
      v[len] = NULL;
    releve_spool_names_free(v);
    return rc;
  }
  if (v)
    qsort(v, len, sizeof *v, cmp_names);
  *names = v;
  *n = len;
  return 0;
}
