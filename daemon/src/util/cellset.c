#include "util/cellset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  char *key; /* NULL: empty slot */
  size_t n;
  unsigned long line;
  unsigned long hash;
} entry;

struct releve_cellset {
  entry *slots;
  size_t cap; /* a power of two */
  size_t used;
};

static unsigned long fnv1a(const char *s, size_t n) {
  unsigned long h = 1469598103934665603UL;
  size_t i;
  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
  return h;
}

releve_cellset *releve_cellset_new(void) {
  releve_cellset *s = calloc(1, sizeof *s);
  if (s == NULL)
    return NULL;
  s->cap = 1024;
  s->slots = calloc(s->cap, sizeof *s->slots);
  if (s->slots == NULL) {
    free(s);
    return NULL;
  }
  return s;
}

void releve_cellset_free(releve_cellset *s) {
  size_t i;
  if (s == NULL)
    return;
  for (i = 0; i < s->cap; i++)
    free(s->slots[i].key);
  free(s->slots);
  free(s);
}

/* Open addressing with linear probing, kept under 3/4 full. */
static entry *probe(entry *slots, size_t cap, const char *key, size_t n, unsigned long h) {
  size_t i = h & (cap - 1);
  while (slots[i].key &&
         !(slots[i].hash == h && slots[i].n == n && memcmp(slots[i].key, key, n) == 0))
    i = (i + 1) & (cap - 1);
  return &slots[i];
}

static int grow(releve_cellset *s) {
  size_t cap = s->cap * 2, i;
  entry *slots = calloc(cap, sizeof *slots);
  if (slots == NULL)
    return -ENOMEM;
  for (i = 0; i < s->cap; i++)
    if (s->slots[i].key)
      *probe(slots, cap, s->slots[i].key, s->slots[i].n, s->slots[i].hash) = s->slots[i];
  free(s->slots);
  s->slots = slots;
  s->cap = cap;
  return 0;
}

int releve_cellset_add(releve_cellset *s, const char *key, size_t n, unsigned long line,
                       unsigned long *first) {
  unsigned long h = fnv1a(key, n);
  entry *e = probe(s->slots, s->cap, key, n, h);

  if (e->key) {
    *first = e->line;
    return 1;
  }
  if ((s->used + 1) * 4 > s->cap * 3) {
    if (grow(s))
      return -ENOMEM;
    e = probe(s->slots, s->cap, key, n, h);
  }
  e->key = malloc(n ? n : 1);
  if (e->key == NULL)
    return -ENOMEM;
  memcpy(e->key, key, n);
  e->n = n;
  e->line = line;
  e->hash = h;
  s->used++;
  return 0;
}
