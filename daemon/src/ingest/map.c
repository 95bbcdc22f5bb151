/* map.c -- the mapping engine: long, wide and rows files (see map.h). Rows
 * are looked at once and forgotten; a rows mapping keeps one accumulator per
 * (indicator, period, geography), never the rows, and for count_distinct a
 * set of salted key hashes, never the keys. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "address/address_match.h"
#include "referentiel/geo.h"
#include "util/hash.h"
#include "ingest/map.h"
#include "referentiel/period.h"
#include "util/util.h"

enum { KIND_LONG, KIND_WIDE, KIND_ROWS };
enum { OP_COUNT, OP_SUM, OP_MEAN, OP_SHARE, OP_DISTINCT };
enum { L_IND, L_PERIOD, L_GEO, L_VALUE, L_SHARE, L_STATUS, L_COMMENT, L_N };
enum { A_NUMBER, A_SUFFIX, A_STREET, A_COMPLEMENT, A_POSTCODE, A_CITY, A_N };
enum { LEVEL_QUARTIER = 1, LEVEL_SCOPE = 2, LEVEL_QP = 4, LEVEL_PARIS = 8 };

static const char *const address_keys[A_N] = {"number", "suffix", "street",
                                              "complement", "postcode", "city"};
static const char *const level_names[] = {"quartier", "QPV", "QP", "PARIS", NULL};

static const char *const long_keys[L_N] = {"indicator", "period", "geography", "value",
                                           "share", "status", "comment"};
static const char *const long_defaults[L_N] = {"indicateur", "periode", "geographie", "valeur",
                                               "part", "statut", "commentaire"};

typedef struct filter {
  int column;
  json_t *accepted; /* a string or an array of strings */
} filter;

typedef struct filters {
  filter *items;
  size_t n;
} filters;

/* Where a row's period comes from: a fixed value, one column, or an
 * interval of two columns (start, end) giving every year it overlaps. */
typedef struct period_rule {
  const char *value, *format;
  int column, end_column, interval;
  json_t *spec;
} period_rule;

/* The periods one row counts for: a single one, or each year of an
 * interval. */
typedef struct span {
  const char *single; /* NULL for an interval */
  char buf[16];
  int from, to; /* an interval's years (from > to: none) */
} span;

typedef struct target {
  const char *indicator;
  int op;
  int column;       /* wide: value column; rows: summed column */
  int share_column; /* wide */
  int key_column;   /* count_distinct */
  json_t *where_spec, *of_spec;
  filters where, of;
  period_rule *period; /* rows: its own period, or the mapping's */
  period_rule own_period;
  uint64_t row_key; /* count_distinct: this row's key hash, 0 when none */
} target;

/* A set of 64-bit key hashes, open addressing (0 is the empty slot). */
typedef struct key_set {
  uint64_t *slots;
  size_t cap, n;
} key_set;

typedef struct group {
  char *key; /* indicator \x1f period \x1f geography */
  const char *indicator;
  char *period, *geography;
  double sum, matched, whole;
  key_set distinct;
  struct group *next;
} group;

#define N_BUCKETS 1024

struct releve_mapper {
  json_t *mapping;
  int kind;
  int long_cols[L_N];
  period_rule period;
  int first_year, last_year; /* interval years counted (0: unbounded) */
  unsigned char salt[16];    /* count_distinct hashes are salted per file */
  unsigned long distinct_total;
  const char *geo_value, *geo_default;
  json_t *geo_codes;
  int geo_column, geo_skip_unmapped;
  /* Geography by address: columns, levels, what was matched. */
  json_t *geo_address;
  int address_cols[A_N];
  unsigned levels;
  const releve_addr_ref *addresses;
  releve_map_note_cb on_note;
  unsigned long matched[RELEVE_ADDR_LEVELS], outside, in_qpv, in_qva;
  unsigned long missed[RELEVE_ADDR_MISSES];
  releve_buf missed_lines[RELEVE_ADDR_MISSES];
  json_t *filters_spec;
  filters row_filters;
  target *targets;
  size_t n_targets;
  group *buckets[N_BUCKETS];
  unsigned long skipped;
  char **names;
  size_t n_names;
  releve_candidate_cb on_candidate;
  releve_map_error_cb on_error;
  void *ud;
};

static void map_error(releve_mapper *m, unsigned long line, unsigned column, const char *value,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void map_error(releve_mapper *m, unsigned long line, unsigned column, const char *value,
                      const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  m->on_error(m->ud, line, column, value, b.data ? b.data : "erreur");
  releve_buf_free(&b);
}

static const char *str(json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

/* A "period" object as configured (checked by map_check.c). */
static void period_rule_init(period_rule *r, json_t *spec) {
  r->spec = spec;
  r->value = str(spec, "value");
  r->format = str(spec, "format");
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
  kind = mapping ? str(mapping, "kind") : NULL;
  m->kind = kind == NULL || strcmp(kind, "long") == 0 ? KIND_LONG
            : strcmp(kind, "wide") == 0              ? KIND_WIDE
                                                     : KIND_ROWS;
  p = mapping ? json_object_get(mapping, "period") : NULL;
  period_rule_init(&m->period, p);
  g = mapping ? json_object_get(mapping, "geography") : NULL;
  m->geo_value = str(g, "value");
  m->geo_default = str(g, "default");
  m->geo_codes = json_object_get(g, "codes");
  m->geo_skip_unmapped = str(g, "unmapped") && strcmp(str(g, "unmapped"), "skip") == 0;
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
      const char *op = str(spec, "op");
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
  map_error(m, 0, 0, NULL, "la colonne « %s » est absente du fichier ; colonnes trouvées : %s",
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
  if ((c = str(r->spec, r->interval ? "start" : "column")) != NULL &&
      need_column(m, c, &r->column))
    rc = -EBADMSG;
  if (r->interval && (c = str(r->spec, "end")) != NULL && need_column(m, c, &r->end_column))
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
    const char *name = str(m->geo_address, address_keys[k]);
    m->address_cols[k] = -1;
    if (name && need_column(m, name, &m->address_cols[k]))
      rc = -EBADMSG;
  }
  if (m->addresses == NULL) {
    map_error(m, 0, 0, NULL, "le fichier d'adresses nécessaire pour situer les lignes en "
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
    if ((c = str(g, "column")) != NULL && need_column(m, c, &m->geo_column))
      rc = -EBADMSG;
  }
  if (m->geo_address && resolve_address(m))
    rc = -EBADMSG;
  if (resolve_filters(m, m->filters_spec, &m->row_filters))
    rc = -EBADMSG;
  if (m->kind == KIND_LONG) {
    for (i = 0; i < L_N; i++) {
      const char *name = str(cols, long_keys[i]);
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
    const char *col = json_is_string(spec) ? json_string_value(spec) : str(spec, "column");
    if (col && need_column(m, col, &t->column))
      rc = -EBADMSG;
    if ((c = str(spec, "share_column")) != NULL && need_column(m, c, &t->share_column))
      rc = -EBADMSG;
    if ((c = str(spec, "key")) != NULL && need_column(m, c, &t->key_column))
      rc = -EBADMSG;
    if (t->period == &t->own_period && resolve_period(m, t->period))
      rc = -EBADMSG;
    if (resolve_filters(m, t->where_spec, &t->where) || resolve_filters(m, t->of_spec, &t->of))
      rc = -EBADMSG;
  }
  return rc;
}

static const releve_cell *cell_at(const releve_cell *cells, size_t n, int col) {
  static const releve_cell empty = {RELEVE_CELL_EMPTY, "", 0, 0};
  return col >= 0 && (size_t)col < n ? &cells[col] : &empty;
}

static int accepted(json_t *spec, const char *text) {
  size_t i;
  json_t *v;
  if (json_is_string(spec))
    return strcasecmp(json_string_value(spec), text) == 0;
  json_array_foreach(spec, i, v) if (json_is_string(v) &&
                                     strcasecmp(json_string_value(v), text) == 0) return 1;
  return 0;
}

static int matches(const filters *f, const releve_cell *cells, size_t n) {
  size_t i;
  for (i = 0; i < f->n; i++)
    if (!accepted(f->items[i].accepted, cell_at(cells, n, f->items[i].column)->text))
      return 0;
  return 1;
}

/* Reads one period cell in the rule's format; reported when unreadable. */
static int read_period(releve_mapper *m, unsigned long line, const releve_cell *c,
                       const char *format, releve_period *p) {
  if (releve_period_parse_as(c->text, format, p) == 0)
    return 0;
  map_error(m, line, c->column, c->text, "période illisible ; %s attendue",
            format && strcmp(format, "school_year") == 0 ? "une année scolaire (2018-2019)"
            : format && strcmp(format, "date") == 0      ? "une date AAAA-MM-JJ"
                                                         : "une année (2019, 2019-12, 2019-T4)");
  return -EINVAL;
}

/* The row's period as text; NULL (reported) when unreadable. */
static const char *row_period(releve_mapper *m, unsigned long line, const releve_cell *cells,
                              size_t n, const period_rule *r, int column, char *buf,
                              size_t size) {
  const releve_cell *c;
  releve_period p;

  if (r->value)
    return r->value;
  c = cell_at(cells, n, column);
  if (r->format == NULL)
    return c->text;
  if (read_period(m, line, c, r->format, &p) != 0)
    return NULL;
  releve_period_format(&p, buf, size);
  return buf;
}

/* The periods a row counts for under rule r. An interval counts the row
 * for every year its [start, end] overlaps, within the years set by
 * releve_mapper_set_years; an empty end is still open. Returns 0, or -1
 * when the row counts for no period (reported when unreadable). */
static int row_span(releve_mapper *m, unsigned long line, const releve_cell *cells, size_t n,
                    const period_rule *r, span *out) {
  const releve_cell *end;
  releve_period start, last;
  int open_end;

  if (!r->interval) {
    out->single = row_period(m, line, cells, n, r, r->column, out->buf, sizeof out->buf);
    return out->single ? 0 : -1;
  }
  out->single = NULL;
  if (read_period(m, line, cell_at(cells, n, r->column), r->format, &start) != 0)
    return -1;
  end = cell_at(cells, n, r->end_column);
  open_end = end->kind == RELEVE_CELL_EMPTY || *end->text == '\0';
  if (!open_end && read_period(m, line, end, r->format, &last) != 0)
    return -1;
  if (open_end) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    last.year = m->last_year ? m->last_year : tm.tm_year + 1900;
  } else if (last.year < start.year) {
    map_error(m, line, end->column, end->text,
              "la fin (%d) précède le début (%d) ; la ligne n'est comptée dans aucune année",
              last.year, start.year);
    return -1;
  }
  out->from = m->first_year && start.year < m->first_year ? m->first_year : start.year;
  out->to = m->last_year && last.year > m->last_year ? m->last_year : last.year;
  if (out->to - out->from > 200) { /* a typo, not a person's history */
    map_error(m, line, 0, NULL, "intervalle de %d à %d : plus de 200 ans ; la ligne n'est "
                                "comptée dans aucune année",
              start.year, last.year);
    return -1;
  }
  return 0;
}

/* The row's geography; NULL when the row is skipped or (reported) wrong. */
static const char *row_geography(releve_mapper *m, unsigned long line, const releve_cell *cells,
                                 size_t n, int column, char *buf, size_t size, int *skip) {
  const releve_cell *c;
  const char *mapped;

  *skip = 0;
  if (m->geo_value)
    return m->geo_value;
  c = cell_at(cells, n, column);
  mapped = str(m->geo_codes, c->text);
  if (mapped)
    return mapped;
  if (releve_geo_normalize(c->text, buf, size) == 0)
    return buf;
  if (m->geo_default && *c->text == '\0')
    return m->geo_default;
  if (m->geo_skip_unmapped) {
    *skip = 1;
    return NULL;
  }
  if (m->kind == KIND_LONG)
    return c->text; /* the validator explains what a geography looks like */
  map_error(m, line, c->column, c->text,
            "territoire inconnu ; attendu : PARIS, QP, QPV, QVA, un code de quartier (QP075001), "
            "un arrondissement (75118), REP ou REP+");
  return NULL;
}

static int emit_long(releve_mapper *m, unsigned long line, const releve_cell *cells, size_t n) {
  releve_candidate c;
  char pbuf[16], gbuf[16];
  int skip;

  memset(&c, 0, sizeof c);
  c.line = line;
  c.indicator = cell_at(cells, n, m->long_cols[L_IND])->text;
  c.period = row_period(m, line, cells, n, &m->period, m->long_cols[L_PERIOD], pbuf, sizeof pbuf);
  c.geography = row_geography(m, line, cells, n, m->long_cols[L_GEO], gbuf, sizeof gbuf, &skip);
  if (skip) {
    m->skipped++;
    return 0;
  }
  if (c.period == NULL || c.geography == NULL)
    return 0;
  c.value = *cell_at(cells, n, m->long_cols[L_VALUE]);
  c.share = *cell_at(cells, n, m->long_cols[L_SHARE]);
  c.status = cell_at(cells, n, m->long_cols[L_STATUS])->text;
  c.comment = cell_at(cells, n, m->long_cols[L_COMMENT])->text;
  return m->on_candidate(m->ud, &c);
}

static int emit_wide(releve_mapper *m, unsigned long line, const releve_cell *cells, size_t n,
                     const char *period, const char *geography) {
  size_t i;
  int rc = 0;
  for (i = 0; i < m->n_targets && rc == 0; i++) {
    releve_candidate c;
    memset(&c, 0, sizeof c);
    c.line = line;
    c.indicator = m->targets[i].indicator;
    c.period = period;
    c.geography = geography;
    c.value = *cell_at(cells, n, m->targets[i].column);
    c.share = *cell_at(cells, n, m->targets[i].share_column);
    rc = m->on_candidate(m->ud, &c);
  }
  return rc;
}

static unsigned long hash(const char *s) {
  unsigned long h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static group *get_group(releve_mapper *m, const char *ind, const char *period, const char *geo) {
  char *key = releve_aprintf("%s\x1f%s\x1f%s", ind, period, geo);
  unsigned long b;
  group *g;

  if (key == NULL)
    return NULL;
  b = hash(key) % N_BUCKETS;
  for (g = m->buckets[b]; g; g = g->next)
    if (strcmp(g->key, key) == 0) {
      free(key);
      return g;
    }
  g = calloc(1, sizeof *g);
  if (g == NULL) {
    free(key);
    return NULL;
  }
  g->key = key;
  g->indicator = ind;
  g->period = strdup(period);
  g->geography = strdup(geo);
  g->next = m->buckets[b];
  m->buckets[b] = g;
  return g;
}

/* Adds h to the set; 1 when it was new, 0 when already there, -ENOMEM. */
static int key_set_add(key_set *set, uint64_t h) {
  size_t i;
  if (set->n * 2 >= set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 16, k;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
      return -ENOMEM;
    for (k = 0; k < set->cap; k++) {
      if (set->slots[k] == 0)
        continue;
      for (i = set->slots[k] & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
        ;
      slots[i] = set->slots[k];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  for (i = h & (set->cap - 1); set->slots[i]; i = (i + 1) & (set->cap - 1))
    if (set->slots[i] == h)
      return 0;
  set->slots[i] = h;
  set->n++;
  return 1;
}

/* The salted hash of a count_distinct key (never 0, the empty slot). The
 * key itself is not kept: a person's identifier lives only in the row. */
static int key_hash(releve_mapper *m, const char *text, uint64_t *out) {
  size_t len = strlen(text);
  unsigned char *buf = malloc(sizeof m->salt + len);
  char hex[65];
  if (buf == NULL)
    return -ENOMEM;
  memcpy(buf, m->salt, sizeof m->salt);
  memcpy(buf + sizeof m->salt, text, len);
  releve_sha256_hex(buf, sizeof m->salt + len, hex);
  free(buf);
  hex[16] = '\0';
  *out = strtoull(hex, NULL, 16);
  if (*out == 0)
    *out = 1;
  return 0;
}

/* What one row brings to a target, worked out once whatever the number of
 * periods and geographies it counts under. */
typedef struct contribution {
  int in_whole, in_part, has_number;
  double number;
  uint64_t key; /* count_distinct: 0 when the row has no key */
} contribution;

static int contribution_of(releve_mapper *m, const target *t, unsigned long line,
                           const releve_cell *cells, size_t n, contribution *out) {
  const releve_cell *c;
  memset(out, 0, sizeof *out);
  out->in_whole = t->op != OP_SHARE || matches(&t->of, cells, n);
  out->in_part = out->in_whole && matches(&t->where, cells, n);
  if (!out->in_part)
    return 0;
  if (t->op == OP_SUM || t->op == OP_MEAN) {
    c = cell_at(cells, n, t->column);
    if (c->kind == RELEVE_CELL_NUMBER) {
      out->has_number = 1;
      out->number = c->number;
    } else if (c->kind != RELEVE_CELL_EMPTY) {
      map_error(m, line, c->column, c->text, "un nombre est attendu pour « %s »",
                m->names[t->column]);
    }
  } else if (t->op == OP_DISTINCT) {
    c = cell_at(cells, n, t->key_column);
    if (*c->text == '\0') {
      /* No value is quoted: a key is an identifier. */
      map_error(m, line, c->column, NULL,
                "« %s » est vide : la ligne n'est pas comptée pour %s (un identifiant est "
                "attendu)",
                m->names[t->key_column], t->indicator);
      out->in_part = 0;
      return 0;
    }
    return key_hash(m, c->text, &out->key);
  }
  return 0;
}

/* Counts one row's contribution in the group (target, period, geography). */
static int add_to_group(releve_mapper *m, const target *t, const contribution *c,
                        const char *period, const char *geography) {
  enum { DISTINCT_MAX = 1 << 24 }; /* keys held per file: at most 512 MiB of sets */
  group *g = get_group(m, t->indicator, period, geography);
  int rc;
  if (g == NULL)
    return -ENOMEM;
  g->whole += 1;
  if (!c->in_part)
    return 0;
  if (t->op == OP_DISTINCT) {
    if (m->distinct_total >= DISTINCT_MAX) {
      map_error(m, 0, 0, NULL, "plus de %d identifiants distincts à compter : fichier trop grand "
                               "pour être compté en mémoire",
                DISTINCT_MAX);
      return -E2BIG;
    }
    if ((rc = key_set_add(&g->distinct, c->key)) < 0)
      return rc;
    m->distinct_total += (unsigned long)rc;
    g->matched = (double)g->distinct.n;
  } else if (t->op == OP_SUM || t->op == OP_MEAN) {
    if (c->has_number) {
      g->sum += c->number;
      g->matched += 1;
    }
  } else {
    g->matched += 1;
  }
  return 0;
}

/* A rows file's row, counted for each target under each of its periods
 * and each geography in geo. */
static int accumulate(releve_mapper *m, unsigned long line, const releve_cell *cells, size_t n,
                      const span *shared, const char *const *geo, size_t k) {
  size_t i, j;
  int rc = 0;
  for (i = 0; i < m->n_targets && rc == 0; i++) {
    const target *t = &m->targets[i];
    const span *sp = shared;
    contribution c;
    span own;
    int y;
    if (t->period != &m->period) {
      if (row_span(m, line, cells, n, t->period, &own) != 0)
        continue;
      sp = &own;
    }
    if ((rc = contribution_of(m, t, line, cells, n, &c)) != 0 || !c.in_whole)
      continue;
    for (j = 0; j < k && rc == 0 && sp->single; j++)
      rc = add_to_group(m, t, &c, sp->single, geo[j]);
    for (y = sp->from; !sp->single && y <= sp->to && rc == 0; y++) {
      char year[16];
      snprintf(year, sizeof year, "%d", y);
      for (j = 0; j < k && rc == 0; j++)
        rc = add_to_group(m, t, &c, year, geo[j]);
    }
  }
  return rc;
}

/* Notes the line of an unmatched address under its reason (the address
 * itself is never kept). */
static void note_missed(releve_mapper *m, unsigned long line, releve_addr_miss miss) {
  enum { LISTED = 200 }; /* line numbers listed per reason */
  m->missed[miss]++;
  if (m->missed[miss] <= LISTED)
    releve_buf_addf(&m->missed_lines[miss], "%s%lu", m->missed[miss] > 1 ? ", " : "", line);
  else if (m->missed[miss] == LISTED + 1)
    releve_buf_adds(&m->missed_lines[miss], "…");
}

/* Places a row by its address: the geographies it counts under (one per
 * configured level), written to geo; returns how many. */
static size_t place_by_address(releve_mapper *m, unsigned long line, const releve_cell *cells,
                               size_t n, const char *geo[4]) {
  releve_addr_fields f;
  releve_addr_result r;
  size_t k = 0;

  f.number = cell_at(cells, n, m->address_cols[A_NUMBER])->text;
  f.suffix = cell_at(cells, n, m->address_cols[A_SUFFIX])->text;
  f.street = cell_at(cells, n, m->address_cols[A_STREET])->text;
  f.postcode = cell_at(cells, n, m->address_cols[A_POSTCODE])->text;
  f.city = cell_at(cells, n, m->address_cols[A_CITY])->text;
  releve_addr_match(m->addresses, &f, cell_at(cells, n, m->address_cols[A_COMPLEMENT])->text,
                    &r);
  m->matched[r.level]++;
  if (r.level == RELEVE_ADDR_UNMATCHED)
    note_missed(m, line, r.miss);
  else if (r.zone == NULL)
    m->outside++;
  else if (r.zone->kind == RELEVE_ZONE_QVA)
    m->in_qva++;
  else
    m->in_qpv++;
  if (r.zone && (m->levels & LEVEL_QUARTIER))
    geo[k++] = r.zone->code;
  if (r.zone && (m->levels & LEVEL_SCOPE))
    geo[k++] = r.zone->kind == RELEVE_ZONE_QVA ? "QVA" : "QPV";
  if (r.zone && (m->levels & LEVEL_QP))
    geo[k++] = "QP";
  if (m->levels & LEVEL_PARIS)
    geo[k++] = "PARIS";
  return k;
}

int releve_mapper_row(releve_mapper *m, unsigned long line, const releve_cell *cells, size_t n) {
  char gbuf[16];
  const char *geo[4];
  span period;
  int skip;

  if (!matches(&m->row_filters, cells, n)) {
    m->skipped++;
    return 0;
  }
  if (m->kind == KIND_LONG)
    return emit_long(m, line, cells, n);
  if (m->geo_address) {
    if (row_span(m, line, cells, n, &m->period, &period) != 0)
      return 0;
    return accumulate(m, line, cells, n, &period, geo, place_by_address(m, line, cells, n, geo));
  }
  geo[0] = row_geography(m, line, cells, n, m->geo_column, gbuf, sizeof gbuf, &skip);
  if (skip) {
    m->skipped++;
    return 0;
  }
  if (row_span(m, line, cells, n, &m->period, &period) != 0 || geo[0] == NULL)
    return 0;
  if (m->kind == KIND_WIDE)
    return emit_wide(m, line, cells, n, period.single, geo[0]);
  return accumulate(m, line, cells, n, &period, geo, 1);
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
                    releve_addr_miss_label((releve_addr_miss)i), m->missed[i] > 1 ? "s" : "",
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
