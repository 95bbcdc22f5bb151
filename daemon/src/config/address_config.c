/* address_config.c -- see address_config.h. */
#include "config/address_config.h"

#include <stdlib.h>
#include <string.h>

#include "address/addr_ref.h"
#include "referentiel/geo.h"
#include "util/log.h"
#include "util/path.h"

static void check_columns(const releve_jctx *c, json_t *o) {
  static const char *const keys[] = {"id", "number", "suffix", "street", "postcode",
                                     "insee", "qpv", "qva", NULL};
  json_t *cols, *v;
  const char *k;
  char where[128];

  if (releve_json_object(c, o, "addresses", "columns", 0, &cols) != 1)
    return;
  releve_json_check_keys(c, cols, "addresses.columns", keys);
  json_object_foreach(cols, k, v) if (!json_is_string(v) || !*json_string_value(v))
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, "addresses.columns", k), 0, 0,
                       "a column name is expected");
}

/* Every actor whose mapping places rows by address needs the reference. */
static void check_users(const releve_config *cfg, const releve_jctx *c) {
  size_t i;

  for (i = 0; i < cfg->n_actors; i++) {
    const releve_actor *a = &cfg->actors[i];
    json_t *g = json_object_get(a->mapping, "geography");
    if (a->path == NULL || json_object_get(g, "address") == NULL || cfg->addresses)
      continue;
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, a->path, 0, 0,
                     "mapping.geography.address places rows through the address reference, "
                     "but %s; add a top-level \"addresses\": {\"file\": …}",
                     json_object_get(cfg->root, "addresses") ? "it could not be loaded"
                                                             : "none is configured");
  }
}

void releve_address_config_load(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"file", "format", "columns", "zones", "qva_pattern", NULL};
  releve_addr_spec spec;
  const char *file = NULL, *zones = NULL, *pattern = NULL;
  char *file_path = NULL, *zones_path = NULL;
  json_t *o;

  cfg->addresses = NULL;
  releve_geo_set_qva_pattern(NULL);
  if (releve_json_object(c, cfg->root, "", "addresses", 0, &o) == 1) {
    memset(&spec, 0, sizeof spec);
    releve_json_check_keys(c, o, "addresses", keys);
    /* Before the files: the pattern decides which of their codes are QVA codes. */
    if (releve_json_string(c, o, "addresses", "qva_pattern", 0, &pattern) == 1 &&
        releve_geo_set_qva_pattern(pattern) != 0)
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "addresses.qva_pattern", 0, 0,
                       "\"%s\" is not a QVA code pattern: '#' for a digit, '@' for a capital "
                       "letter, other characters as written, at most 15, such as \"QVA######\"; "
                       "it must not read a 2015 (QP075012) or 2024 (QN07501M) QPV code",
                       pattern);
    if (releve_json_string(c, o, "addresses", "format", 0, &spec.format) == 1 &&
        strcmp(spec.format, "ban") != 0 && strcmp(spec.format, "plain") != 0)
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "addresses.format", 0, 0,
                       "\"%s\" is neither \"ban\" nor \"plain\"", spec.format);
    check_columns(c, o);
    spec.columns = json_object_get(o, "columns");
    releve_json_string(c, o, "addresses", "zones", 0, &zones);
    if (releve_json_string(c, o, "addresses", "file", 1, &file) == 1 && *file &&
        (zones == NULL || *zones)) {
      file_path = releve_path_resolve(cfg->dir, file);
      zones_path = zones ? releve_path_resolve(cfg->dir, zones) : NULL;
      spec.file = file_path;
      spec.zones = zones_path;
      if (file_path && (zones == NULL || zones_path) &&
          releve_addr_ref_load(&spec, &cfg->addresses, c->diags) == 0)
        releve_debug("address reference %s: %zu addresses in %zu streets", file_path,
                     releve_addr_ref_addresses(cfg->addresses),
                     releve_addr_ref_streets(cfg->addresses));
    } else if (file || zones) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "addresses", 0, 0,
                       "\"file\" and \"zones\" must be file paths, not empty");
    }
    free(file_path);
    free(zones_path);
  }
  check_users(cfg, c);
}
