#include "util/json.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

static json_t *loaded(const releve_jctx *c, json_t *root, const json_error_t *err) {
  if (root == NULL)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, NULL, err->line, err->column,
                     "invalid JSON: %s", err->text);
  return root;
}

json_t *releve_json_load_file(const releve_jctx *c, const char *path) {
  json_error_t err;
  return loaded(c, json_load_file(path, JSON_REJECT_DUPLICATES, &err), &err);
}

json_t *releve_json_load_string(const releve_jctx *c, const char *text) {
  json_error_t err;
  return loaded(c, json_loads(text, JSON_REJECT_DUPLICATES, &err), &err);
}

const char *releve_json_path(char *buf, size_t size, const char *path, const char *key) {
  if (path == NULL || *path == '\0')
    snprintf(buf, size, "%s", key);
  else
    snprintf(buf, size, "%s.%s", path, key);
  return buf;
}

const char *releve_json_index(char *buf, size_t size, const char *path, size_t i) {
  snprintf(buf, size, "%s[%zu]", path ? path : "", i);
  return buf;
}

const char *releve_json_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  }
  return "a value";
}

int releve_json_check_keys(const releve_jctx *c, json_t *obj, const char *path,
                           const char *const *allowed) {
  const char *key;
  json_t *v;
  int unknown = 0;

  json_object_foreach(obj, key, v) {
    const char *const *a;
    for (a = allowed; *a; a++)
      if (strcmp(*a, key) == 0)
        break;
    if (*a == NULL) {
      releve_buf list = RELEVE_BUF_INIT;
      char where[512];
      for (a = allowed; *a; a++)
        releve_buf_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, path, key), 0, 0,
                       "unknown key; allowed keys here are: %s", list.data ? list.data : "none");
      releve_buf_free(&list);
      unknown++;
    }
  }
  return unknown;
}

/* Common part of the getters: fetches key and checks its type. */
static int get(const releve_jctx *c, json_t *obj, const char *path, const char *key, int required,
               int (*is)(const json_t *), const char *want, json_t **out) {
  char where[512];
  json_t *v = json_object_get(obj, key);

  if (v == NULL) {
    if (required)
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, path, key), 0, 0,
                       "missing; %s is required here", want);
    return 0;
  }
  if (!is(v)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, key), 0, 0,
                     "is %s; %s is expected", releve_json_type_name(v), want);
    return -1;
  }
  *out = v;
  return 1;
}

static int is_string(const json_t *v) { return json_is_string(v); }
static int is_integer(const json_t *v) { return json_is_integer(v); }
static int is_number(const json_t *v) { return json_is_number(v); }
static int is_boolean(const json_t *v) { return json_is_boolean(v); }
static int is_object(const json_t *v) { return json_is_object(v); }
static int is_array(const json_t *v) { return json_is_array(v); }

/* The typed getters differ only in the check, the word for the type and how
 * the value is read out of the json_t. */
#define JSON_GETTER(name, type, is, want, value)                                                \
  int name(const releve_jctx *c, json_t *obj, const char *path, const char *key, int required, \
           type *out) {                                                                        \
    json_t *v;                                                                                 \
    int rc = get(c, obj, path, key, required, is, want, &v);                                   \
    if (rc == 1)                                                                               \
      *out = value(v);                                                                         \
    return rc;                                                                                 \
  }

static int true_value(const json_t *v) { return json_is_true(v); }

JSON_GETTER(releve_json_string, const char *, is_string, "a string", json_string_value)
JSON_GETTER(releve_json_int, long long, is_integer, "an integer", json_integer_value)
JSON_GETTER(releve_json_number, double, is_number, "a number", json_number_value)
JSON_GETTER(releve_json_bool, int, is_boolean, "true or false", true_value)

int releve_json_object(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                       int required, json_t **out) {
  return get(c, obj, path, key, required, is_object, "an object", out);
}

int releve_json_array(const releve_jctx *c, json_t *obj, const char *path, const char *key,
                      int required, json_t **out) {
  return get(c, obj, path, key, required, is_array, "an array", out);
}
