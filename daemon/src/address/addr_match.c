/* addr_match.c -- the matching levels (addr_match.h). */
#include "address/addr_match.h"

#include <string.h>

const char *releve_addr_match_level_name(releve_addr_level level) {
  static const char *const names[] = {"unmatched", "exact", "number", "street", "near"};
  return level < RELEVE_ADDR_LEVELS ? names[level] : "unmatched";
}

const char *releve_addr_match_level_label(releve_addr_level level) {
  static const char *const labels[] = {"non située", "exacte", "numéro", "voie", "voie approchée"};
  return level < RELEVE_ADDR_LEVELS ? labels[level] : labels[0];
}

const char *releve_addr_match_miss_label(releve_addr_miss miss) {
  static const char *const why[RELEVE_ADDR_MISSES] = {
      "", "aucune voie lisible",
      "code postal absent, et la voie n'est pas dans un seul arrondissement",
      "voie inconnue dans cette commune (faute de frappe, ancien nom, mauvais code postal ?)",
      "voie partagée entre plusieurs quartiers : le numéro est nécessaire"};
  return miss < RELEVE_ADDR_MISSES ? why[miss] : why[0];
}

/* The street of key: as typed, in the one reading of its ambiguous words
 * that exists, and (with a commune) a near spelling. 1 and *id, *near; or
 * 0 and the miss. */
static int find_street(const releve_addr_ref *ref, const releve_addr_key *key, unsigned *id,
                       int *near, releve_addr_miss *miss) {
  char readings[RELEVE_ADDR_READINGS][RELEVE_ADDR_STREET_MAX];
  size_t n = 0, i;
  int found = 0, several = 0;
  unsigned k;

  *near = 0;
  *miss = key->commune[0] ? RELEVE_ADDR_MISS_STREET : RELEVE_ADDR_MISS_COMMUNE;
  for (i = 0; i <= n; i++) {
    const char *words = i == 0 ? key->street : readings[i - 1];
    int r = key->commune[0] ? releve_addr_ref_street(ref, key->commune, words, &k)
                            : releve_addr_ref_street_anywhere(ref, words, &k);
    if (r == 2)
      several = 1;
    else if (r == 1 && found && k != *id)
      several = 1;
    else if (r == 1) {
      found = 1;
      *id = k;
    }
    if (i == 0 && (found || several))
      break; /* as typed: the readings are not needed */
    if (i == 0)
      n = releve_addr_words_readings(key->street, readings);
  }
  if (found && !several)
    return 1;
  if (!found && !several && key->commune[0] &&
      releve_addr_ref_street_near(ref, key->commune, key->street, id)) {
    *near = 1;
    return 1;
  }
  return 0;
}

static void matched(const releve_addr_ref *ref, releve_addr_level level, int zone, unsigned id,
                    const char *ban_id, releve_addr_result *res) {
  res->level = level;
  res->miss = RELEVE_ADDR_MISS_NONE;
  res->zone = releve_addr_ref_zone(ref, zone);
  res->ban_id = ban_id;
  res->street = releve_addr_ref_street_words(ref, id);
  res->commune = releve_addr_ref_street_commune(ref, id);
}

static void match_key(const releve_addr_ref *ref, const releve_addr_key *key,
                      releve_addr_result *res) {
  const char *ban_id;
  unsigned id;
  int zone, near;

  memset(res, 0, sizeof *res);
  if (key->street[0] == '\0') {
    res->miss = RELEVE_ADDR_MISS_EMPTY;
    return;
  }
  if (!find_street(ref, key, &id, &near, &res->miss))
    return;
  if (key->number) {
    zone = releve_addr_ref_exact(ref, id, key->number, key->suffix, &ban_id);
    if (zone >= 0) {
      matched(ref, near ? RELEVE_ADDR_NEAR : RELEVE_ADDR_EXACT, zone, id, ban_id, res);
      return;
    }
    zone = releve_addr_ref_number(ref, id, key->number, &ban_id);
    if (zone >= 0) {
      matched(ref, near ? RELEVE_ADDR_NEAR : RELEVE_ADDR_NUMBER, zone, id, ban_id, res);
      return;
    }
  }
  if (near) {
    /* A typo is only trusted with a number the street has. */
    res->miss = RELEVE_ADDR_MISS_STREET;
    return;
  }
  zone = releve_addr_ref_street_zone(ref, id);
  if (zone >= 0) {
    matched(ref, RELEVE_ADDR_STREET, zone, id, NULL, res);
    return;
  }
  res->miss = RELEVE_ADDR_MISS_SPLIT;
}

void releve_addr_match(const releve_addr_ref *ref, const releve_addr_fields *fields,
                       const char *complement, releve_addr_result *res) {
  releve_addr_key key;

  releve_addr_norm(fields, &key);
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
    releve_addr_norm(&alt, &key);
    match_key(ref, &key, &second);
    if (second.level != RELEVE_ADDR_UNMATCHED)
      *res = second;
  }
}
