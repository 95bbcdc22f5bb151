/* geography_config.c -- see geography_config.h. */
#include "config/geography_config.h"

#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "util/log.h"

/* The lists compiled in, by list (NULL: none shipped). */
static const char *builtin(releve_geography_list_id id, const char **source) {
  switch (id) {
  case RELEVE_GEOGRAPHY_QPV_2015:
    *source = "(built-in geography/qpv_2015_paris.csv)";
    return releve_default_qpv_2015_csv;
  case RELEVE_GEOGRAPHY_ARRONDISSEMENTS:
    *source = "(built-in geography/arrondissements_paris.csv)";
    return releve_default_arrondissements_csv;
  default: return NULL;
  }
}

void releve_geography_config_load(releve_config *cfg, const releve_jctx *c) {
  const char *keys[RELEVE_GEOGRAPHY_LISTS + 1];
  json_t *o = NULL;
  int id;

  releve_geography_free(&cfg->geography);
  memcpy(keys, releve_geography_keys, sizeof releve_geography_keys);
  keys[RELEVE_GEOGRAPHY_LISTS] = NULL;
  if (releve_json_object(c, cfg->root, "", "geography", 0, &o) == 1)
    releve_json_check_keys(c, o, "geography", keys);
  for (id = 0; id < RELEVE_GEOGRAPHY_LISTS; id++) {
    const char *key = releve_geography_keys[id], *source = NULL, *text;
    json_t *v = o ? json_object_get(o, key) : NULL;
    char *path;

    if (json_is_null(v))
      continue; /* this vintage's codes by their pattern only */
    if (v == NULL) {
      if ((text = builtin((releve_geography_list_id)id, &source)) != NULL)
        releve_geography_parse(&cfg->geography, (releve_geography_list_id)id, source, text,
                               strlen(text), c->diags);
      continue;
    }
    path = releve__config_path_key(cfg, c, o, "geography", key, NULL);
    /* An empty path is said by releve__config_path_key; nothing to read. */
    if (path && json_is_string(v) && *json_string_value(v) &&
        releve_geography_load(&cfg->geography, (releve_geography_list_id)id, path,
                                      c->diags) == 0)
      releve_debug("%s: %zu places from %s", key, cfg->geography.lists[id].n, path);
    free(path);
  }
}
