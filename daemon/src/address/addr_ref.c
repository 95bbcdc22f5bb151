/* addr_ref.c -- loading and indexing the address reference (addr_ref.h).
 *
 * Three open-addressing hash tables, filled once at load: streets (commune
 * and street key → street id and the zone of the whole street), addresses
 * (street, number, suffix → zone) and numbers (street, number → zone of
 * every suffix). Each keeps the zones merged: an address, number or street
 * found in two zones is marked RELEVE_ADDR_ZONE_MIXED and never matched at that
 * level. */
#include "address/addr_ref.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address/addr_file.h"
#include "address/addr_near.h"
#include "address/addr_norm.h"
#include "referentiel/geo.h"

/* A street: key is "commune \x1f words \0 commune \0" in one allocation,
 * so that the commune and the words can also be read on their own. In the
 * table of names (street words alone), zone is the id of the one street
 * with that name, or RELEVE_ADDR_ZONE_MIXED when several communes have it. */
typedef struct street {
  char *key;
  const char *words, *commune;
  uint64_t hash;
  int zone;
} street;

typedef struct entry {
  uint32_t street, number;
  uint64_t suffix; /* up to 7 characters, packed */
  uint64_t hash;
  int zone;
  uint32_t id; /* offset + 1 of the reference's id in ids; 0: none, or several */
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
  items streets, entries, numbers, zones, names, ids;
  slots street_slots, entry_slots, number_slots, name_slots;
  releve_addr_near *near;
  size_t addresses;
  releve_geo_vintage qpv_vintage; /* of the first QPV code met */
  unsigned long qpv_vintage_line;
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

static const street *find_street(const items *it, const slots *t, const char *key, uint64_t h) {
  const street *s = it->v;
  size_t j;
  if (t->cap == 0)
    return NULL;
  for (j = h & (t->cap - 1); t->v[j]; j = (j + 1) & (t->cap - 1)) {
    const street *c = &s[t->v[j] - 1];
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

/* "commune \x1f words"; by hand rather than snprintf, which was a tenth of
 * the matching time. */
static int street_key(char *out, size_t size, const char *commune, const char *words) {
  size_t c = strlen(commune), w = strlen(words);
  if (c + w + 2 > size)
    return -ENOSPC;
  memcpy(out, commune, c);
  out[c] = '\x1f';
  memcpy(out + c + 1, words, w + 1);
  return (int)(c + w + 1);
}

int releve_addr_ref_street(const releve_addr_ref *r, const char *commune, const char *words,
                           unsigned *id) {
  char key[RELEVE_ADDR_COMMUNE_MAX + RELEVE_ADDR_STREET_MAX + 2];
  int n = street_key(key, sizeof key, commune, words);
  const street *s;
  if (n < 0)
    return 0;
  s = find_street(&r->streets, &r->street_slots, key, key_hash(key, (size_t)n));
  if (s == NULL)
    return 0;
  *id = (unsigned)(s - (const street *)r->streets.v);
  return 1;
}

int releve_addr_ref_street_anywhere(const releve_addr_ref *r, const char *words, unsigned *id) {
  const street *s = find_street(&r->names, &r->name_slots, words, key_hash(words, strlen(words)));
  if (s == NULL)
    return 0;
  if (s->zone < 0)
    return 2;
  *id = (unsigned)s->zone;
  return 1;
}

int releve_addr_ref_street_near(const releve_addr_ref *r, const char *commune, const char *words,
                                unsigned *id) {
  uint32_t k;
  if (!releve_addr_near_find(r->near, commune, words, &k))
    return 0;
  *id = k;
  return 1;
}

const char *releve_addr_ref_street_words(const releve_addr_ref *r, unsigned id) {
  return ((const street *)r->streets.v)[id].words;
}

const char *releve_addr_ref_street_commune(const releve_addr_ref *r, unsigned id) {
  return ((const street *)r->streets.v)[id].commune;
}

int releve_addr_ref_street_zone(const releve_addr_ref *r, unsigned id) {
  return ((const street *)r->streets.v)[id].zone;
}

static int lookup(const releve_addr_ref *r, const slots *t, const items *it, unsigned id,
                  unsigned number, uint64_t suffix, const char **ban_id) {
  uint64_t h = mix(id, number, suffix);
  const entry *e;
  size_t j;
  if (ban_id)
    *ban_id = NULL;
  if (t->cap == 0)
    return RELEVE_ADDR_ZONE_NONE;
  j = find_entry(t, it, id, number, suffix, h);
  if (t->v[j] == 0)
    return RELEVE_ADDR_ZONE_NONE;
  e = &((const entry *)it->v)[t->v[j] - 1];
  if (ban_id && e->id)
    *ban_id = (const char *)r->ids.v + e->id - 1;
  return e->zone;
}

int releve_addr_ref_exact(const releve_addr_ref *r, unsigned id, unsigned number,
                          const char *suffix, const char **ban_id) {
  return lookup(r, &r->entry_slots, &r->entries, id, number, pack_suffix(suffix), ban_id);
}

int releve_addr_ref_number(const releve_addr_ref *r, unsigned id, unsigned number,
                           const char **ban_id) {
  return lookup(r, &r->number_slots, &r->numbers, id, number, 0, ban_id);
}

const releve_addr_zone *releve_addr_ref_zone(const releve_addr_ref *r, int zone) {
  return zone > 0 && (size_t)zone <= r->zones.n ? &((const releve_addr_zone *)r->zones.v)[zone - 1]
                                                : NULL;
}

const releve_addr_zone *releve_addr_ref_zone_by_code(const releve_addr_ref *r, const char *code) {
  const releve_addr_zone *z = r->zones.v;
  size_t i;
  for (i = 0; i < r->zones.n; i++)
    if (strcmp(z[i].code, code) == 0)
      return &z[i];
  return NULL;
}

size_t releve_addr_ref_addresses(const releve_addr_ref *r) { return r->addresses; }
size_t releve_addr_ref_streets(const releve_addr_ref *r) { return r->streets.n; }

/* ---- building ------------------------------------------------------------ */

static int merge(int old, int zone) { return old == zone ? old : RELEVE_ADDR_ZONE_MIXED; }

/* Adds key (n bytes; words and commune after it, see street) to the
 * table, or merges zone into the one there. *created says which. */
static int add_key(items *it, slots *t, const char *key, size_t n, const char *commune, int zone,
                   uint32_t *id, int *created) {
  uint64_t h = key_hash(key, n);
  size_t j, cn = strlen(commune);
  street *s;

  *created = 0;
  if ((s = (street *)find_street(it, t, key, h)) != NULL) {
    s->zone = merge(s->zone, zone);
    *id = (uint32_t)(s - (street *)it->v);
    return 0;
  }
  if (slots_reserve(t, it->v, sizeof(street), offsetof(street, hash)) ||
      (s = items_add(it)) == NULL || (s->key = malloc(n + cn + 2)) == NULL)
    return -ENOMEM;
  memcpy(s->key, key, n + 1);
  memcpy(s->key + n + 1, commune, cn + 1);
  s->commune = s->key + n + 1;
  s->words = cn && n > cn ? s->key + cn + 1 : s->key;
  s->hash = h;
  s->zone = zone;
  for (j = h & (t->cap - 1); t->v[j]; j = (j + 1) & (t->cap - 1))
    ;
  t->v[j] = (uint32_t)it->n;
  t->n++;
  *id = (uint32_t)(it->n - 1);
  *created = 1;
  return 0;
}

/* A street of the reference: indexed by commune and words, by words alone
 * (for addresses without a postcode) and by near spellings. */
static int add_street(releve_addr_ref *r, const char *commune, const char *words, int zone,
                      uint32_t *id) {
  char key[RELEVE_ADDR_COMMUNE_MAX + RELEVE_ADDR_STREET_MAX + 2];
  int n = street_key(key, sizeof key, commune, words), created, rc;
  uint32_t name;
  const street *s;

  if (n < 0)
    return n;
  if ((rc = add_key(&r->streets, &r->street_slots, key, (size_t)n, commune, zone, id, &created)))
    return rc;
  if (!created)
    return 0;
  s = &((const street *)r->streets.v)[*id];
  if ((rc =
           add_key(&r->names, &r->name_slots, words, strlen(words), "", (int)*id, &name, &created)))
    return rc;
  return releve_addr_near_add(&r->near, s->commune, s->words, *id);
}

/* The id → zone table of a separate zone file. */
static int add_id(releve_addr_ref *ids, const char *id, int zone) {
  uint32_t k;
  int created;
  return add_key(&ids->streets, &ids->street_slots, id, strlen(id), "", zone, &k, &created);
}

/* The reference's id of an address, kept once in ids; its offset + 1. */
static int keep_id(releve_addr_ref *r, const char *id, uint32_t *off) {
  size_t n = strlen(id), i;
  *off = 0;
  if (n == 0)
    return 0;
  for (i = 0; i <= n; i++) {
    char *c = items_add(&r->ids);
    if (c == NULL)
      return -ENOMEM;
    *c = id[i];
  }
  *off = (uint32_t)(r->ids.n - n);
  return 0;
}

static int add_entry(slots *t, items *it, uint32_t st, uint32_t number, uint64_t suffix, int zone,
                     uint32_t id) {
  uint64_t h = mix(st, number, suffix);
  size_t j;
  entry *e;

  if (slots_reserve(t, it->v, sizeof(entry), offsetof(entry, hash)))
    return -ENOMEM;
  j = find_entry(t, it, st, number, suffix, h);
  if (t->v[j]) {
    e = &((entry *)it->v)[t->v[j] - 1];
    e->zone = merge(e->zone, zone);
    e->id = 0; /* two addresses: no single id */
    return 0;
  }
  if ((e = items_add(it)) == NULL)
    return -ENOMEM;
  e->street = st;
  e->number = number;
  e->suffix = suffix;
  e->hash = h;
  e->zone = zone;
  e->id = id;
  t->v[j] = (uint32_t)it->n;
  t->n++;
  return 0;
}

/* The zone id of a code, adding it on first sight. Errors: -EINVAL not a
 * quartier code, -EEXIST given the other kind before, -EPROTO a city QVA
 * code given as a QPV, -EXDEV a QPV code of another list than the first
 * one met (the 2015 and 2024 lists do not mix). */
static int zone_id(releve_addr_ref *r, const char *code, releve_addr_zone_kind kind,
                   unsigned long line) {
  releve_geo_vintage v = releve_geo_vintage_of(code);
  releve_addr_zone *z = r->zones.v;
  size_t i;
  for (i = 0; i < r->zones.n; i++)
    if (strcmp(z[i].code, code) == 0)
      return z[i].kind == kind ? (int)i + 1 : -EEXIST;
  if (v == RELEVE_GEO_NOT_QUARTIER || strlen(code) >= sizeof z->code)
    return -EINVAL;
  if (kind == RELEVE_ADDR_ZONE_QPV && v == RELEVE_GEO_QVA_CITY)
    return -EPROTO;
  if (kind == RELEVE_ADDR_ZONE_QPV) {
    if (r->qpv_vintage && r->qpv_vintage != v)
      return -EXDEV;
    if (!r->qpv_vintage) {
      r->qpv_vintage = v;
      r->qpv_vintage_line = line;
    }
  }
  if ((z = items_add(&r->zones)) == NULL)
    return -ENOMEM;
  strcpy(z->code, code);
  z->kind = kind;
  z->vintage = v;
  return (int)r->zones.n;
}

/* ---- reading the files ------------------------------------------------------ */

#define C_ID RELEVE_ADDR_COL_ID
#define C_NUMBER RELEVE_ADDR_COL_NUMBER
#define C_SUFFIX RELEVE_ADDR_COL_SUFFIX
#define C_STREET RELEVE_ADDR_COL_STREET
#define C_POSTCODE RELEVE_ADDR_COL_POSTCODE
#define C_INSEE RELEVE_ADDR_COL_INSEE
#define C_QPV RELEVE_ADDR_COL_QPV
#define C_QVA RELEVE_ADDR_COL_QVA
#define C_N RELEVE_ADDR_COLS

typedef releve_addr_file csv;

/* The zone of the current line from its qpv/qva cells: 0 outside. */
static int line_zone(releve_addr_ref *r, csv *c, const char *qpv, const char *qva) {
  const char *code = *qpv ? qpv : qva;
  int z;
  if (*qpv && *qva) {
    releve_addr_file_problem(c, RELEVE_DIAG_ERROR,
                             "the address is given both a QPV (%s) and a QVA (%s)", qpv, qva);
    return -EINVAL;
  }
  if (*code == '\0')
    return 0;
  z = zone_id(r, code, *qpv ? RELEVE_ADDR_ZONE_QPV : RELEVE_ADDR_ZONE_QVA, c->lineno);
  if (z == -EINVAL)
    releve_addr_file_problem(
        c, RELEVE_DIAG_ERROR,
        "\"%s\" is not a quartier code: QP075012 (2015 QPV list), QN07501M (2024 QPV "
        "list) or a QVA code of the city such as QVA075001 (addresses.qva_pattern) "
        "expected",
        code);
  else if (z == -EEXIST)
    releve_addr_file_problem(
        c, RELEVE_DIAG_ERROR,
        "\"%s\" is given here as a %s and on an earlier line as a %s; a quartier is "
        "never both QPV and QVA",
        code, *qpv ? "QPV" : "QVA", *qpv ? "QVA" : "QPV");
  else if (z == -EPROTO)
    releve_addr_file_problem(
        c, RELEVE_DIAG_ERROR,
        "\"%s\" is a QVA code (addresses.qva_pattern) in the qpv column; put it in the "
        "qva column",
        code);
  else if (z == -EXDEV)
    releve_addr_file_problem(
        c, RELEVE_DIAG_ERROR,
        "\"%s\" is a code of the %s but line %lu gives one of the %s: the QPV list "
        "changed in 2024 and one reference follows one list",
        code, releve_geo_vintage_label(releve_geo_vintage_of(code)), r->qpv_vintage_line,
        releve_geo_vintage_label(r->qpv_vintage));
  return z == -ENOMEM ? z : z < 0 ? -EINVAL : z;
}

/* Says which column of the layout is missing. */
static void missing_column(csv *c, const releve_addr_spec *spec, int k) {
  releve_addr_file_missing(c, releve_addr_file_col_keys[k],
                           releve_addr_file_col_name(spec->format, spec->columns, k));
}

/* The separate zone file: id → zone, as a street table keyed by the id. */
static int load_zones(releve_addr_ref *r, const releve_addr_spec *spec, releve_addr_ref *ids,
                      releve_diags *diags) {
  csv c;
  int col[C_N], rc;

  if ((rc = releve_addr_file_open(&c, spec->zones, diags)) != 0) {
    releve_addr_file_close(&c);
    return rc;
  }
  releve_addr_file_columns(&c, spec->format, spec->columns, 0, col);
  if (col[C_ID] < 0 || (col[C_QPV] < 0 && col[C_QVA] < 0)) {
    missing_column(&c, spec, col[C_ID] < 0 ? C_ID : C_QPV);
    releve_addr_file_close(&c);
    return -EINVAL;
  }
  while ((rc = releve_addr_file_next(&c)) > 0) {
    int z = line_zone(r, &c, releve_addr_file_field(&c, col[C_QPV]),
                      releve_addr_file_field(&c, col[C_QVA]));
    if (z == -ENOMEM || (z >= 0 && add_id(ids, releve_addr_file_field(&c, col[C_ID]), z) != 0)) {
      rc = -ENOMEM;
      break;
    }
  }
  rc = rc < 0 ? rc : c.problems ? -EINVAL : 0;
  releve_addr_file_close(&c);
  return rc;
}

static int zone_of_id(const releve_addr_ref *ids, const char *id) {
  const street *s = find_street(&ids->streets, &ids->street_slots, id, key_hash(id, strlen(id)));
  return s ? s->zone : 0;
}

static int load_reference(releve_addr_ref *r, const releve_addr_spec *spec,
                          const releve_addr_ref *ids, releve_diags *diags) {
  csv c;
  int col[C_N], rc;

  if ((rc = releve_addr_file_open(&c, spec->file, diags)) != 0) {
    releve_addr_file_close(&c);
    return rc;
  }
  releve_addr_file_columns(&c, spec->format, spec->columns, 0, col);
  rc = 0;
  if (col[C_NUMBER] < 0 || col[C_STREET] < 0 || (col[C_POSTCODE] < 0 && col[C_INSEE] < 0) ||
      (ids ? col[C_ID] < 0 : col[C_QPV] < 0 && col[C_QVA] < 0)) {
    int k = col[C_NUMBER] < 0                         ? C_NUMBER
            : col[C_STREET] < 0                       ? C_STREET
            : col[C_POSTCODE] < 0 && col[C_INSEE] < 0 ? C_POSTCODE
            : ids                                     ? C_ID
                                                      : C_QPV;
    missing_column(&c, spec, k);
    releve_addr_file_close(&c);
    return -EINVAL;
  }
  while ((rc = releve_addr_file_next(&c)) > 0) {
    releve_addr_fields f;
    releve_addr_key key;
    uint32_t st, id;
    int z;

    memset(&f, 0, sizeof f);
    f.number = releve_addr_file_field(&c, col[C_NUMBER]);
    f.suffix = releve_addr_file_field(&c, col[C_SUFFIX]);
    f.street = releve_addr_file_field(&c, col[C_STREET]);
    f.postcode = *releve_addr_file_field(&c, col[C_POSTCODE])
                     ? releve_addr_file_field(&c, col[C_POSTCODE])
                     : releve_addr_file_field(&c, col[C_INSEE]);
    /* A line without a street or commune cannot be matched by anyone: it
     * is left out with a warning. One without a usable number still tells
     * which zone its street lies in. */
    if (releve_addr_norm(&f, &key) != 0 || key.commune[0] == '\0') {
      releve_addr_file_problem(&c, RELEVE_DIAG_WARNING,
                               "unreadable address left out (street \"%s\", postcode \"%s\")",
                               f.street, f.postcode);
      continue;
    }
    z = ids ? zone_of_id(ids, releve_addr_file_field(&c, col[C_ID]))
            : line_zone(r, &c, releve_addr_file_field(&c, col[C_QPV]),
                        releve_addr_file_field(&c, col[C_QVA]));
    if (z == RELEVE_ADDR_ZONE_MIXED)
      releve_addr_file_problem(&c, RELEVE_DIAG_ERROR, "id \"%s\" is given two zones in %s",
                               releve_addr_file_field(&c, col[C_ID]), spec->zones);
    if (z == -EINVAL || z == RELEVE_ADDR_ZONE_MIXED)
      continue;
    if (z < 0 || add_street(r, key.commune, key.street, z, &st) ||
        keep_id(r, releve_addr_file_field(&c, col[C_ID]), &id) ||
        (key.number &&
         (add_entry(&r->entry_slots, &r->entries, st, key.number, pack_suffix(key.suffix), z, id) ||
          add_entry(&r->number_slots, &r->numbers, st, key.number, 0, z, id)))) {
      rc = -ENOMEM;
      break;
    }
    r->addresses++;
  }
  rc = rc < 0 ? rc : c.problems ? -EINVAL : 0;
  releve_addr_file_close(&c);
  return rc;
}

static void init(releve_addr_ref *r) {
  memset(r, 0, sizeof *r);
  r->streets.size = r->names.size = sizeof(street);
  r->entries.size = r->numbers.size = sizeof(entry);
  r->zones.size = sizeof(releve_addr_zone);
  r->ids.size = 1;
}

static void release(releve_addr_ref *r) {
  size_t i;
  for (i = 0; i < r->streets.n; i++)
    free(((street *)r->streets.v)[i].key);
  for (i = 0; i < r->names.n; i++)
    free(((street *)r->names.v)[i].key);
  free(r->streets.v);
  free(r->names.v);
  free(r->entries.v);
  free(r->numbers.v);
  free(r->zones.v);
  free(r->ids.v);
  free(r->street_slots.v);
  free(r->name_slots.v);
  free(r->entry_slots.v);
  free(r->number_slots.v);
  releve_addr_near_free(r->near);
}

int releve_addr_ref_load(const releve_addr_spec *spec, releve_addr_ref **out, releve_diags *diags) {
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
