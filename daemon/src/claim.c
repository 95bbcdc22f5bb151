#include "claim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int releve_claim_name_ok(const char *name) {
  return name != NULL && name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
         strcmp(name, "..") != 0;
}

/* "name~N.ext" (the extension kept so that the file still opens). */
static char *variant(const char *name, int n) {
  const char *dot = strrchr(name, '.');
  if (dot == NULL || dot == name)
    return releve_aprintf("%s~%d", name, n);
  return releve_aprintf("%.*s~%d%s", (int)(dot - name), name, n, dot);
}

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

int releve_claim_move(const char *from_dir, const char *name, const char *to_dir,
                      char **final_name) {
  char *from, *target = NULL, *to = NULL;
  int rc = -EEXIST, n;

  *final_name = NULL;
  if (!releve_claim_name_ok(name))
    return -EINVAL;
  from = releve_aprintf("%s/%s", from_dir, name);
  if (from == NULL)
    return -ENOMEM;
  for (n = 1; n < 10000 && rc == -EEXIST; n++) {
    free(target);
    free(to);
    target = n == 1 ? strdup(name) : variant(name, n);
    to = target ? releve_aprintf("%s/%s", to_dir, target) : NULL;
    if (to == NULL) {
      rc = -ENOMEM;
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

int releve_claim_check(const char *dir, const char *name) {
  struct stat st, fst;
  char *path;
  int fd, rc;

  if (!releve_claim_name_ok(name))
    return -EINVAL;
  path = releve_aprintf("%s/%s", dir, name);
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
    return "refusé : lien symbolique";
  case RELEVE_CLAIM_NOT_REGULAR:
    return "refusé : ce n'est pas un fichier ordinaire";
  case RELEVE_CLAIM_LINKS:
    return "refusé : fichier à liens multiples";
  case RELEVE_CLAIM_REGULAR:
    break;
  }
  return NULL;
}
