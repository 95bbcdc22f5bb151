/* state.c -- see state.h. */
#include "store/state.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/path.h"
#include "util/str.h"

/* The nearest existing folder at or above path (malloc'ed), NULL on
 * allocation failure. */
static char *existing_folder(const char *path) {
  char *p = strdup(path);
  struct stat st;
  while (p && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
    char *up = releve_path_dirname(p);
    if (up == NULL || strcmp(up, p) == 0) {
      free(p);
      return up;
    }
    free(p);
    p = up;
  }
  return p;
}

int releve_state_become_owner(const releve_config *cfg, char *why, size_t size) {
  char *db_dir, *dir;
  struct passwd *pw;
  struct stat st;
  int rc = 0;

  if (geteuid() != 0)
    return 0;
  db_dir = releve_config_state_dir(cfg);
  dir = db_dir ? existing_folder(db_dir) : NULL;
  free(db_dir);
  if (dir == NULL || stat(dir, &st) != 0) {
    snprintf(why, size, "cannot find the state folder of %s", cfg->database);
    free(dir);
    return -EPERM;
  }
  if (st.st_uid == 0) {
    free(dir);
    return 0; /* root's own state: nothing to hand over */
  }
  pw = getpwuid(st.st_uid);
  if (pw == NULL) {
    snprintf(why, size, "the state folder %s belongs to uid %u, which has no account; run this "
                        "command as that user",
             dir, (unsigned)st.st_uid);
    rc = -EPERM;
  } else if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
             setuid(pw->pw_uid) != 0 || setuid(0) == 0) {
    snprintf(why, size, "cannot become %s, the owner of the state folder %s (%s); run this "
                        "command as %s (runuser -u %s -- releve …)",
             pw->pw_name, dir, strerror(errno), pw->pw_name, pw->pw_name);
    rc = -EPERM;
  } else {
    rc = 1;
  }
  free(dir);
  return rc;
}

/* One piece of state: an error when it exists and cannot be written. */
static size_t check_path(const releve_config *cfg, const char *key, const char *path,
                         releve_diags *diags) {
  struct passwd *owner, *self;
  struct stat st;
  char self_name[64], owner_name[64];

  if (lstat(path, &st) != 0 || access(path, S_ISDIR(st.st_mode) ? W_OK | X_OK : W_OK) == 0)
    return 0;
  owner = getpwuid(st.st_uid);
  snprintf(owner_name, sizeof owner_name, "%s", owner ? owner->pw_name : "?");
  self = getpwuid(geteuid());
  snprintf(self_name, sizeof self_name, "%s", self ? self->pw_name : "?");
  releve_diags_add(diags, RELEVE_DIAG_ERROR, cfg->file ? cfg->file : "(built-in default)", key,
                   0, 0,
                   "%s is owned by %s (uid %u), mode %04o: user %s cannot write it (made by a "
                   "command run as %s?); mend it with: chown %s%s: %s",
                   path, owner_name, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
                   self_name, owner_name, S_ISDIR(st.st_mode) ? "-R " : "", self_name, path);
  return 1;
}

/* spool/<actor> and every folder in it (incoming/, processing/, archive/,
 * rejected/, personal/, a pull's staging folder). */
static size_t check_actor_spool(const releve_config *cfg, const char *actor,
                                releve_diags *diags) {
  char *dir = releve_str_printf("%s/%s", cfg->spool, actor);
  size_t bad;
  DIR *d;
  struct dirent *e;

  if (dir == NULL)
    return 0;
  bad = check_path(cfg, "spool", dir, diags);
  if ((d = opendir(dir)) != NULL) {
    while ((e = readdir(d)) != NULL) {
      struct stat st;
      char *sub;
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      sub = releve_str_printf("%s/%s", dir, e->d_name);
      if (sub && lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
        bad += check_path(cfg, "spool", sub, diags);
      free(sub);
    }
    closedir(d);
  }
  free(dir);
  return bad;
}

size_t releve_state_check(const releve_config *cfg, releve_diags *diags) {
  static const char *const db_suffixes[] = {"", "-wal", "-shm", "-journal", NULL};
  const char *const *suffix;
  char *db_dir = releve_config_state_dir(cfg);
  size_t bad = 0, a;

  if (db_dir)
    bad += check_path(cfg, "database", db_dir, diags);
  free(db_dir);
  for (suffix = db_suffixes; *suffix && !releve_config_database_is_uri(cfg->database); suffix++) {
    char *p = releve_str_printf("%s%s", cfg->database, *suffix);
    if (p)
      bad += check_path(cfg, "database", p, diags);
    free(p);
  }
  bad += check_path(cfg, "spool", cfg->spool, diags);
  for (a = 0; a < cfg->n_actors; a++)
    bad += check_actor_spool(cfg, cfg->actors[a].id, diags);
  if (cfg->outbox)
    bad += check_path(cfg, "mail.outbox", cfg->outbox, diags);
  return bad;
}
