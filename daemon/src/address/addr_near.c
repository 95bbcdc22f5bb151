/* addr_near.c -- see addr_near.h. */
#include "address/addr_near.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 160
/* Below this many letters, one letter off is as likely another street. */
#define MIN_LETTERS 7

typedef struct near_street {
  const char *commune, *words;
  uint32_t id;
  int32_t next; /* the next street of the same commune, -1 at the end */
} near_street;

typedef struct commune_head {
  const char *commune;
  int32_t first;
} commune_head;

/* 8 bytes, so that the probes of a lookup stay in cache: the slot is
 * chosen by the hash's low bits and check holds its high ones (never 0,
 * which marks an empty slot). */
typedef struct slot {
  uint32_t check;
  uint32_t street;
} slot;

static uint32_t check_of(uint64_t h) { return (uint32_t)(h >> 32) | 1u; }

typedef struct near_key {
  uint64_t hash;
  uint32_t street;
} near_key;

struct releve_addr_near {
  uint64_t pow[KEY_MAX + 1];
  near_key *keys;
  size_t keys_cap;
  near_street *streets;
  size_t n, cap;
  commune_head *communes;
  size_t ncommunes, communes_cap;
  slot *slots;
  size_t nslots, slots_cap; /* a power of two */
};

/* ---- hashing a key and its one-letter deletions ------------------------------
 * A polynomial hash h(s) = Σ s[i]·B^(n-1-i) lets the hash of s without
 * letter i be computed from a prefix and a suffix sum in constant time. */

#define BASE 0x100000001b3ull

typedef struct key_hashes {
  uint64_t prefix[KEY_MAX + 1]; /* hash of s[0..i) */
  uint64_t suffix[KEY_MAX + 1]; /* Σ_{k≥i} s[k]·B^(n-1-k) */
  const uint64_t *pow;          /* B^i, the index's */
  size_t n;
  uint64_t seed; /* the commune */
} key_hashes;

static uint64_t finish(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

static uint64_t commune_seed(const char *c) {
  uint64_t h = 14695981039346656037ull;
  for (; *c; c++)
    h = (h ^ (unsigned char)*c) * 1099511628211ull;
  return h;
}

static int hashes_init(key_hashes *k, const uint64_t *pow, const char *commune, const char *s) {
  size_t n = strlen(s), i;
  if (n > KEY_MAX)
    return -ENOSPC;
  k->n = n;
  k->pow = pow;
  k->seed = commune_seed(commune);
  k->prefix[0] = 0;
  for (i = 0; i < n; i++)
    k->prefix[i + 1] = k->prefix[i] * BASE + (unsigned char)s[i];
  k->suffix[n] = 0;
  for (i = n; i-- > 0;)
    k->suffix[i] = k->suffix[i + 1] + (unsigned char)s[i] * k->pow[n - 1 - i];
  return 0;
}

/* The hash of the key without letter del, or of the whole key (del == n). */
static inline uint64_t hash_without(const key_hashes *k, size_t del) {
  uint64_t h =
      del >= k->n ? k->prefix[k->n] : k->prefix[del] * k->pow[k->n - 1 - del] + k->suffix[del + 1];
  return finish(h ^ (k->seed * 0x9e3779b97f4a7c15ull) ^
                (uint64_t)(del >= k->n ? k->n : k->n - 1) << 56);
}

/* ---- building ----------------------------------------------------------------- */

static int grow(void **v, size_t *cap, size_t need, size_t size) {
  void *p;
  size_t c;
  if (need <= *cap)
    return 0;
  c = *cap ? *cap * 2 : 64;
  while (c < need)
    c *= 2;
  if ((p = realloc(*v, c * size)) == NULL)
    return -ENOMEM;
  *v = p;
  *cap = c;
  return 0;
}

/* hash: the slot to start from (its low bits), check: what to store. */
static void place(slot *slots, size_t cap, size_t start, uint32_t check, uint32_t street) {
  size_t j;
  for (j = start & (cap - 1); slots[j].check; j = (j + 1) & (cap - 1))
    ;
  slots[j].check = check;
  slots[j].street = street;
}

/* Every (hash, street) pair is also kept in full in keys, to re-place
 * them when the table grows. */
static int add_slot(releve_addr_near *ix, uint64_t hash, uint32_t street) {
  if (grow((void **)&ix->keys, &ix->keys_cap, ix->nslots + 1, sizeof *ix->keys))
    return -ENOMEM;
  ix->keys[ix->nslots].hash = hash;
  ix->keys[ix->nslots].street = street;
  ix->nslots++;
  if (ix->nslots * 2 > ix->slots_cap) {
    size_t cap = ix->slots_cap ? ix->slots_cap * 2 : 4096, i;
    slot *s = calloc(cap, sizeof *s);
    if (s == NULL)
      return -ENOMEM;
    for (i = 0; i + 1 < ix->nslots; i++)
      place(s, cap, ix->keys[i].hash, check_of(ix->keys[i].hash), ix->keys[i].street);
    free(ix->slots);
    ix->slots = s;
    ix->slots_cap = cap;
  }
  place(ix->slots, ix->slots_cap, hash, check_of(hash), street);
  return 0;
}

static commune_head *commune_of(const releve_addr_near *ix, const char *commune) {
  size_t i;
  for (i = 0; i < ix->ncommunes; i++)
    if (strcmp(ix->communes[i].commune, commune) == 0)
      return &ix->communes[i];
  return NULL;
}

int releve_addr_near_add(releve_addr_near **pix, const char *commune, const char *words,
                         uint32_t id) {
  releve_addr_near *ix = *pix;
  key_hashes k;
  commune_head *head;
  near_street *s;
  size_t i;

  if (ix == NULL) {
    if ((ix = *pix = calloc(1, sizeof *ix)) == NULL)
      return -ENOMEM;
    ix->pow[0] = 1;
    for (i = 1; i <= KEY_MAX; i++)
      ix->pow[i] = ix->pow[i - 1] * BASE;
  }
  if (hashes_init(&k, ix->pow, commune, words) != 0)
    return 0; /* too long to be typed with a typo: left out of the index */
  if (grow((void **)&ix->streets, &ix->cap, ix->n + 1, sizeof *ix->streets))
    return -ENOMEM;
  if ((head = commune_of(ix, commune)) == NULL) {
    if (grow((void **)&ix->communes, &ix->communes_cap, ix->ncommunes + 1, sizeof *head))
      return -ENOMEM;
    head = &ix->communes[ix->ncommunes++];
    head->commune = commune;
    head->first = -1;
  }
  s = &ix->streets[ix->n];
  s->commune = commune;
  s->words = words;
  s->id = id;
  s->next = head->first;
  head->first = (int32_t)ix->n;
  for (i = 0; i <= k.n; i++)
    if (add_slot(ix, hash_without(&k, i), (uint32_t)ix->n))
      return -ENOMEM;
  ix->n++;
  return 0;
}

void releve_addr_near_free(releve_addr_near *ix) {
  if (ix == NULL)
    return;
  free(ix->streets);
  free(ix->communes);
  free(ix->slots);
  free(ix->keys);
  free(ix);
}

/* ---- distance ------------------------------------------------------------------- */

size_t releve_addr_near_distance(const char *a, const char *b, size_t max) {
  size_t n = strlen(a), m = strlen(b), i, j;
  size_t prev2[KEY_MAX + 1], prev[KEY_MAX + 1], cur[KEY_MAX + 1];
  const size_t big = max + 1;

  if (strcmp(a, b) == 0)
    return 0; /* also for keys too long for the band below */
  if (n > KEY_MAX || m > KEY_MAX)
    return big;
  if ((n > m ? n - m : m - n) > max)
    return big;
  for (j = 0; j <= m; j++)
    prev[j] = j;
  for (i = 1; i <= n; i++) {
    size_t lo = i > max ? i - max : 1, hi = i + max < m ? i + max : m, best = big;
    cur[0] = i;
    for (j = 1; j < lo; j++)
      cur[j] = big;
    for (j = lo; j <= hi; j++) {
      size_t cost = a[i - 1] != b[j - 1], v = prev[j - 1] + cost;
      if (prev[j] + 1 < v)
        v = prev[j] + 1;
      if (cur[j - 1] + 1 < v)
        v = cur[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
        v = prev2[j - 2] + 1;
      cur[j] = v > big ? big : v;
      if (cur[j] < best)
        best = cur[j];
    }
    for (; j <= m; j++)
      cur[j] = big;
    if (best > max && cur[0] > max)
      return big;
    memcpy(prev2, prev, (m + 1) * sizeof *prev);
    memcpy(prev, cur, (m + 1) * sizeof *cur);
  }
  return prev[m] > max ? big : prev[m];
}

/* ---- finding ----------------------------------------------------------------------- */

static size_t letters(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += *s != ' ';
  return n;
}

/* The digits of s in order, compared. */
static int same_digits(const char *a, const char *b) {
  for (;;) {
    while (*a && (*a < '0' || *a > '9'))
      a++;
    while (*b && (*b < '0' || *b > '9'))
      b++;
    if (*a != *b)
      return 0;
    if (*a == '\0')
      return 1;
    a++;
    b++;
  }
}

int releve_addr_near_find(const releve_addr_near *ix, const char *commune, const char *words,
                          uint32_t *id) {
  key_hashes k;
  const commune_head *head;
  size_t i;
  int32_t found = -1, s;

  if (ix == NULL || ix->slots_cap == 0 || letters(words) < MIN_LETTERS ||
      hashes_init(&k, ix->pow, commune, words) != 0)
    return 0;
  for (i = 0; i <= k.n; i++) {
    uint64_t h = hash_without(&k, i);
    uint32_t check = check_of(h);
    size_t j;
    for (j = h & (ix->slots_cap - 1); ix->slots[j].check; j = (j + 1) & (ix->slots_cap - 1)) {
      const near_street *c;
      if (ix->slots[j].check != check || (int32_t)ix->slots[j].street == found)
        continue;
      c = &ix->streets[ix->slots[j].street];
      if (strcmp(c->commune, commune) != 0 || releve_addr_near_distance(words, c->words, 1) > 1)
        continue;
      if (found >= 0)
        return 0; /* two streets one letter away */
      found = (int32_t)ix->slots[j].street;
    }
  }
  if (found < 0 || !same_digits(words, ix->streets[found].words))
    return 0;
  /* The margin: nothing else of the commune within two letters. */
  head = commune_of(ix, commune);
  for (s = head ? head->first : -1; s >= 0; s = ix->streets[s].next)
    if (s != found && releve_addr_near_distance(words, ix->streets[s].words, 2) <= 2)
      return 0;
  *id = ix->streets[found].id;
  return 1;
}
