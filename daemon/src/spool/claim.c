#include "spool/claim.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/name.h"
#include "util/str.h"

/* rename() that fails with -EEXIST instead of replacing. */
static int rename_noreplace(const char *from, const char *to) {
  struct stat st;
  if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -errno;
  /* A file system without RENAME_NOREPLACE: the target folders belong to
   * the daemon alone, so checking first is enough there. */
  if (lstat(to, &st) == 0)
    return -EEXIST;
  return rename(from, to) == 0 ? 0 : -errno;
}

int releve_claim_move_as(const char *from_dir, const char *name, const char *to_dir,
                         const char *as, size_t max_len, releve_claim_before_fn before, void *ud,
                         char **final_name) {
  char *from, *target = NULL, *to = NULL;
  struct stat st;
  int rc = -EEXIST, n;

  *final_name = NULL;
  if (!releve_name_ok(name) || (as && !releve_name_ok(as)))
    return -EINVAL;
  from = releve_str_printf("%s/%s", from_dir, name);
  if (from == NULL)
    return -ENOMEM;
  for (n = 1; n < 10000 && rc == -EEXIST; n++) {
    free(target);
    free(to);
    target = releve_name_variant(as ? as : name, n, max_len);
    to = target ? releve_str_printf("%s/%s", to_dir, target) : NULL;
    if (to == NULL) {
      rc = -ENOMEM;
      break;
    }
    if (before) {
      /* Whatever goes beside the file goes first, under the name the file
       * will have: skip names already taken, so as not to replace what
       * belongs to another file. */
      if (lstat(to, &st) == 0)
        continue;
      if ((rc = before(ud, to_dir, target)) != 0)
        break;
    }
    rc = rename_noreplace(from, to);
  }
  free(from);
  free(to);
  if (rc == 0)
    *final_name = target;
  else
    free(target);
  return rc;
}

int releve_claim_move(const char *from_dir, const char *name, const char *to_dir,
                      char **final_name) {
  return releve_claim_move_as(from_dir, name, to_dir, NULL, NAME_MAX, NULL, NULL, final_name);
}

int releve_claim_check(const char *dir, const char *name) {
  struct stat st, fst;
  char *path;
  int fd, rc;

  if (!releve_name_ok(name))
    return -EINVAL;
  path = releve_str_printf("%s/%s", dir, name);
  if (path == NULL)
    return -ENOMEM;
  if (lstat(path, &st) != 0) {
    rc = -errno;
    goto out;
  }
  if (S_ISLNK(st.st_mode)) {
    rc = RELEVE_CLAIM_SYMLINK;
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    rc = RELEVE_CLAIM_NOT_REGULAR;
    goto out;
  }
  /* Open it as the ingest will, and check that it is still what lstat saw. */
  fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    rc = errno == ELOOP ? RELEVE_CLAIM_SYMLINK : -errno;
    goto out;
  }
  if (fstat(fd, &fst) != 0)
    rc = -errno;
  else if (!S_ISREG(fst.st_mode) || fst.st_ino != st.st_ino || fst.st_dev != st.st_dev)
    rc = RELEVE_CLAIM_NOT_REGULAR;
  else if (fst.st_nlink != 1)
    rc = RELEVE_CLAIM_LINKS;
  else
    rc = RELEVE_CLAIM_REGULAR;
  close(fd);
out:
  free(path);
  return rc;
}

const char *releve_claim_reason(releve_claim_kind kind) {
  switch (kind) {
  case RELEVE_CLAIM_SYMLINK:
    return "lien symbolique refusé : déposez le fichier lui-même, sous la forme d'un fichier "
           "ordinaire";
  case RELEVE_CLAIM_NOT_REGULAR:
    return "ce n'est pas un fichier ordinaire (dossier, tube ou périphérique) : déposez le "
           "fichier lui-même";
  case RELEVE_CLAIM_LINKS:
    return "fichier à liens multiples refusé : déposez une copie du fichier";
  case RELEVE_CLAIM_REGULAR:
    break;
  }
  return NULL;
}

/* Writes dir/<name>.rapport.txt, or <name~2>.rapport.txt… when taken. */
static int write_report_alone(const char *dir, const char *name, const char *report,
                              char **final_name) {
  int i;
  for (i = 1; i < 1000; i++) {
    char *base = releve_name_variant(name, i, RELEVE_CLAIM_KEPT_NAME_MAX);
    char *path = base ? releve_report_path(dir, base) : NULL;
    struct stat st;
    int rc;
    if (path == NULL) {
      free(base);
      return -ENOMEM;
    }
    rc = lstat(path, &st);
    free(path);
    if (rc == 0) {
      free(base);
      continue;
    }
    rc = releve_report_write(dir, base, report);
    if (rc == 0 && final_name)
      *final_name = base;
    else
      free(base);
    return rc;
  }
  return -EEXIST;
}

int releve_claim_settle_personal(const char *from_dir, const char *name, const char *report_dir,
                                 const char *personal_dir, const char *report,
                                 char **final_name) {
  char *kept = NULL, *path;
  int rc;

  if (final_name)
    *final_name = NULL;
  rc = write_report_alone(report_dir, name, report ? report : "", final_name);
  if (rc) {
    releve_err("cannot write the report of %s in %s: %s", name, report_dir, strerror(-rc));
    return rc;
  }
  if (personal_dir) {
    rc = releve_claim_move(from_dir, name, personal_dir, &kept);
    if (rc == 0) {
      path = releve_str_printf("%s/%s", personal_dir, kept);
      /* The keeping period runs from now, not from the partner's upload. */
      if (path == NULL || chmod(path, 0600) != 0 || utimensat(AT_FDCWD, path, NULL, 0) != 0)
        rc = path ? -errno : -ENOMEM;
      free(path);
    }
    free(kept);
    if (rc == 0)
      rc = releve_fs_sync_dir(personal_dir);
  } else {
    path = releve_str_printf("%s/%s", from_dir, name);
    rc = path == NULL ? -ENOMEM : unlink(path) == 0 ? 0 : -errno;
    free(path);
  }
  if (rc == 0)
    rc = releve_fs_sync_dir(from_dir);
  return rc;
}

/* The report goes into to_dir under the name the file is about to take:
 * a crash between the two leaves the file in processing/ (run again) and
 * a report that the next attempt rewrites, never a file without its
 * report. */
static int write_report_first(void *ud, const char *to_dir, const char *target) {
  const char *report = ud;
  int rc = releve_report_write(to_dir, target, report);
  if (rc)
    releve_err("cannot write the report of %s in %s: %s", target, to_dir, strerror(-rc));
  return rc;
}

int releve_claim_settle(const char *from_dir, const char *name, const char *to_dir,
                        const char *report, char **final_name) {
  char *final = NULL;
  int rc;

  if (final_name)
    *final_name = NULL;
  rc = releve_claim_move_as(from_dir, name, to_dir, NULL, RELEVE_CLAIM_KEPT_NAME_MAX,
                            report ? write_report_first : NULL, (void *)report, &final);
  if (rc)
    return rc;
  rc = releve_fs_sync_dir(to_dir);
  if (rc == 0)
    rc = releve_fs_sync_dir(from_dir);
  if (final_name)
    *final_name = final;
  else
    free(final);
  return rc;
}
