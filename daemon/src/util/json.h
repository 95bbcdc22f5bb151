/* json.h -- reading JSON documents (configuration, référentiel) with every
 * problem reported as a diagnostic that names the file and the key path.
 *
 * The getters return 1 when the key holds a value of the right type, 0 when
 * the key is absent (a diagnostic is added only when required), and -1 when
 * it holds something else (a diagnostic is always added). */
#ifndef RELEVE_JSON_H
#define RELEVE_JSON_H

#include <jansson.h>

#include "util/diag.h"

typedef struct releve_jctx {
  const char *file;
  releve_diags *diags;
} releve_jctx;

/* Parses a file or a string, adding a diagnostic with line and column on a
 * syntax error. Duplicate keys are refused. NULL on failure. */
json_t *releve_json_load_file(const releve_jctx *c, const char *path);
json_t *releve_json_load_string(const releve_jctx *c, const char *text);

/* Adds one diagnostic per key of obj that is not in allowed (NULL-ended),
 * listing the allowed keys. Returns the number of unknown keys. */
int releve_json_check_keys(const releve_jctx *c, json_t *obj, const char *path,
                           const char *const *allowed);

int releve_json_string(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                       int required, const char **out);
int releve_json_int(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                    int required, long long *out);
int releve_json_number(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                       int required, double *out);
int releve_json_bool(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                     int required, int *out);
int releve_json_object(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                       int required, json_t **out);
int releve_json_array(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                      int required, json_t **out);

/* "path.key" or "path[i]" into buf. */
const char *releve_json_path(char *buf, size_t size, const char *path, const char *key);
const char *releve_json_index(char *buf, size_t size, const char *path, size_t i);

/* A JSON type name for messages: "a string", "an object"… */
const char *releve_json_type_name(const json_t *v);

#endif
