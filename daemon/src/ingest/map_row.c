/* map_row.c -- one row of a partner's file read as its mapping says: the
 * filters, the period or interval of years, the geography (a column, a code
 * table or the address placed in its QPV), then a long or wide row emitted as
 * candidates, or a rows mapping's contribution added to its groups. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ingest/map_int.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/str.h"

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
  releve__map_error(m, line, c->column, c->text, "période illisible ; %s attendue",
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
    releve__map_error(m, line, end->column, end->text,
              "la fin (%d) précède le début (%d) ; la ligne n'est comptée dans aucune année",
              last.year, start.year);
    return -1;
  }
  out->from = m->first_year && start.year < m->first_year ? m->first_year : start.year;
  out->to = m->last_year && last.year > m->last_year ? m->last_year : last.year;
  if (out->to - out->from > 200) { /* a typo, not a person's history */
    releve__map_error(m, line, 0, NULL, "intervalle de %d à %d : plus de 200 ans ; la ligne n'est "
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
  mapped = releve__map_str(m->geo_codes, c->text);
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
  releve__map_error(m, line, c->column, c->text,
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
  char *key = releve_str_printf("%s\x1f%s\x1f%s", ind, period, geo);
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
      releve__map_error(m, line, c->column, c->text, "un nombre est attendu pour « %s »",
                m->names[t->column]);
    }
  } else if (t->op == OP_DISTINCT) {
    c = cell_at(cells, n, t->key_column);
    if (*c->text == '\0') {
      /* No value is quoted: a key is an identifier. */
      releve__map_error(m, line, c->column, NULL,
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
      releve__map_error(m, 0, 0, NULL, "plus de %d identifiants distincts à compter : fichier trop grand "
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
  else if (r.zone->kind == RELEVE_ADDR_ZONE_QVA)
    m->in_qva++;
  else
    m->in_qpv++;
  if (r.zone && (m->levels & LEVEL_QUARTIER))
    geo[k++] = r.zone->code;
  if (r.zone && (m->levels & LEVEL_SCOPE))
    geo[k++] = r.zone->kind == RELEVE_ADDR_ZONE_QVA ? "QVA" : "QPV";
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

