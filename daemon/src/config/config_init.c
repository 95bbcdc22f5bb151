/* config_init.c -- `releve init DIR`: a complete working configuration
 * rooted at DIR, made from the built-in default, with an entry (and a
 * placeholder address to replace) for every actor of the référentiel. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/str.h"

/* Adds an entry for each référentiel actor the default does not configure. */
static int add_actor_entries(json_t *root, const releve_referentiel *ref) {
  json_t *actors = json_object_get(root, "actors");
  size_t i, k;

  if (!json_is_array(actors)) {
    actors = json_array();
    if (actors == NULL || json_object_set_new(root, "actors", actors))
      return -ENOMEM;
  }
  for (i = 0; i < ref->n_actors; i++) {
    json_t *a, *entry;
    int found = 0;
    json_array_foreach(actors, k, a) {
      const char *id = json_string_value(json_object_get(a, "id"));
      if (id && strcmp(id, ref->actors[i].id) == 0)
        found = 1;
    }
    if (found)
      continue;
    entry = json_pack("{s:s, s:[s], s:s}", "id", ref->actors[i].id, "emails",
                      "referent@example.org", "plugin", "template");
    if (entry == NULL || json_array_append_new(actors, entry))
      return -ENOMEM;
  }
  return 0;
}

int releve_config_init_dir(const char *dir, releve_diags *diags) {
  releve_jctx c = {"(built-in default)", diags};
  releve_referentiel ref;
  json_t *root = NULL;
  char *conf = releve_str_printf("%s/releve.json", dir);
  char *refpath = releve_str_printf("%s/referentiel.json", dir);
  char *text = NULL, *sub = NULL;
  const char *const subdirs[] = {"spool", "var", "var/outbox", NULL};
  const char *const *s;
  int rc;

  memset(&ref, 0, sizeof ref);
  if (conf == NULL || refpath == NULL) {
    rc = -ENOMEM;
    goto out;
  }
  if (access(conf, F_OK) == 0) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, conf, NULL, 0, 0,
                     "already exists; init never overwrites a configuration");
    rc = -EEXIST;
    goto out;
  }
  rc = releve_fs_mkdir_p(dir, 0750);
  for (s = subdirs; rc == 0 && *s; s++) {
    free(sub);
    sub = releve_str_printf("%s/%s", dir, *s);
    rc = sub ? releve_fs_mkdir_p(sub, 0750) : -ENOMEM;
  }
  if (rc) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, sub ? sub : dir, NULL, 0, 0,
                     "cannot create folder: %s", strerror(-rc));
    goto out;
  }
  rc = releve_referentiel_parse(&ref, "(built-in référentiel)", releve_default_referentiel_json,
                                diags);
  root = releve_json_load_string(&c, releve_default_config_json);
  if (rc || root == NULL) {
    rc = -EINVAL;
    goto out;
  }
  if (json_object_set_new(root, "referentiel", json_string("referentiel.json")) ||
      add_actor_entries(root, &ref)) {
    rc = -ENOMEM;
    goto out;
  }
  text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (text == NULL) {
    rc = -ENOMEM;
    goto out;
  }
  rc = releve_fs_write_atomic(refpath, releve_default_referentiel_json,
                                strlen(releve_default_referentiel_json), 0644);
  if (rc == 0) {
    size_t n = strlen(text);
    text[n] = '\n'; /* the NUL's byte carries the final newline */
    rc = releve_fs_write_atomic(conf, text, n + 1, 0640);
  }
  if (rc)
    releve_diags_add(diags, RELEVE_DIAG_ERROR, rc ? conf : refpath, NULL, 0, 0,
                     "cannot write: %s", strerror(-rc));
out:
  releve_referentiel_free(&ref);
  json_decref(root);
  free(text);
  free(sub);
  free(conf);
  free(refpath);
  return rc;
}
