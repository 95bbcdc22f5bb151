/* mapping.c -- checks an actor's "mapping" when the configuration is
 * loaded, so that a typo is reported by check-config rather than when a
 * partner's file arrives. */
#include <stdarg.h>
#include <string.h>

#include "config/mapping.h"
#include "referentiel/geo.h"
#include "referentiel/period.h"
#include "util/buf.h"

static const char *const kinds[] = {"long", "wide", "rows", NULL};
static const char *const ops[] = {"count", "count_distinct", "sum", "mean", "share", NULL};
static const char *const formats[] = {"year", "school_year", "date", NULL};

static int one_of(const char *s, const char *const *list) {
  for (; *list; list++)
    if (strcmp(s, *list) == 0)
      return 1;
  return 0;
}

static void err(const releve_jctx *c, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err(const releve_jctx *c, const char *path, const char *key, const char *fmt, ...) {
  char where[512];
  releve_buf msg = RELEVE_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  releve_buf_vaddf(&msg, fmt, ap);
  va_end(ap);
  releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                   key ? releve_json_path(where, sizeof where, path, key) : path, 0, 0, "%s",
                   msg.data ? msg.data : "invalid mapping");
  releve_buf_free(&msg);
}

static void check_where(const releve_jctx *c, json_t *obj, const char *path, const char *key) {
  json_t *w, *v;
  const char *col;
  char where[512], sub[640];

  if (releve_json_object(c, obj, path, key, 0, &w) != 1)
    return;
  releve_json_path(where, sizeof where, path, key);
  json_object_foreach(w, col, v) {
    size_t i;
    json_t *item;
    releve_json_path(sub, sizeof sub, where, col);
    if (json_is_string(v))
      continue;
    if (!json_is_array(v) || json_array_size(v) == 0) {
      err(c, sub, NULL, "a text or a non-empty list of texts is expected");
      continue;
    }
    json_array_foreach(v, i, item) if (!json_is_string(item))
        err(c, sub, NULL, "every accepted value must be a text");
  }
}

/* A "period" object: a value, a column, or (rows only) an interval of a
 * start and an end column. */
static void check_period_spec(const releve_jctx *c, json_t *p, const char *where, int rows) {
  static const char *const keys[] = {"column", "format", "value", "start", "end", NULL};
  const char *s;

  releve_json_check_keys(c, p, where, keys);
  if (json_object_get(p, "start") || json_object_get(p, "end")) {
    if (!rows)
      err(c, where, NULL, "an interval (\"start\", \"end\") counts rows: it needs \"kind\": "
                          "\"rows\"");
    releve_json_string(c, p, where, "start", 1, &s);
    releve_json_string(c, p, where, "end", 1, &s);
    if (json_object_get(p, "column") || json_object_get(p, "value"))
      err(c, where, NULL, "an interval reads \"start\" and \"end\"; \"column\" and \"value\" "
                          "do not go with it");
    if (releve_json_string(c, p, where, "format", 0, &s) == 1 && strcmp(s, "year") &&
        strcmp(s, "date"))
      err(c, where, "format", "\"%s\": an interval counts calendar years; \"year\" or "
                              "\"date\" is expected", s);
    return;
  }
  if (json_object_get(p, "column") == NULL && json_object_get(p, "value") == NULL)
    err(c, where, NULL, "either \"column\", \"value\" or \"start\" and \"end\" is expected");
  releve_json_string(c, p, where, "column", 0, &s);
  if (releve_json_string(c, p, where, "format", 0, &s) == 1 && !one_of(s, formats))
    err(c, where, "format", "\"%s\" is not one of: year, school_year, date", s);
  if (releve_json_string(c, p, where, "value", 0, &s) == 1) {
    releve_period per;
    if (releve_period_parse(s, &per) != 0)
      err(c, where, "value", "\"%s\" is not a period (2019 or 2018-2019 expected)", s);
  }
}

static void check_period(const releve_jctx *c, json_t *m, const char *path, int required,
                         int rows) {
  json_t *p;
  char where[512];

  if (releve_json_object(c, m, path, "period", required, &p) != 1)
    return;
  releve_json_path(where, sizeof where, path, "period");
  check_period_spec(c, p, where, rows);
}

/* {"address": {…columns…}, "levels": …}: rows placed through the address
 * reference (whether one is configured is checked with the whole config). */
static void check_address(const releve_jctx *c, json_t *g, const char *where) {
  static const char *const keys[] = {"number", "suffix", "street", "complement",
                                     "postcode", "city", NULL};
  static const char *const levels[] = {"quartier", "QPV", "QP", "PARIS", NULL};
  json_t *a, *lv, *v;
  const char *k, *s;
  char sub[640], item[700];
  size_t i;

  if (releve_json_object(c, g, where, "address", 1, &a) != 1)
    return;
  releve_json_path(sub, sizeof sub, where, "address");
  releve_json_check_keys(c, a, sub, keys);
  releve_json_string(c, a, sub, "street", 1, &s);
  json_object_foreach(a, k, v) if (!json_is_string(v)) {
    releve_json_path(item, sizeof item, sub, k);
    err(c, item, NULL, "a column name is expected");
  }
  if (json_object_get(g, "column") || json_object_get(g, "value"))
    err(c, where, NULL, "\"address\" places each row itself; \"column\" and \"value\" do not "
                        "go with it");
  lv = json_object_get(g, "levels");
  if (lv == NULL) {
    err(c, where, "levels", "is missing; what to count rows under is expected: \"quartier\", "
                            "\"QPV\", \"QP\", \"PARIS\" or a list of them");
    return;
  }
  if (json_is_string(lv)) {
    if (!one_of(json_string_value(lv), levels))
      err(c, where, "levels", "\"%s\" is not one of: quartier, QPV, QP, PARIS",
          json_string_value(lv));
    return;
  }
  if (!json_is_array(lv) || json_array_size(lv) == 0) {
    err(c, where, "levels", "one of quartier, QPV, QP, PARIS or a non-empty list of them is "
                            "expected");
    return;
  }
  json_array_foreach(lv, i, v) if (!json_is_string(v) || !one_of(json_string_value(v), levels)) {
    releve_json_path(sub, sizeof sub, where, "levels");
    releve_json_index(item, sizeof item, sub, i);
    err(c, item, NULL, "one of quartier, QPV, QP, PARIS is expected");
  }
}

static void check_geography(const releve_jctx *c, json_t *m, const char *path, int required) {
  static const char *const keys[] = {"column", "codes", "default", "unmapped", "value",
                                     "address", "levels", NULL};
  json_t *g, *codes, *v;
  const char *s, *code;
  char where[512], sub[640];

  if (releve_json_object(c, m, path, "geography", required, &g) != 1)
    return;
  releve_json_path(where, sizeof where, path, "geography");
  releve_json_check_keys(c, g, where, keys);
  if (json_object_get(g, "address") || json_object_get(g, "levels")) {
    check_address(c, g, where);
    return;
  }
  if (json_object_get(g, "column") == NULL && json_object_get(g, "value") == NULL)
    err(c, where, NULL, "either \"column\" or \"value\" is expected");
  releve_json_string(c, g, where, "column", 0, &s);
  if (releve_json_string(c, g, where, "value", 0, &s) == 1 && !releve_geo_valid(s))
    err(c, where, "value", "\"%s\" is not a geography (PARIS, QP, QPV, QVA, QP075001, 75118, "
                           "REP or REP+ expected)", s);
  if (releve_json_string(c, g, where, "default", 0, &s) == 1 && !releve_geo_valid(s))
    err(c, where, "default", "\"%s\" is not a geography", s);
  if (releve_json_string(c, g, where, "unmapped", 0, &s) == 1 && strcmp(s, "error") &&
      strcmp(s, "skip"))
    err(c, where, "unmapped", "\"%s\" is neither \"error\" nor \"skip\"", s);
  if (releve_json_object(c, g, where, "codes", 0, &codes) == 1) {
    releve_json_path(sub, sizeof sub, where, "codes");
    json_object_foreach(codes, code, v) {
      char item[700];
      releve_json_path(item, sizeof item, sub, code);
      if (!json_is_string(v) || !releve_geo_valid(json_string_value(v)))
        err(c, item, NULL, "a geography is expected (PARIS, QP, QPV, QVA, QP075001, 75118, "
                           "REP, REP+)");
    }
  }
}

static void check_indicator(const releve_jctx *c, json_t *spec, const char *path,
                            const char *kind) {
  static const char *const wide_keys[] = {"column", "share_column", NULL};
  static const char *const rows_keys[] = {"op", "column", "key", "where", "of", "period", NULL};
  const char *s;

  if (strcmp(kind, "wide") == 0) {
    if (json_is_string(spec))
      return;
    if (!json_is_object(spec)) {
      err(c, path, NULL, "a column name or {\"column\": …} is expected");
      return;
    }
    releve_json_check_keys(c, spec, path, wide_keys);
    releve_json_string(c, spec, path, "column", 1, &s);
    releve_json_string(c, spec, path, "share_column", 0, &s);
    return;
  }
  if (!json_is_object(spec)) {
    err(c, path, NULL, "{\"op\": \"count\"|\"count_distinct\"|\"sum\"|\"mean\"|\"share\", …} "
                       "is expected");
    return;
  }
  releve_json_check_keys(c, spec, path, rows_keys);
  if (releve_json_string(c, spec, path, "op", 1, &s) == 1) {
    if (!one_of(s, ops))
      err(c, path, "op", "\"%s\" is not one of: count, count_distinct, sum, mean, share", s);
    else if (strcmp(s, "count_distinct") == 0 && json_object_get(spec, "key") == NULL)
      err(c, path, "key", "op \"count_distinct\" needs the key column whose distinct values "
                          "are counted (\"key\": \"id_jeune\")");
    else if ((strcmp(s, "sum") == 0 || strcmp(s, "mean") == 0) &&
             json_object_get(spec, "column") == NULL)
      err(c, path, "column", "op \"%s\" needs the column to add up", s);
    else if (strcmp(s, "share") == 0 && json_object_get(spec, "of") == NULL)
      err(c, path, "of", "op \"share\" needs \"of\": the filter of the whole (may be {})");
  }
  releve_json_string(c, spec, path, "column", 0, &s);
  releve_json_string(c, spec, path, "key", 0, &s);
  check_period(c, spec, path, 0, 1);
  check_where(c, spec, path, "where");
  check_where(c, spec, path, "of");
}

void releve_mapping_check(json_t *mapping, const releve_jctx *c, const char *path,
                          const releve_referentiel *ref, const char *actor) {
  static const char *const keys[] = {"kind", "columns", "period", "geography",
                                     "filters", "indicators", NULL};
  static const char *const column_keys[] = {"indicator", "period", "geography", "value",
                                            "share", "status", "comment", NULL};
  const char *kind = "long", *id;
  json_t *inds, *spec, *cols;
  char where[512], sub[640];

  releve_json_check_keys(c, mapping, path, keys);
  if (releve_json_string(c, mapping, path, "kind", 1, &kind) == 1 && !one_of(kind, kinds)) {
    err(c, path, "kind", "\"%s\" is not one of: long, wide, rows", kind);
    return;
  }
  check_where(c, mapping, path, "filters");
  if (strcmp(kind, "rows") != 0 &&
      json_object_get(json_object_get(mapping, "geography"), "address"))
    err(c, path, "geography", "a geography by address counts rows: it needs \"kind\": \"rows\"");
  if (strcmp(kind, "long") == 0) {
    if (releve_json_object(c, mapping, path, "columns", 0, &cols) == 1) {
      const char *k;
      json_t *v;
      releve_json_path(where, sizeof where, path, "columns");
      releve_json_check_keys(c, cols, where, column_keys);
      json_object_foreach(cols, k, v) if (!json_is_string(v)) {
        releve_json_path(sub, sizeof sub, where, k);
        err(c, sub, NULL, "a column name is expected");
      }
    }
    check_period(c, mapping, path, 0, 0);
    check_geography(c, mapping, path, 0);
    return;
  }
  check_period(c, mapping, path, 1, strcmp(kind, "rows") == 0);
  check_geography(c, mapping, path, 1);
  if (releve_json_object(c, mapping, path, "indicators", 1, &inds) != 1)
    return;
  releve_json_path(where, sizeof where, path, "indicators");
  if (json_object_size(inds) == 0)
    err(c, where, NULL, "no indicator is mapped; at least one is expected");
  json_object_foreach(inds, id, spec) {
    const releve_indicator *ind = ref ? releve_referentiel_find(ref, id) : NULL;
    releve_json_path(sub, sizeof sub, where, id);
    if (ref && ind == NULL)
      err(c, sub, NULL, "\"%s\" is not an indicator of the référentiel", id);
    else if (ind && actor && strcmp(ind->actor, actor) != 0)
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, sub, 0, 0,
                       "indicator %s belongs to actor \"%s\", not \"%s\"", id, ind->actor,
                       actor);
    check_indicator(c, spec, sub, kind);
  }
}
