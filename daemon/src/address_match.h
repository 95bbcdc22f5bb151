/* address_match.h -- placing one address in its QPV or QVA, or nowhere.
 *
 * Levels, tried in this order, each only when it cannot be wrong:
 *
 *   exact    number, suffix, street and commune are in the reference;
 *   number   the number is there with other suffixes (or none), and they
 *            all lie in the same zone ("6 bis" when only 6 and 6 ter are
 *            known, "6" when only 6 A is);
 *   street   no usable number, or a number the reference does not know,
 *            and every address of the street lies in the same zone;
 *   unmatched  anything else: an unknown street (a typo, a near miss, the
 *            wrong postcode), or a street split between zones without a
 *            number that decides. Never a guess.
 *
 * A matched address may lie outside the priority geography (zone NULL):
 * that is a result, not a failure. When the street field gives nothing
 * and the complement reads as an address, the complement is tried. */
#ifndef RELEVE_ADDRESS_MATCH_H
#define RELEVE_ADDRESS_MATCH_H

#include "address.h"
#include "address_norm.h"

typedef enum releve_addr_level {
  RELEVE_ADDR_UNMATCHED = 0,
  RELEVE_ADDR_EXACT,
  RELEVE_ADDR_NUMBER,
  RELEVE_ADDR_STREET,
  RELEVE_ADDR_LEVELS
} releve_addr_level;

/* Why an address is unmatched, so that the partner knows what to fix. */
typedef enum releve_addr_miss {
  RELEVE_ADDR_MISS_NONE = 0,
  RELEVE_ADDR_MISS_EMPTY,       /* no street could be read */
  RELEVE_ADDR_MISS_COMMUNE,     /* no postcode (nor "Paris 18e") */
  RELEVE_ADDR_MISS_STREET,      /* no such street in that commune */
  RELEVE_ADDR_MISS_SPLIT,       /* the street lies in several zones; the number decides */
  RELEVE_ADDR_MISSES
} releve_addr_miss;

typedef struct releve_addr_result {
  releve_addr_level level;
  releve_addr_miss miss;    /* when unmatched */
  const releve_zone *zone;  /* when matched; NULL: outside the QPV and QVA */
} releve_addr_result;

/* complement may be NULL. Always fills res; never fails. */
void releve_addr_match(const releve_addr_ref *ref, const releve_addr_fields *fields,
                       const char *complement, releve_addr_result *res);

/* "exact", "number", "street", "unmatched". */
const char *releve_addr_level_name(releve_addr_level level);

#endif
