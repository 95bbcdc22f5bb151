/* address.c -- loading and indexing the address reference (address.h).
 *
 * Three open-addressing hash tables, filled once at load: streets (commune
 * and street key → street id and the zone of the whole street), addresses
 * (street, number, suffix → zone) and numbers (street, number → zone of
 * every suffix). Each keeps the zones merged: an address, number or street
 * found in two zones is marked RELEVE_ZONE_MIXED and never matched at that
 * level. */
#include "address.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address_norm.h"
#include "geo.h"
#include "util.h"

#define MAX_FIELDS 64
#define MAX_REPORTED 20 /* line problems listed before "… and N more" */

typedef struct street {
  char *key; /* commune \x1f street words */
  uint64_t hash;
  int zone;
} street;

typedef struct entry {
  uint32_t street, number;
  uint64_t suffix; /* up to 7 characters, packed */
  uint64_t hash;
  int zone;
} entry;

/* Slots hold an item index + 1; 0 is empty. cap is a power of two. */
typedef struct slots {
  uint32_t *v;
  size_t cap, n;
} slots;

typedef struct items {
  void *v;
  size_t n, cap, size;
} items;

struct releve_addr_ref {
  items streets, entries, numbers, zones;
  slots street_slots, entry_slots, number_slots;
  size_t addresses;
};

/* ---- small containers -------------------------------------------------- */

static void *items_add(items *it) {
  if (it->n == it->cap) {
    size_t cap = it->cap ? it->cap * 2 : 256;
    void *v = realloc(it->v, cap * it->size);
    if (v == NULL)
      return NULL;
    it->v = v;
    it->cap = cap;
  }
  return memset((char *)it->v + it->n++ * it->size, 0, it->size);
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  size_t i;
  for (i = 0; i < n; i++)
    h = (h ^ s[i]) * 1099511628211ull;
  return h;
}

/* FNV's low bits, which pick the slot, mix poorly on small integers:
 * finish with MurmurHash3's avalanche. */
static uint64_t avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

static uint64_t key_hash(const char *key, size_t n) {
  return avalanche(hash_bytes(14695981039346656037ull, key, n));
}

static uint64_t mix(uint64_t a, uint64_t b, uint64_t c) {
  return avalanche(a * 0x9e3779b97f4a7c15ull ^ b * 0xc2b2ae3d27d4eb4full ^ c);
}

static uint64_t pack_suffix(const char *s) {
  uint64_t v = 0;
  size_t n = strlen(s);
  memcpy(&v, s, n < 8 ? n : 7);
  return v;
}

/* Doubles the table when half full, re-placing items by their hash. */
static int slots_reserve(slots *t, const void *base, size_t size, size_t hash_offset) {
  uint32_t *v;
  size_t cap, i;

  if ((t->n + 1) * 2 <= t->cap)
    return 0;
  cap = t->cap ? t->cap * 2 : 1024;
  v = calloc(cap, sizeof *v);
  if (v == NULL)
    return -ENOMEM;
  for (i = 0; i < t->cap; i++)
    if (t->v[i]) {
      uint64_t h;
      size_t j;
      memcpy(&h, (const char *)base + (t->v[i] - 1) * size + hash_offset, sizeof h);
      for (j = h & (cap - 1); v[j]; j = (j + 1) & (cap - 1))
        ;
      v[j] = t->v[i];
    }
  free(t->v);
  t->v = v;
  t->cap = cap;
  return 0;
}

/* ---- lookups ------------------------------------------------------------ */

static const street *find_street(const releve_addr_ref *r, const char *key, uint64_t h) {
  const street *s = r->streets.v;
  size_t j;
  if (r->street_slots.cap == 0)
    return NULL;
  for (j = h & (r->street_slots.cap - 1); r->street_slots.v[j];
       j = (j + 1) & (r->street_slots.cap - 1)) {
    const street *c = &s[r->street_slots.v[j] - 1];
    if (c->hash == h && strcmp(c->key, key) == 0)
      return c;
  }
  return NULL;
}

/* The slot of (street, number, suffix) in t: its item, or the empty slot. */
static size_t find_entry(const slots *t, const items *it, uint32_t st, uint32_t number,
                         uint64_t suffix, uint64_t h) {
  const entry *e = it->v;
  size_t j;
  for (j = h & (t->cap - 1); t->v[j]; j = (j + 1) & (t->cap - 1)) {
    const entry *c = &e[t->v[j] - 1];
    if (c->hash == h && c->street == st && c->number == number && c->suffix == suffix)
      return j;
  }
  return j;
}

static int street_key(char *out, size_t size, const char *commune, const char *words) {
  int n = snprintf(out, size, "%s\x1f%s", commune, words);
  return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

int releve_addr_ref_street(const releve_addr_ref *r, const char *commune, const char *words,
                           unsigned *id) {
  char key[RELEVE_ADDR_COMMUNE_MAX + RELEVE_ADDR_STREET_MAX + 2];
  int n = street_key(key, sizeof key, commune, words);
  const street *s;
  if (n < 0)
    return 0;
  s = find_street(r, key, key_hash(key, (size_t)n));
  if (s == NULL)
    return 0;
  *id = (unsigned)(s - (const street *)r->streets.v);
  return 1;
}

int releve_addr_ref_street_zone(const releve_addr_ref *r, unsigned id) {
  return ((const street *)r->streets.v)[id].zone;
}

static int lookup(const slots *t, const items *it, unsigned id, unsigned number,
                  uint64_t suffix) {
  uint64_t h = mix(id, number, suffix);
  size_t j;
  if (t->cap == 0)
    return RELEVE_ZONE_NONE;
  j = find_entry(t, it, id, number, suffix, h);
  return t->v[j] ? ((const entry *)it->v)[t->v[j] - 1].zone : RELEVE_ZONE_NONE;
}

int releve_addr_ref_exact(const releve_addr_ref *r, unsigned id, unsigned number,
                          const char *suffix) {
  return lookup(&r->entry_slots, &r->entries, id, number, pack_suffix(suffix));
}

int releve_addr_ref_number(const releve_addr_ref *r, unsigned id, unsigned number) {
  return lookup(&r->number_slots, &r->numbers, id, number, 0);
}

const releve_zone *releve_addr_ref_zone(const releve_addr_ref *r, int zone) {
  return zone > 0 && (size_t)zone <= r->zones.n ? &((const releve_zone *)r->zones.v)[zone - 1]
                                                : NULL;
}

const releve_zone *releve_addr_ref_zone_by_code(const releve_addr_ref *r, const char *code) {
  const releve_zone *z = r->zones.v;
  size_t i;
  for (i = 0; i < r->zones.n; i++)
    if (strcmp(z[i].code, code) == 0)
      return &z[i];
  return NULL;
}

size_t releve_addr_ref_addresses(const releve_addr_ref *r) { return r->addresses; }
size_t releve_addr_ref_streets(const releve_addr_ref *r) { return r->streets.n; }

/* ---- building ------------------------------------------------------------ */

static int merge(int old, int zone) { return old == zone ? old : RELEVE_ZONE_MIXED; }

static int add_street(releve_addr_ref *r, const char *commune, const char *words, int zone,
                      uint32_t *id) {
  char key[RELEVE_ADDR_COMMUNE_MAX + RELEVE_ADDR_STREET_MAX + 2];
  int n = street_key(key, sizeof key, commune, words);
  uint64_t h;
  street *s;
  size_t j;

  if (n < 0)
    return n;
  h = key_hash(key, (size_t)n);
  if ((s = (street *)find_street(r, key, h)) != NULL) {
    s->zone = merge(s->zone, zone);
    *id = (uint32_t)(s - (street *)r->streets.v);
    return 0;
  }
  if (slots_reserve(&r->street_slots, r->streets.v, sizeof(street), offsetof(street, hash)) ||
      (s = items_add(&r->streets)) == NULL || (s->key = strdup(key)) == NULL)
    return -ENOMEM;
  s->hash = h;
  s->zone = zone;
  for (j = h & (r->street_slots.cap - 1); r->street_slots.v[j];
       j = (j + 1) & (r->street_slots.cap - 1))
    ;
  r->street_slots.v[j] = (uint32_t)r->streets.n;
  r->street_slots.n++;
  *id = (uint32_t)(r->streets.n - 1);
  return 0;
}

static int add_entry(slots *t, items *it, uint32_t st, uint32_t number, uint64_t suffix,
                     int zone) {
  uint64_t h = mix(st, number, suffix);
  size_t j;
  entry *e;

  if (slots_reserve(t, it->v, sizeof(entry), offsetof(entry, hash)))
    return -ENOMEM;
  j = find_entry(t, it, st, number, suffix, h);
  if (t->v[j]) {
    e = &((entry *)it->v)[t->v[j] - 1];
    e->zone = merge(e->zone, zone);
    return 0;
  }
  if ((e = items_add(it)) == NULL)
    return -ENOMEM;
  e->street = st;
  e->number = number;
  e->suffix = suffix;
  e->hash = h;
  e->zone = zone;
  t->v[j] = (uint32_t)it->n;
  t->n++;
  return 0;
}

/* The zone id of a code, adding it on first sight; -EINVAL when the code
 * is not a quartier code or was given the other kind before. */
static int zone_id(releve_addr_ref *r, const char *code, releve_zone_kind kind) {
  releve_zone *z = r->zones.v;
  size_t i;
  for (i = 0; i < r->zones.n; i++)
    if (strcmp(z[i].code, code) == 0)
      return z[i].kind == kind ? (int)i + 1 : -EINVAL;
  if (releve_geo_classify(code) != RELEVE_GEO_QUARTIER || strlen(code) >= sizeof z->code)
    return -EINVAL;
  if ((z = items_add(&r->zones)) == NULL)
    return -ENOMEM;
  strcpy(z->code, code);
  z->kind = kind;
  return (int)r->zones.n;
}

/* ---- reading the files ------------------------------------------------------ */

typedef struct csv {
  FILE *f;
  const char *path;
  char *line;
  size_t size;
  unsigned long lineno;
  char sep;
  char *field[MAX_FIELDS];
  size_t n;
  releve_diags *diags;
  unsigned long problems, skipped; /* errors, and lines left out with a warning */
} csv;

static void problem(csv *c, int severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(csv *c, int severity, const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  if (++*(severity == RELEVE_DIAG_ERROR ? &c->problems : &c->skipped) > MAX_REPORTED)
    return;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  releve_diags_add(c->diags, severity, c->path, "addresses", (int)c->lineno, 0, "%s",
                   b.data ? b.data : "invalid line");
  releve_buf_free(&b);
}

/* Splits the current line in place: quoted fields, "" for a quote. */
static void split(csv *c) {
  char *p = c->line, *out;
  c->n = 0;
  for (;;) {
    int quoted = *p == '"';
    if (c->n == MAX_FIELDS)
      return;
    c->field[c->n++] = out = p + quoted;
    if (quoted) {
      for (p++; *p; p++) {
        if (*p == '"' && p[1] == '"')
          *out++ = *p++;
        else if (*p == '"') {
          p++;
          break;
        } else
          *out++ = *p;
      }
      while (*p && *p != c->sep)
        p++;
    } else {
      while (*p && *p != c->sep)
        p++;
      out = p;
    }
    if (*p == '\0') {
      *out = '\0';
      return;
    }
    *out = '\0';
    p++;
  }
}

/* The next line, split; 0 at the end, negative on a read error. */
static int next_line(csv *c) {
  ssize_t n = getline(&c->line, &c->size, c->f);
  if (n < 0)
    return ferror(c->f) ? -EIO : 0;
  c->lineno++;
  while (n > 0 && (c->line[n - 1] == '\n' || c->line[n - 1] == '\r'))
    c->line[--n] = '\0';
  split(c);
  return 1;
}

static int csv_open(csv *c, const char *path, releve_diags *diags) {
  const char *p;
  int counts[3] = {0, 0, 0}, rc;

  memset(c, 0, sizeof *c);
  c->path = path;
  c->diags = diags;
  c->f = fopen(path, "re");
  if (c->f == NULL) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "addresses", 0, 0,
                     "cannot read the address file: %s", strerror(errno));
    return -EINVAL;
  }
  c->sep = ';';
  if (getline(&c->line, &c->size, c->f) < 0) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "addresses", 0, 0,
                     "the address file is empty; a header line is expected");
    return -EINVAL;
  }
  for (p = c->line; *p; p++)
    if (*p == ';')
      counts[0]++;
    else if (*p == ',')
      counts[1]++;
    else if (*p == '\t')
      counts[2]++;
  c->sep = counts[0] >= counts[1] && counts[0] >= counts[2] ? ';'
           : counts[1] >= counts[2]                        ? ','
                                                           : '\t';
  rewind(c->f);
  rc = next_line(c);
  if (rc <= 0)
    return -EIO;
  if (strncmp(c->field[0], "\xef\xbb\xbf", 3) == 0)
    c->field[0] += 3;
  return 0;
}

static void csv_close(csv *c) {
  if (c->problems > MAX_REPORTED)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->path, "addresses", 0, 0,
                     "… and %lu more lines with problems", c->problems - MAX_REPORTED);
  if (c->skipped > MAX_REPORTED)
    releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->path, "addresses", 0, 0,
                     "… and %lu more unreadable addresses left out", c->skipped - MAX_REPORTED);
  if (c->f)
    fclose(c->f);
  free(c->line);
}

enum { C_ID, C_NUMBER, C_SUFFIX, C_STREET, C_POSTCODE, C_INSEE, C_QPV, C_QVA, C_N };
static const char *const col_keys[C_N] = {"id", "number", "suffix", "street",
                                          "postcode", "insee", "qpv", "qva"};
static const char *const ban_names[C_N] = {"id", "numero", "rep", "nom_voie",
                                           "code_postal", "code_insee", "qpv", "qva"};
static const char *const plain_names[C_N] = {"id", "numero", "suffixe", "voie",
                                             "code_postal", "code_insee", "qpv", "qva"};

/* Finds each column in the header; -1 for an absent one. */
static void find_columns(const csv *c, const releve_addr_spec *spec, int *col) {
  int plain = spec->format && strcmp(spec->format, "plain") == 0;
  size_t k, i;
  for (k = 0; k < C_N; k++) {
    const char *name = json_string_value(json_object_get(spec->columns, col_keys[k]));
    if (name == NULL)
      name = plain ? plain_names[k] : ban_names[k];
    col[k] = -1;
    for (i = 0; i < c->n; i++)
      if (strcmp(c->field[i], name) == 0)
        col[k] = (int)i;
  }
}

static void missing_column(csv *c, const char *what, const char *name) {
  releve_buf found = RELEVE_BUF_INIT;
  size_t i;
  for (i = 0; i < c->n; i++)
    releve_buf_addf(&found, "%s%s", i ? ", " : "", c->field[i]);
  releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->path, "addresses", 1, 0,
                   "no %s column \"%s\" in the header; columns found: %s", what, name,
                   found.data ? found.data : "none");
  releve_buf_free(&found);
}

static const char *field(const csv *c, int col) {
  return col >= 0 && (size_t)col < c->n ? c->field[col] : "";
}

/* The zone of the current line from its qpv/qva cells: 0 outside. */
static int line_zone(releve_addr_ref *r, csv *c, const char *qpv, const char *qva) {
  int z;
  if (*qpv && *qva) {
    problem(c, RELEVE_DIAG_ERROR, "the address is given both a QPV (%s) and a QVA (%s)", qpv, qva);
    return -EINVAL;
  }
  if (*qpv == '\0' && *qva == '\0')
    return 0;
  z = zone_id(r, *qpv ? qpv : qva, *qpv ? RELEVE_ZONE_QPV : RELEVE_ZONE_QVA);
  if (z == -EINVAL)
    problem(c, RELEVE_DIAG_ERROR,
            "\"%s\" is not a quartier code of one kind (QP075012 or QN07501M expected, "
            "never both QPV and QVA)",
            *qpv ? qpv : qva);
  return z;
}

/* The separate zone file: id → zone, as a street table keyed by the id. */
static int load_zones(releve_addr_ref *r, const releve_addr_spec *spec, releve_addr_ref *ids,
                      releve_diags *diags) {
  csv c;
  int col[C_N], rc;

  if ((rc = csv_open(&c, spec->zones, diags)) != 0) {
    csv_close(&c);
    return rc;
  }
  find_columns(&c, spec, col);
  if (col[C_ID] < 0 || (col[C_QPV] < 0 && col[C_QVA] < 0)) {
    missing_column(&c, col[C_ID] < 0 ? "id" : "qpv or qva",
                   col[C_ID] < 0 ? "id" : "qpv");
    csv_close(&c);
    return -EINVAL;
  }
  while ((rc = next_line(&c)) > 0) {
    uint32_t id;
    int z = line_zone(r, &c, field(&c, col[C_QPV]), field(&c, col[C_QVA]));
    if (z == -ENOMEM || (z >= 0 && add_street(ids, field(&c, col[C_ID]), "", z, &id) != 0)) {
      rc = -ENOMEM;
      break;
    }
  }
  rc = rc < 0 ? rc : c.problems ? -EINVAL : 0;
  csv_close(&c);
  return rc;
}

static int zone_of_id(const releve_addr_ref *ids, const char *id) {
  unsigned k;
  return releve_addr_ref_street(ids, id, "", &k) ? releve_addr_ref_street_zone(ids, k) : 0;
}

static int load_reference(releve_addr_ref *r, const releve_addr_spec *spec,
                          const releve_addr_ref *ids, releve_diags *diags) {
  csv c;
  int col[C_N], rc;

  if ((rc = csv_open(&c, spec->file, diags)) != 0) {
    csv_close(&c);
    return rc;
  }
  find_columns(&c, spec, col);
  rc = 0;
  if (col[C_NUMBER] < 0 || col[C_STREET] < 0 || (col[C_POSTCODE] < 0 && col[C_INSEE] < 0) ||
      (ids ? col[C_ID] < 0 : col[C_QPV] < 0 && col[C_QVA] < 0)) {
    int k = col[C_NUMBER] < 0 ? C_NUMBER : col[C_STREET] < 0 ? C_STREET
            : col[C_POSTCODE] < 0 && col[C_INSEE] < 0 ? C_POSTCODE
            : ids ? C_ID : C_QPV;
    const char *name = json_string_value(json_object_get(spec->columns, col_keys[k]));
    missing_column(&c, col_keys[k],
                   name ? name : spec->format && !strcmp(spec->format, "plain") ? plain_names[k]
                                                                                : ban_names[k]);
    csv_close(&c);
    return -EINVAL;
  }
  while ((rc = next_line(&c)) > 0) {
    releve_addr_fields f;
    releve_addr_key key;
    uint32_t st;
    int z;

    if (c.n == 1 && c.field[0][0] == '\0')
      continue;
    memset(&f, 0, sizeof f);
    f.number = field(&c, col[C_NUMBER]);
    f.suffix = field(&c, col[C_SUFFIX]);
    f.street = field(&c, col[C_STREET]);
    f.postcode = *field(&c, col[C_POSTCODE]) ? field(&c, col[C_POSTCODE])
                                              : field(&c, col[C_INSEE]);
    /* A line without a street or commune cannot be matched by anyone: it
     * is left out with a warning. One without a usable number still tells
     * which zone its street lies in. */
    if (releve_addr_normalize(&f, &key) != 0 || key.commune[0] == '\0') {
      problem(&c, RELEVE_DIAG_WARNING,
              "unreadable address left out (street \"%s\", postcode \"%s\")", f.street,
              f.postcode);
      continue;
    }
    z = ids ? zone_of_id(ids, field(&c, col[C_ID]))
            : line_zone(r, &c, field(&c, col[C_QPV]), field(&c, col[C_QVA]));
    if (z == RELEVE_ZONE_MIXED)
      problem(&c, RELEVE_DIAG_ERROR, "id \"%s\" is given two zones in %s",
              field(&c, col[C_ID]), spec->zones);
    if (z == -EINVAL || z == RELEVE_ZONE_MIXED)
      continue;
    if (z < 0 || add_street(r, key.commune, key.street, z, &st) ||
        (key.number && (add_entry(&r->entry_slots, &r->entries, st, key.number,
                                  pack_suffix(key.suffix), z) ||
                        add_entry(&r->number_slots, &r->numbers, st, key.number, 0, z)))) {
      rc = -ENOMEM;
      break;
    }
    r->addresses++;
  }
  rc = rc < 0 ? rc : c.problems ? -EINVAL : 0;
  csv_close(&c);
  return rc;
}

static void init(releve_addr_ref *r) {
  memset(r, 0, sizeof *r);
  r->streets.size = sizeof(street);
  r->entries.size = r->numbers.size = sizeof(entry);
  r->zones.size = sizeof(releve_zone);
}

static void release(releve_addr_ref *r) {
  size_t i;
  for (i = 0; i < r->streets.n; i++)
    free(((street *)r->streets.v)[i].key);
  free(r->streets.v);
  free(r->entries.v);
  free(r->numbers.v);
  free(r->zones.v);
  free(r->street_slots.v);
  free(r->entry_slots.v);
  free(r->number_slots.v);
}

int releve_addr_ref_load(const releve_addr_spec *spec, releve_addr_ref **out,
                         releve_diags *diags) {
  releve_addr_ref *r = malloc(sizeof *r);
  releve_addr_ref ids; /* the separate zone file: id → zone */
  int rc = 0;

  *out = NULL;
  if (r == NULL)
    return -ENOMEM;
  init(r);
  init(&ids);
  if (spec->zones)
    rc = load_zones(r, spec, &ids, diags);
  if (rc == 0)
    rc = load_reference(r, spec, spec->zones ? &ids : NULL, diags);
  release(&ids);
  if (rc) {
    releve_addr_ref_free(r);
    return rc;
  }
  *out = r;
  return 0;
}

void releve_addr_ref_free(releve_addr_ref *r) {
  if (r == NULL)
    return;
  release(r);
  free(r);
}
