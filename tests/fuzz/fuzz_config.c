/* fuzz_config.c -- libFuzzer target for releve_config_load: the input is a
 * releve.json, written to a scratch folder that also holds a small
 * référentiel (referentiel.json), so that seeds naming it load quickly and
 * relative paths have somewhere to resolve. A refused configuration must
 * say why; an accepted one must be what the rest of relevé relies on. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "fuzz.h"
#include "util/log.h"
#include "util/str.h"
#include "util/fs.h"

static char *scratch, *ref_path, *config_path;
static FILE *sink;

static void remove_scratch(void) {
  unlink(config_path);
  unlink(ref_path);
  rmdir(scratch);
}

static void write_all(const char *path, const void *data, size_t size) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd) != 0) {
    perror(path);
    abort();
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *tmp = getenv("TMPDIR");
  char *ref_text;
  size_t ref_len;

  (void)argc;
  (void)argv;
  releve_log_set_level(0);
  scratch = releve_str_printf("%s/releve-fuzz-config.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (scratch == NULL || mkdtemp(scratch) == NULL)
    abort();
  if (releve_fs_read_file(RELEVE_FUZZ_REFERENTIEL, &ref_text, &ref_len) != 0)
    abort();
  ref_path = releve_str_printf("%s/referentiel.json", scratch);
  config_path = releve_str_printf("%s/releve.json", scratch);
  if (ref_path == NULL || config_path == NULL || (sink = fopen("/dev/null", "w")) == NULL)
    abort();
  write_all(ref_path, ref_text, ref_len);
  free(ref_text);
  atexit(remove_scratch);
  return 0;
}

static void check_accepted(const releve_config *cfg) {
  size_t i, j;

  FUZZ_CHECK(cfg->database && cfg->spool && cfg->plugins && cfg->outbox);
  FUZZ_CHECK(cfg->first_year <= cfg->last_year);
  FUZZ_CHECK(cfg->ref.n_indicators > 0);
  FUZZ_CHECK(cfg->n_actors == cfg->ref.n_actors);
  for (i = 0; i < cfg->n_actors; i++) {
    const releve_actor *a = &cfg->actors[i];
    FUZZ_CHECK(a->id && a->name && a->plugin && a->n_plugins > 0);
    /* The readers are NULL-ended, the first is plugin, and partners can
     * always answer in the collection table. scopes is an override: NULL
     * unless configured. */
    FUZZ_CHECK(a->plugins[a->n_plugins] == NULL && a->plugins[0] == a->plugin);
    for (j = 0; j < a->n_plugins && strcmp(a->plugins[j], "template") != 0; j++)
      ;
    FUZZ_CHECK(j < a->n_plugins);
    FUZZ_CHECK(releve_config_actor(cfg, a->id) == a);
    /* A configured actor has somewhere to send its reminders. */
    FUZZ_CHECK(!a->configured || (a->emails && a->n_emails > 0));
    for (j = 0; j < a->n_emails; j++)
      FUZZ_CHECK(a->emails[j] != NULL);
    FUZZ_CHECK(a->n_emails == 0 || a->emails[a->n_emails] == NULL);
    if (i > 0)
      FUZZ_CHECK(strcmp(cfg->actors[i - 1].id, a->id) < 0);
  }
  for (i = 0; i < cfg->n_campaigns; i++) {
    const releve_campaign *k = &cfg->campaigns[i];
    FUZZ_CHECK(k->opens && k->due && strcmp(k->opens, k->due) <= 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  releve_config cfg;
  releve_diags d = {0};
  int rc;

  write_all(config_path, data, size);
  rc = releve_config_load(&cfg, config_path, &d);
  FUZZ_CHECK(rc == 0 || rc == -EINVAL);
  if (rc == 0) {
    FUZZ_CHECK(releve_diags_count(&d, RELEVE_DIAG_ERROR) == 0);
    check_accepted(&cfg);
  } else {
    FUZZ_CHECK(releve_diags_count(&d, RELEVE_DIAG_ERROR) > 0);
  }
  releve_diags_print(&d, sink);
  releve_diags_free(&d);
  releve_config_free(&cfg);
  return 0;
}
