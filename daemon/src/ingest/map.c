/* map.c -- the mapping engine: long, wide and rows files (see map.h). Rows
 * are looked at once and forgotten (map_row.c); a rows mapping keeps one
 * accumulator per (indicator, period, geography), never the rows, and for
 * count_distinct a set of salted key hashes, never the keys. This file
 * resolves the mapping against the file's columns and gives the figures at
 * the end. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "ingest/map_int.h"
#include "util/buf.h"


static const char *const address_keys[A_N] = {"number", "suffix", "street",
                                              "complement", "postcode", "city"};
static const char *const level_names[] = {"quartier", "QPV", "QP", "PARIS", NULL};

static const char *const long_keys[L_N] = {"indicator", "period", "geography", "value",
                                           "share", "status", "comment"};
static const char *const long_defaults[L_N] = {"indicateur", "periode", "geographie", "valeur",
                                               "part", "statut", "commentaire"};

void releve__map_error(releve_mapper *m, unsigned long line, unsigned column, const char *value,
                       const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  m->on_error(m->ud, line, column, value, b.data ? b.data : "erreur");
  releve_buf_free(&b);
}

const char *releve__map_str(json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

/* A "period" object as configured (checked by map_check.c). */
static void period_rule_init(period_rule *r, json_t *spec) {
  r->spec = spec;
  r->value = releve__map_str(spec, "value");
  r->format = releve__map_str(spec, "format");
  r->interval = json_object_get(spec, "start") != NULL;
  r->column = r->end_column = -1;
}

releve_mapper *releve_mapper_new(json_t *mapping, releve_candidate_cb on_candidate,
                                 releve_map_error_cb on_error, void *ud) {
  releve_mapper *m = calloc(1, sizeof *m);
  const char *kind;
  json_t *p, *g, *inds;

  if (m == NULL)
    return NULL;
  m->mapping = mapping ? json_incref(mapping) : NULL;
  m->on_candidate = on_candidate;
  m->on_error = on_error;
  m->ud = ud;
  m->geo_column = -1;
  /* Salted so that the hashes held in memory cannot be matched against a
   * list of known identifiers; a failure only weakens that. */
  if (getrandom(m->salt, sizeof m->salt, GRND_NONBLOCK) != (ssize_t)sizeof m->salt)
    memcpy(m->salt, &m, sizeof m < sizeof m->salt ? sizeof m : sizeof m->salt);
  kind = mapping ? releve__map_str(mapping, "kind") : NULL;
  m->kind = kind == NULL || strcmp(kind, "long") == 0 ? KIND_LONG
            : strcmp(kind, "wide") == 0              ? KIND_WIDE
                                                     : KIND_ROWS;
  p = mapping ? json_object_get(mapping, "period") : NULL;
  period_rule_init(&m->period, p);
  g = mapping ? json_object_get(mapping, "geography") : NULL;
  m->geo_value = releve__map_str(g, "value");
  m->geo_default = releve__map_str(g, "default");
  m->geo_codes = json_object_get(g, "codes");
  m->geo_skip_unmapped = releve__map_str(g, "unmapped") && strcmp(releve__map_str(g, "unmapped"), "skip") == 0;
  m->geo_address = json_object_get(g, "address");
  if (m->geo_address) {
    json_t *lv = json_object_get(g, "levels");
    size_t i, k;
    for (k = 0; level_names[k]; k++) {
      int wanted = json_is_string(lv) && strcmp(json_string_value(lv), level_names[k]) == 0;
      json_t *v;
      json_array_foreach(lv, i, v) wanted |=
          json_is_string(v) && strcmp(json_string_value(v), level_names[k]) == 0;
      if (wanted)
        m->levels |= 1u << k;
    }
  }
  m->filters_spec = mapping ? json_object_get(mapping, "filters") : NULL;
  inds = mapping ? json_object_get(mapping, "indicators") : NULL;
  if (m->kind != KIND_LONG && json_is_object(inds)) {
    const char *id;
    json_t *spec;
    m->targets = calloc(json_object_size(inds) + 1, sizeof *m->targets);
    if (m->targets == NULL) {
      releve_mapper_free(m);
      return NULL;
    }
    json_object_foreach(inds, id, spec) {
      target *t = &m->targets[m->n_targets++];
      const char *op = releve__map_str(spec, "op");
      t->indicator = id;
      t->column = t->share_column = t->key_column = -1;
      t->op = op == NULL || strcmp(op, "count") == 0 ? OP_COUNT
              : strcmp(op, "sum") == 0             ? OP_SUM
              : strcmp(op, "mean") == 0            ? OP_MEAN
              : strcmp(op, "count_distinct") == 0  ? OP_DISTINCT
                                                   : OP_SHARE;
      t->period = &m->period;
      if (json_object_get(spec, "period")) {
        period_rule_init(&t->own_period, json_object_get(spec, "period"));
        t->period = &t->own_period;
      }
      t->where_spec = json_object_get(spec, "where");
      t->of_spec = json_object_get(spec, "of");
    }
  }
  return m;
}

static int find_column(releve_mapper *m, const char *name) {
  size_t i;
  for (i = 0; i < m->n_names; i++)
    if (strcmp(m->names[i], name) == 0)
      return (int)i;
  /* Header case drifts between a partner's yearly exports. */
  for (i = 0; i < m->n_names; i++)
    if (strcasecmp(m->names[i], name) == 0)
      return (int)i;
  return -1;
}

/* Resolves a column the mapping names; reports it when absent. */
static int need_column(releve_mapper *m, const char *name, int *out) {
  size_t i;
  releve_buf list = RELEVE_BUF_INIT;

  *out = find_column(m, name);
  if (*out >= 0)
    return 0;
  for (i = 0; i < m->n_names; i++)
    releve_buf_addf(&list, "%s%s", i ? ", " : "", m->names[i]);
  releve__map_error(m, 0, 0, NULL, "la colonne « %s » est absente du fichier ; colonnes trouvées : %s",
            name, list.data ? list.data : "aucune");
  releve_buf_free(&list);
  return -EBADMSG;
}

/* The columns a period rule reads. */
static int resolve_period(releve_mapper *m, period_rule *r) {
  const char *c;
  int rc = 0;
  if (r->value)
    return 0;
  if ((c = releve__map_str(r->spec, r->interval ? "start" : "column")) != NULL &&
      need_column(m, c, &r->column))
    rc = -EBADMSG;
  if (r->interval && (c = releve__map_str(r->spec, "end")) != NULL && need_column(m, c, &r->end_column))
    rc = -EBADMSG;
  return rc;
}

static int resolve_filters(releve_mapper *m, json_t *spec, filters *f) {
  const char *col;
  json_t *accepted;
  int rc = 0;

  if (!json_is_object(spec))
    return 0;
  f->items = calloc(json_object_size(spec) + 1, sizeof *f->items);
  if (f->items == NULL)
    return -ENOMEM;
  json_object_foreach(spec, col, accepted) {
    filter *it = &f->items[f->n++];
    it->accepted = accepted;
    if (need_column(m, col, &it->column))
      rc = -EBADMSG;
  }
  return rc;
}

void releve_mapper_set_years(releve_mapper *m, int first, int last) {
  m->first_year = first;
  m->last_year = last;
}

void releve_mapper_set_addresses(releve_mapper *m, const releve_addr_ref *ref,
                                 releve_map_note_cb on_note) {
  m->addresses = ref;
  m->on_note = on_note;
}

/* The address columns the mapping names, and a reference to match with. */
static int resolve_address(releve_mapper *m) {
  size_t k;
  int rc = 0;
  for (k = 0; k < A_N; k++) {
    const char *name = releve__map_str(m->geo_address, address_keys[k]);
    m->address_cols[k] = -1;
    if (name && need_column(m, name, &m->address_cols[k]))
      rc = -EBADMSG;
  }
  if (m->addresses == NULL) {
    releve__map_error(m, 0, 0, NULL, "le fichier d'adresses nécessaire pour situer les lignes en "
                             "QPV n'est pas disponible sur le serveur ; l'administrateur a été "
                             "prévenu");
    rc = -EBADMSG;
  }
  return rc;
}

int releve_mapper_columns(releve_mapper *m, const char *const *names, size_t n) {
  json_t *cols = m->mapping ? json_object_get(m->mapping, "columns") : NULL;
  json_t *inds = m->mapping ? json_object_get(m->mapping, "indicators") : NULL;
  const char *c;
  size_t i;
  int rc = 0;

  m->names = calloc(n + 1, sizeof *m->names);
  if (m->names == NULL)
    return -ENOMEM;
  for (i = 0; i < n; i++)
    if ((m->names[i] = strdup(names[i])) == NULL)
      return -ENOMEM;
  m->n_names = n;
  if (resolve_period(m, &m->period))
    rc = -EBADMSG;
  if (!m->geo_value) {
    json_t *g = m->mapping ? json_object_get(m->mapping, "geography") : NULL;
    if ((c = releve__map_str(g, "column")) != NULL && need_column(m, c, &m->geo_column))
      rc = -EBADMSG;
  }
  if (m->geo_address && resolve_address(m))
    rc = -EBADMSG;
  if (resolve_filters(m, m->filters_spec, &m->row_filters))
    rc = -EBADMSG;
  if (m->kind == KIND_LONG) {
    for (i = 0; i < L_N; i++) {
      const char *name = releve__map_str(cols, long_keys[i]);
      int mandatory = i == L_IND || i == L_VALUE || (i == L_PERIOD && !m->period.value &&
                                                     m->period.column < 0) ||
                      (i == L_GEO && !m->geo_value && m->geo_column < 0);
      m->long_cols[i] = find_column(m, name ? name : long_defaults[i]);
      if (m->long_cols[i] < 0 && mandatory &&
          need_column(m, name ? name : long_defaults[i], &m->long_cols[i]))
        rc = -EBADMSG;
    }
    if (m->period.column >= 0)
      m->long_cols[L_PERIOD] = m->period.column;
    if (m->geo_column >= 0)
      m->long_cols[L_GEO] = m->geo_column;
    return rc;
  }
  for (i = 0; i < m->n_targets; i++) {
    target *t = &m->targets[i];
    json_t *spec = json_object_get(inds, t->indicator);
    const char *col = json_is_string(spec) ? json_string_value(spec) : releve__map_str(spec, "column");
    if (col && need_column(m, col, &t->column))
      rc = -EBADMSG;
    if ((c = releve__map_str(spec, "share_column")) != NULL && need_column(m, c, &t->share_column))
      rc = -EBADMSG;
    if ((c = releve__map_str(spec, "key")) != NULL && need_column(m, c, &t->key_column))
      rc = -EBADMSG;
    if (t->period == &t->own_period && resolve_period(m, t->period))
      rc = -EBADMSG;
    if (resolve_filters(m, t->where_spec, &t->where) || resolve_filters(m, t->of_spec, &t->of))
      rc = -EBADMSG;
  }
  return rc;
}

static const target *target_of(const releve_mapper *m, const char *indicator) {
  size_t i;
  for (i = 0; i < m->n_targets; i++)
    if (strcmp(m->targets[i].indicator, indicator) == 0)
      return &m->targets[i];
  return NULL;
}

/* The matching summary and the unmatched lines, for the partner. */
static void address_notes(releve_mapper *m) {
  unsigned long total = 0;
  releve_buf b = RELEVE_BUF_INIT;
  size_t i;

  for (i = 0; i < RELEVE_ADDR_LEVELS; i++)
    total += m->matched[i];
  if (m->on_note == NULL || total == 0)
    return;
  releve_buf_addf(&b, "adresses : %lu ligne%s, %lu retrouvée%s exactement, %lu au numéro "
                      "sans son suffixe, %lu par la voie seule, %lu sur une voie approchée "
                      "(faute de frappe), %lu non retrouvée%s ; "
                      "%lu en QPV, %lu en QVA, %lu hors QPV et QVA",
                  total, total > 1 ? "s" : "", m->matched[RELEVE_ADDR_EXACT],
                  m->matched[RELEVE_ADDR_EXACT] > 1 ? "s" : "", m->matched[RELEVE_ADDR_NUMBER],
                  m->matched[RELEVE_ADDR_STREET], m->matched[RELEVE_ADDR_NEAR],
                  m->matched[RELEVE_ADDR_UNMATCHED],
                  m->matched[RELEVE_ADDR_UNMATCHED] > 1 ? "s" : "", m->in_qpv, m->in_qva,
                  m->outside);
  if (b.data)
    m->on_note(m->ud, 0, b.data);
  for (i = 1; i < RELEVE_ADDR_MISSES; i++) {
    if (m->missed[i] == 0)
      continue;
    releve_buf_free(&b);
    releve_buf_addf(&b, "adresse non située, %s ; ces lignes ne sont comptées dans aucun "
                        "quartier : ligne%s %s",
                    releve_addr_match_miss_label((releve_addr_miss)i), m->missed[i] > 1 ? "s" : "",
                    m->missed_lines[i].data);
    if (b.data)
      m->on_note(m->ud, 1, b.data);
  }
  releve_buf_free(&b);
}

int releve_mapper_finish(releve_mapper *m) {
  size_t b;
  int rc = 0;

  if (m->geo_address)
    address_notes(m);
  for (b = 0; b < N_BUCKETS && rc == 0; b++) {
    group *g;
    for (g = m->buckets[b]; g && rc == 0; g = g->next) {
      const target *t = target_of(m, g->indicator);
      releve_candidate c;
      char text[64];
      memset(&c, 0, sizeof c);
      c.indicator = g->indicator;
      c.period = g->period;
      c.geography = g->geography;
      c.value.kind = RELEVE_CELL_NUMBER;
      switch (t->op) {
      case OP_COUNT:
      case OP_DISTINCT: c.value.number = g->matched; break;
      case OP_SUM: c.value.number = g->sum; break;
      case OP_MEAN:
        if (g->matched == 0)
          continue; /* nothing to average: no figure, not a zero */
        c.value.number = g->sum / g->matched;
        break;
      default: c.value.number = g->whole ? 100.0 * g->matched / g->whole : 0; break;
      }
      snprintf(text, sizeof text, "%.10g", c.value.number);
      c.value.text = text;
      rc = m->on_candidate(m->ud, &c);
    }
  }
  return rc;
}

unsigned long releve_mapper_skipped(const releve_mapper *m) { return m->skipped; }

void releve_mapper_free(releve_mapper *m) {
  size_t i;
  if (m == NULL)
    return;
  for (i = 0; i < N_BUCKETS; i++) {
    group *g = m->buckets[i];
    while (g) {
      group *next = g->next;
      free(g->key);
      free(g->period);
      free(g->geography);
      free(g->distinct.slots);
      free(g);
      g = next;
    }
  }
  for (i = 0; i < m->n_targets; i++) {
    free(m->targets[i].where.items);
    free(m->targets[i].of.items);
  }
  free(m->targets);
  free(m->row_filters.items);
  for (i = 0; i < RELEVE_ADDR_MISSES; i++)
    releve_buf_free(&m->missed_lines[i]);
  for (i = 0; i < m->n_names; i++)
    free(m->names[i]);
  free(m->names);
  json_decref(m->mapping);
  free(m);
}
