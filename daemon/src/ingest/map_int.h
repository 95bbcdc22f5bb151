/* map_int.h -- what map.c (the mapping, its columns, the figures at the
 * end) and map_row.c (each row read as the mapping says) share: the
 * mapper's state. Not for use outside ingest/map*.c. */
#ifndef RELEVE_MAP_INT_H
#define RELEVE_MAP_INT_H

#include <jansson.h>
#include <stdint.h>

#include "address/addr_match.h"
#include "ingest/map.h"
#include "util/buf.h"

enum { KIND_LONG, KIND_WIDE, KIND_ROWS };
enum { OP_COUNT, OP_SUM, OP_MEAN, OP_SHARE, OP_DISTINCT };
enum { L_IND, L_PERIOD, L_GEO, L_VALUE, L_SHARE, L_STATUS, L_COMMENT, L_N };
enum { A_NUMBER, A_SUFFIX, A_STREET, A_COMPLEMENT, A_POSTCODE, A_CITY, A_N };
enum { LEVEL_QUARTIER = 1, LEVEL_SCOPE = 2, LEVEL_QP = 4, LEVEL_PARIS = 8 };


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

/* Tells on_error about line and column, the message formatted. */
void releve__map_error(releve_mapper *m, unsigned long line, unsigned column, const char *value,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The string at key of o, NULL when it is none. */
const char *releve__map_str(json_t *o, const char *key);

#endif
