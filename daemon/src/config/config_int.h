/* config_int.h -- what the sections of the configuration share (config.c
 * holds the table of sections, one per top-level key of releve.json).
 *
 * A section's load function owns its key: it sets the defaults, reads the
 * value (cfg->root's member, possibly absent) and checks it, adding a
 * diagnostic to c for each problem. Sections run in the table's order,
 * which is also the order of the keys in the message refusing an unknown
 * one; a section may read what an earlier one loaded (the actors need the
 * référentiel, the campaigns the contract, the sources the actors). */
#ifndef RELEVE_CONFIG_INT_H
#define RELEVE_CONFIG_INT_H

#include <jansson.h>

#include "config/config.h"
#include "util/json.h"

typedef void (*releve__config_load_fn)(releve_config *cfg, const releve_jctx *c);

/* settings.c: the paths, "contract", "daemon" and "validation". */
void releve__config_database(releve_config *cfg, const releve_jctx *c);
void releve__config_spool(releve_config *cfg, const releve_jctx *c);
void releve__config_plugins(releve_config *cfg, const releve_jctx *c);
void releve__config_referentiel(releve_config *cfg, const releve_jctx *c);
void releve__config_contract(releve_config *cfg, const releve_jctx *c);
void releve__config_daemon(releve_config *cfg, const releve_jctx *c);
void releve__config_validation(releve_config *cfg, const releve_jctx *c);
/* mail_settings.c: "mail". */
void releve__config_mail(releve_config *cfg, const releve_jctx *c);
/* actors.c: "actors" (every actor of the référentiel gets an entry, with
 * defaults, configured or not) and "campaigns". */
void releve__config_actors(releve_config *cfg, const releve_jctx *c);
void releve__config_actors_free(releve_config *cfg);
void releve__config_campaigns(releve_config *cfg, const releve_jctx *c);
/* "sources" (source.c) and "reminders" (reminders.c). */
void releve__config_sources(releve_config *cfg, const releve_jctx *c);
void releve__config_reminders(releve_config *cfg, const releve_jctx *c);

/* A path key of obj: resolved against cfg->dir, def when absent (NULL
 * when def is NULL). An empty one is an error, then def (or "."). */
char *releve__config_path_key(const releve_config *cfg, const releve_jctx *c, json_t *obj,
                              const char *path, const char *key, const char *def);
/* A whole number key of obj within [lo, hi] into *out, left as it is (the
 * default) when absent or wrong. obj may be NULL. */
void releve__config_int_key(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                            long long lo, long long hi, int *out);
/* Whether s is a mail address relevé can put in a header (name@domain,
 * no blank, no CR or LF, no <>,"). */
int releve__config_valid_email(const char *s);

#endif
