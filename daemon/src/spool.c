#include "spool.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static const char *const dir_names[] = {"incoming", "processing", "archive", "rejected"};

char *releve_spool_path(const releve_config *cfg, const char *actor, enum releve_spool_dir d) {
  return releve_aprintf("%s/%s/%s", cfg->spool, actor, dir_names[d]);
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

int releve_spool_ignored_name(const char *name) {
  return name[0] == '.' || ends_with(name, ".part") || ends_with(name, ".filepart") ||
         ends_with(name, ".tmp");
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
      rc = releve_mkdir_p(path, 0750);
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
  }
  return rc;
}
