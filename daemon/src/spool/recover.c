#include "spool/recover.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"
#include "spool/spool.h"
#include "store/submission.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/name.h"
#include "util/sha256.h"
#include "util/str.h"

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* One settled file: known to the database, and with its report. */
static int check_file(releve_store *store, const char *actor, const char *dir, const char *name,
                      releve_recover_result *res) {
  char *path = releve_str_printf("%s/%s", dir, name), *rpath = NULL, *report = NULL;
  char sha256[65];
  releve_submission_found found;
  unsigned long long size;
  struct stat st;
  int fd, rc = 0;

  if (path == NULL)
    return -ENOMEM;
  /* Links, FIFOs and files the daemon cannot read were refused unread:
   * nothing to recognise them by. */
  fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
    goto out;
  if ((rc = releve_sha256_fd(fd, sha256, &size)) != 0)
    goto out;
  if ((rc = releve_submission_recorded(store, actor, sha256, NULL, 0, &found)) < 0)
    goto out;
  report = found.report;
  rc = 0;
  if (report == NULL) {
    if (res->unknown++ == 0) {
      res->example = path;
      path = NULL;
    }
    goto out;
  }
  rpath = releve_report_path(dir, name);
  if (rpath == NULL) {
    rc = -ENOMEM;
  } else if (lstat(rpath, &st) != 0 && errno == ENOENT) {
    rc = releve_report_write(dir, name, report);
    if (rc == 0) {
      res->rewritten++;
      releve_warn("%s/%s: its report was missing; rewritten from the database", actor, name);
    }
  }
out:
  if (fd >= 0)
    close(fd);
  free(path);
  free(rpath);
  free(report);
  return rc;
}

static int check_dir(releve_store *store, const char *actor, const char *dir,
                     releve_recover_result *res) {
  char **names;
  size_t n, i;
  int rc = releve_spool_list(dir, &names, &n);

  if (rc)
    return rc == -ENOENT ? 0 : rc;
  for (i = 0; i < n && rc == 0; i++) {
    const char *name = names[i];
    if (name[0] == '.' && strstr(name, RELEVE_REPORT_SUFFIX ".") && ends_with(name, ".tmp")) {
      char *path = releve_str_printf("%s/%s", dir, name);
      if (path && unlink(path) == 0)
        res->removed++;
      free(path);
    } else if (!ends_with(name, RELEVE_REPORT_SUFFIX) && !releve_name_ignored(name)) {
      rc = check_file(store, actor, dir, name, res);
    }
  }
  releve_spool_names_free(names);
  if (rc == 0 && (res->removed || res->rewritten))
    rc = releve_fs_sync_dir(dir);
  return rc;
}

int releve_recover_spool(const releve_config *cfg, releve_store *store,
                         releve_recover_result *res) {
  static const enum releve_spool_dir settled[] = {RELEVE_SPOOL_ARCHIVE, RELEVE_SPOOL_REJECTED};
  size_t a, k;
  int rc = 0;

  memset(res, 0, sizeof *res);
  for (a = 0; a < cfg->n_actors && rc == 0; a++)
    for (k = 0; k < 2 && rc == 0; k++) {
      char *dir = releve_spool_path(cfg, cfg->actors[a].id, settled[k]);
      rc = dir ? check_dir(store, cfg->actors[a].id, dir, res) : -ENOMEM;
      free(dir);
    }
  return rc;
}

void releve_recover_result_free(releve_recover_result *res) {
  free(res->example);
  res->example = NULL;
}
