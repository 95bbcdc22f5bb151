/* addr_near.h -- finding the street a typo was meant for, and only when
 * it cannot be another ("voie approchée", addr_match.h).
 *
 * Distances are optimal string alignment distances (an insertion, a
 * deletion, a substitution or two neighbouring letters swapped count one)
 * between normalised street keys of one commune. A street is proposed when
 * it is the only one at distance 1 and no other street of the commune is
 * within distance 2 of what was typed (the clear margin), the digits of
 * both are the same ("Rue du 8 Mai" is never "Rue du 9 Mai"), and the key
 * is long enough for one letter to be a typo rather than another name.
 *
 * Streets are indexed by every key with one letter deleted (and the key
 * itself), so that a lookup costs one hash probe per letter of the query
 * whatever the size of the reference; the margin is checked against the
 * commune's streets only when a candidate was found. */
#ifndef RELEVE_ADDR_NEAR_H
#define RELEVE_ADDR_NEAR_H

#include <stddef.h>
#include <stdint.h>

typedef struct releve_addr_near releve_addr_near;

/* Adds street id with that commune and street key. The strings must live
 * as long as the index. *ix may be NULL (created). Returns 0 or -ENOMEM. */
int releve_addr_near_add(releve_addr_near **ix, const char *commune, const char *words,
                         uint32_t id);
/* The one street of commune at distance 1 of words with the margin: 1 and
 * *id; 0 when there is none, or when there are several (not a guess). */
int releve_addr_near_find(const releve_addr_near *ix, const char *commune, const char *words,
                          uint32_t *id);
void releve_addr_near_free(releve_addr_near *ix);

/* The optimal string alignment distance of a and b, or max + 1 when it is
 * larger than max (computed in a band, stopping early). */
size_t releve_addr_near_distance(const char *a, const char *b, size_t max);

#endif
