/* addr_ref_load.c -- reading the reference's files into its index
 * (addr_ref.h, addr_ref_int.h): the addresses, their zones, the checks
 * on the zone codes. */
#include "address/addr_ref.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address/addr_file.h"
#include "address/addr_norm.h"
#include "address/addr_ref_int.h"
#include "referentiel/geo.h"

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
  if ((s = (street *)releve__addr_ref_find_street(it, t, key, h)) != NULL) {
    s->zone = merge(s->zone, zone);
    *id = (uint32_t)(s - (street *)it->v);
    return 0;
  }
  if (releve__addr_ref_slots_reserve(t, it->v, sizeof(street), offsetof(street, hash)) ||
      (s = releve__addr_ref_items_add(it)) == NULL || (s->key = malloc(n + cn + 2)) == NULL)
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
  int n = releve__addr_ref_street_key(key, sizeof key, commune, words), created, rc;
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
    char *c = releve__addr_ref_items_add(&r->ids);
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

  if (releve__addr_ref_slots_reserve(t, it->v, sizeof(entry), offsetof(entry, hash)))
    return -ENOMEM;
  j = releve__addr_ref_find_entry(t, it, st, number, suffix, h);
  if (t->v[j]) {
    e = &((entry *)it->v)[t->v[j] - 1];
    e->zone = merge(e->zone, zone);
    e->id = 0; /* two addresses: no single id */
    return 0;
  }
  if ((e = releve__addr_ref_items_add(it)) == NULL)
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
  if ((z = releve__addr_ref_items_add(&r->zones)) == NULL)
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
  const street *s =
      releve__addr_ref_find_street(&ids->streets, &ids->street_slots, id, key_hash(id, strlen(id)));
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

int releve_addr_ref_load(const releve_addr_spec *spec, releve_addr_ref **out, releve_diags *diags) {
  releve_addr_ref *r = malloc(sizeof *r);
  releve_addr_ref ids; /* the separate zone file: id → zone */
  int rc = 0;

  *out = NULL;
  if (r == NULL)
    return -ENOMEM;
  releve__addr_ref_init(r);
  releve__addr_ref_init(&ids);
  if (spec->zones)
    rc = load_zones(r, spec, &ids, diags);
  if (rc == 0)
    rc = load_reference(r, spec, spec->zones ? &ids : NULL, diags);
  releve__addr_ref_release(&ids);
  if (rc) {
    releve_addr_ref_free(r);
    return rc;
  }
  *out = r;
  return 0;
}
