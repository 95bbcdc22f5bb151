/* addr_match.h -- placing one address in its QPV or QVA, or nowhere.
 *
 * Levels, tried in this order, each only when it cannot be wrong:
 *
 *   exact    number, suffix, street and commune are in the reference;
 *   number   the number is there with other suffixes (or none), and they
 *            all lie in the same zone ("6 bis" when only 6 and 6 ter are
 *            known, "6" when only 6 A is);
 *   street   no usable number, or a number the reference does not know,
 *            and every address of the street lies in the same zone;
 *   near     "voie approchée": the street is not in the commune as typed,
 *            but one street of the commune is a single letter away and no
 *            other within two (addr_near.h), and the number (with its
 *            suffix, or alone when its suffixes agree) exists on it;
 *   unmatched  anything else: an unknown street (a near miss, an old name,
 *            the wrong postcode), a typo that could be two streets or whose
 *            number is not on the street, or a street split between zones
 *            without a number that decides. Never a guess.
 *
 * The street is looked for as typed, then, when it holds a word with two
 * meanings (PTE: porte, pointe or petite; GAL: galerie or général; CR;
 * COL), in each reading: used when exactly one reading is a street there.
 * Without a postcode (nor "Paris 18e"), the street is looked for in the
 * whole reference and used when a single commune has it; a near match
 * needs the commune.
 *
 * A matched address may lie outside the priority geography (zone NULL):
 * that is a result, not a failure. When the street field gives nothing
 * and the complement reads as an address, the complement is tried. */
#ifndef RELEVE_ADDR_MATCH_H
#define RELEVE_ADDR_MATCH_H

#include "address/addr_norm.h"
#include "address/addr_ref.h"

typedef enum releve_addr_level {
  RELEVE_ADDR_UNMATCHED = 0,
  RELEVE_ADDR_EXACT,
  RELEVE_ADDR_NUMBER,
  RELEVE_ADDR_STREET,
  RELEVE_ADDR_NEAR,
  RELEVE_ADDR_LEVELS
} releve_addr_level;

/* Why an address is unmatched, so that the partner knows what to fix. */
typedef enum releve_addr_miss {
  RELEVE_ADDR_MISS_NONE = 0,
  RELEVE_ADDR_MISS_EMPTY,   /* no street could be read */
  RELEVE_ADDR_MISS_COMMUNE, /* no postcode (nor "Paris 18e"), and the street is in
                               several communes or in none */
  RELEVE_ADDR_MISS_STREET,  /* no such street in that commune */
  RELEVE_ADDR_MISS_SPLIT,   /* the street lies in several zones; the number decides */
  RELEVE_ADDR_MISSES
} releve_addr_miss;

typedef struct releve_addr_result {
  releve_addr_level level;
  releve_addr_miss miss;        /* when unmatched */
  const releve_addr_zone *zone; /* when matched; NULL: outside the QPV and QVA */
  const char *ban_id;           /* the reference's id of the address matched, or NULL */
  const char *street;           /* the reference's street key matched ("RUE MYRHA"), or NULL */
  const char *commune;          /* and its commune key ("75118"), or NULL */
} releve_addr_result;

/* complement may be NULL. Always fills res; never fails. */
void releve_addr_match(const releve_addr_ref *ref, const releve_addr_fields *fields,
                       const char *complement, releve_addr_result *res);

/* "exact", "number", "street", "near", "unmatched" (logs, JSON). */
const char *releve_addr_match_level_name(releve_addr_level level);
/* The French name for reports: "exacte", "numéro", "voie", "voie approchée",
 * "non située". */
const char *releve_addr_match_level_label(releve_addr_level level);
/* Why an address was not placed, in French for the partner. */
const char *releve_addr_match_miss_label(releve_addr_miss miss);

#endif
