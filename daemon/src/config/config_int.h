/* config_int.h -- what the sections of the configuration share (config.c
 * holds the table of sections, one per top-level key of releve.json).
 *
 * A section's load function owns its key: it sets the defaults, reads the
 * value (cfg->root's member, possibly absent) and checks it, adding a
 * diagnostic to c for each problem. Sections run in the table's order,
 * which is also the order of the keys in the message refusing an unknown
 * one; a section may read what an earlier one loaded (the sources need the
 * contracts' actors). A key read by another's section has no function. */
#ifndef RELEVE_CONFIG_INT_H
#define RELEVE_CONFIG_INT_H

#include <jansson.h>

#include "config/config.h"
#include "util/json.h"

typedef void (*releve__config_load_fn)(releve_config *cfg, const releve_jctx *c);

/* settings.c: the paths, "daemon" and "validation". */
void releve__config_database(releve_config *cfg, const releve_jctx *c);
void releve__config_spool(releve_config *cfg, const releve_jctx *c);
void releve__config_plugins(releve_config *cfg, const releve_jctx *c);
void releve__config_daemon(releve_config *cfg, const releve_jctx *c);
void releve__config_validation(releve_config *cfg, const releve_jctx *c);
/* mail_settings.c: "mail". */
void releve__config_mail(releve_config *cfg, const releve_jctx *c);
/* contracts.c: "contracts", or the old form's "referentiel", "contract",
 * "actors", "campaigns" and "reminders" as its one contract. */
void releve__config_contracts(releve_config *cfg, const releve_jctx *c);
void releve__config_contracts_free(releve_config *cfg);
/* actors.c: a contract's "actors" (every actor of its référentiel gets an
 * entry, with defaults, configured or not) and "campaigns", read from
 * holder (the contract's object, or the root in the old form) at k->where.
 * releve__config_index_actors sorts cfg->actors_by_id (0 or -ENOMEM). */
void releve__config_contract_actors(releve_contract *k, const releve_jctx *c, json_t *holder);
void releve__config_actors_free(releve_actor *actors, size_t n);
void releve__config_contract_campaigns(releve_contract *k, const releve_jctx *c,
                                       json_t *holder);
int releve__config_index_actors(releve_config *cfg);
/* "sources" (source.c). */
void releve__config_sources(releve_config *cfg, const releve_jctx *c);
/* mailboxes.c: "mailboxes", after the sources. */
void releve__config_mailboxes(releve_config *cfg, const releve_jctx *c);

/* source.c: the checks a source shares with the other scheduled entries
 * of the configuration (mailboxes.c); each adds a diagnostic at path.key. */

/* Adds a diagnostic of severity (RELEVE_DIAG_*) at path.key (at path
 * when key is NULL). */
void releve_source_diag(const releve_jctx *c, int severity, const char *path, const char *key,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Whether id can name an entry (and a folder): letters, digits, '-', '_'
 * and '.' (not first), at most 64. */
int releve_source_id_ok(const char *id);
/* Key `key` of o, a whole number within [lo, hi], or def when absent or
 * wrong (then *bad is set). */
long long releve_source_bounded(const releve_jctx *c, json_t *o, const char *path, const char *key,
                                long long def, long long lo, long long hi, int *bad);
/* A file key, resolved against the configuration's folder and readable; a
 * secret file readable by everyone is warned about. NULL when absent or
 * wrong (then *bad is set). */
char *releve_source_file_key(const releve_config *cfg, const releve_jctx *c, json_t *o,
                             const char *path, const char *key, int secret, int *bad);
/* Parses the schedule text into s, refusing one that never runs. Returns 0
 * or -EINVAL. */
int releve_source_check_schedule(const releve_jctx *c, const char *path, const char *text,
                                 releve_schedule *s);
/* Reads the credentials file as a pull would. Returns 0 or -EINVAL. */
int releve_source_check_credentials(const releve_jctx *c, const char *path, const char *file);

/* Entries that own strings (texts.c): texts holds the offsets of their
 * char * fields. An item's strings freed and the item zeroed; n items and
 * the array freed; n items copied deep into a new array *to (NULL for none).
 * The copy returns 0 or -ENOMEM (then nothing is left allocated). */
void releve__config_item_free(void *item, size_t size, const size_t *texts, size_t n_texts);
void releve__config_items_free(void *items, size_t n, size_t size, const size_t *texts,
                               size_t n_texts);
int releve__config_items_copy(const void *from, size_t n, size_t size, const size_t *texts,
                              size_t n_texts, void **to);

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
