/* address_match.c -- the matching levels (address_match.h). */
#include "address_match.h"

#include <string.h>

const char *releve_addr_level_name(releve_addr_level level) {
  static const char *const names[] = {"unmatched", "exact", "number", "street"};
  return level < RELEVE_ADDR_LEVELS ? names[level] : "unmatched";
}

static void matched(const releve_addr_ref *ref, releve_addr_level level, int zone,
                    releve_addr_result *res) {
  res->level = level;
  res->miss = RELEVE_ADDR_MISS_NONE;
  res->zone = releve_addr_ref_zone(ref, zone);
}

static void match_key(const releve_addr_ref *ref, const releve_addr_key *key,
                      releve_addr_result *res) {
  unsigned id;
  int zone;

  memset(res, 0, sizeof *res);
  if (key->street[0] == '\0') {
    res->miss = RELEVE_ADDR_MISS_EMPTY;
    return;
  }
  if (key->commune[0] == '\0') {
    res->miss = RELEVE_ADDR_MISS_COMMUNE;
    return;
  }
  if (!releve_addr_ref_street(ref, key->commune, key->street, &id)) {
    res->miss = RELEVE_ADDR_MISS_STREET;
    return;
  }
  if (key->number) {
    zone = releve_addr_ref_exact(ref, id, key->number, key->suffix);
    if (zone >= 0) {
      matched(ref, RELEVE_ADDR_EXACT, zone, res);
      return;
    }
    zone = releve_addr_ref_number(ref, id, key->number);
    if (zone >= 0) {
      matched(ref, RELEVE_ADDR_NUMBER, zone, res);
      return;
    }
  }
  zone = releve_addr_ref_street_zone(ref, id);
  if (zone >= 0) {
    matched(ref, RELEVE_ADDR_STREET, zone, res);
    return;
  }
  res->miss = RELEVE_ADDR_MISS_SPLIT;
}

void releve_addr_match(const releve_addr_ref *ref, const releve_addr_fields *fields,
                       const char *complement, releve_addr_result *res) {
  releve_addr_key key;

  releve_addr_normalize(fields, &key);
  match_key(ref, &key, res);
  if (res->level == RELEVE_ADDR_UNMATCHED && complement && *complement &&
      (res->miss == RELEVE_ADDR_MISS_EMPTY || res->miss == RELEVE_ADDR_MISS_STREET)) {
    /* "Chez Mme X" / "Résidence Y" in the street field, the address in the
     * complement: read the complement as the street line. */
    releve_addr_fields alt = *fields;
    releve_addr_result second;
    alt.street = complement;
    if (key.street[0] == '\0' || key.number == 0)
      alt.number = NULL;
    releve_addr_normalize(&alt, &key);
    match_key(ref, &key, &second);
    if (second.level != RELEVE_ADDR_UNMATCHED)
      *res = second;
  }
}
