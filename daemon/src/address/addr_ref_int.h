/* addr_ref_int.h -- what addr_ref.c (the index and its lookups) and
 * addr_ref_load.c (reading the files into it) share: the tables of the
 * reference.
 *
 * Three open-addressing hash tables, filled once at load: streets (commune
 * and street key → street id and the zone of the whole street), addresses
 * (street, number, suffix → zone) and numbers (street, number → zone of
 * every suffix). Each keeps the zones merged: an address, number or street
 * found in two zones is marked RELEVE_ADDR_ZONE_MIXED and never matched at
 * that level. */
#ifndef RELEVE_ADDR_REF_INT_H
#define RELEVE_ADDR_REF_INT_H

#include <stdint.h>
#include <string.h>

#include "address/addr_near.h"
#include "address/addr_ref.h"

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

/* The tables' hashes, inline for the lookups and the load alike: FNV-1a
 * over bytes; a suffix of up to 7 characters packed in an integer. */
static inline uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  size_t i;
  for (i = 0; i < n; i++)
    h = (h ^ s[i]) * 1099511628211ull;
  return h;
}

/* FNV's low bits, which pick the slot, mix poorly on small integers:
 * finish with MurmurHash3's avalanche. */
static inline uint64_t avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

static inline uint64_t key_hash(const char *key, size_t n) {
  return avalanche(hash_bytes(14695981039346656037ull, key, n));
}

static inline uint64_t mix(uint64_t a, uint64_t b, uint64_t c) {
  return avalanche(a * 0x9e3779b97f4a7c15ull ^ b * 0xc2b2ae3d27d4eb4full ^ c);
}

static inline uint64_t pack_suffix(const char *s) {
  uint64_t v = 0;
  size_t n = strlen(s);
  memcpy(&v, s, n < 8 ? n : 7);
  return v;
}

/* A zeroed new item at the end of it, or NULL. */
void *releve__addr_ref_items_add(items *it);
/* Makes room for one more slot in t, whose items (base, of size bytes)
 * keep their hash at hash_offset. 0 or -ENOMEM. */
int releve__addr_ref_slots_reserve(slots *t, const void *base, size_t size, size_t hash_offset);
/* The street (or id, name) with that key and hash in the table, or NULL. */
const street *releve__addr_ref_find_street(const items *it, const slots *t, const char *key,
                                           uint64_t h);
/* The slot of (street, number, suffix) in t: its item, or the empty slot. */
size_t releve__addr_ref_find_entry(const slots *t, const items *it, uint32_t st, uint32_t number,
                                   uint64_t suffix, uint64_t h);
/* Writes "commune \x1f words" to out: its length, or -ENOSPC. */
int releve__addr_ref_street_key(char *out, size_t size, const char *commune, const char *words);
/* An empty reference; release gives back what it holds (not r itself). */
void releve__addr_ref_init(releve_addr_ref *r);
void releve__addr_ref_release(releve_addr_ref *r);

#endif
