/* addr_ref.c -- the address reference's index and its lookups
 * (addr_ref.h); addr_ref_int.h draws the tables, addr_ref_load.c fills
 * them. */
#include "address/addr_ref.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address/addr_norm.h"
#include "address/addr_ref_int.h"

/* ---- small containers -------------------------------------------------- */

void *releve__addr_ref_items_add(items *it) {
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

/* Doubles the table when half full, re-placing items by their hash. */
int releve__addr_ref_slots_reserve(slots *t, const void *base, size_t size, size_t hash_offset) {
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

const street *releve__addr_ref_find_street(const items *it, const slots *t, const char *key,
                                           uint64_t h) {
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
size_t releve__addr_ref_find_entry(const slots *t, const items *it, uint32_t st, uint32_t number,
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
int releve__addr_ref_street_key(char *out, size_t size, const char *commune, const char *words) {
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
  int n = releve__addr_ref_street_key(key, sizeof key, commune, words);
  const street *s;
  if (n < 0)
    return 0;
  s = releve__addr_ref_find_street(&r->streets, &r->street_slots, key, key_hash(key, (size_t)n));
  if (s == NULL)
    return 0;
  *id = (unsigned)(s - (const street *)r->streets.v);
  return 1;
}

int releve_addr_ref_street_anywhere(const releve_addr_ref *r, const char *words, unsigned *id) {
  const street *s = releve__addr_ref_find_street(&r->names, &r->name_slots, words,
                                                 key_hash(words, strlen(words)));
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
  j = releve__addr_ref_find_entry(t, it, id, number, suffix, h);
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

/* ---- init and release ------------------------------------------------------ */

void releve__addr_ref_init(releve_addr_ref *r) {
  memset(r, 0, sizeof *r);
  r->streets.size = r->names.size = sizeof(street);
  r->entries.size = r->numbers.size = sizeof(entry);
  r->zones.size = sizeof(releve_addr_zone);
  r->ids.size = 1;
}

void releve__addr_ref_release(releve_addr_ref *r) {
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

void releve_addr_ref_free(releve_addr_ref *r) {
  if (r == NULL)
    return;
  releve__addr_ref_release(r);
  free(r);
}
