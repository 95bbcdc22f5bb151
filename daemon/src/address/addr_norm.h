/* addr_norm.h -- addresses as agencies type them, made comparable with
 * the address reference.
 *
 * Both sides go through the same functions, so "12 BD DE LA VILLETTE",
 * "12, boulevard de la Villette" and the reference's "Boulevard de la
 * Villette" give the same key. What the normaliser does:
 *
 *   case, accents (UTF-8, or Latin-1 bytes that slipped through), œ/æ,
 *   apostrophes, hyphens and punctuation;
 *   street types and titles expanded to their full word (R/RUE, BD, AV,
 *   PL, FG/FBG, IMP, SQ…; ST/SAINT, STE, DR/DOCTEUR, GEN, MAL, PDT…),
 *   from the BANO and addok lists (addr_words.h); words
 *   that mean two things in those lists (GAL, PTE, CR, COL) are left
 *   alone, so that they cannot make a wrong street (the matcher tries
 *   each reading, releve_addr_words_readings in addr_words.h);
 *   articles (DE, DU, DES, LA, LE, LES, L', D', AU, AUX) dropped;
 *   clutter: BP 123, CS 40001, TSA 12345, CIDEX 12, Cedex 07, floor
 *   (3e étage, RDC), Bâtiment/Bât/Immeuble X, Escalier/Esc X, Appt,
 *   Entrée, Hall, Logt, a comma-separated part starting with such a word
 *   or with "Chez", "Résidence" -- unless an address (a number followed
 *   by a street type) follows the clutter in it ("Bât C 30 r Julia
 *   Bartet"); after the street, "3e gauche", "2e et", "porte 5", "c/o X";
 *   the number with leading zeros, "6bis", "6 B", "6 bis", "N° 6", a
 *   number written in the street field, the glued Paris prefix of some
 *   BAN street names ("34P1 Rue de la Goutte d'Or");
 *   suffixes bis/ter/quater/quinquies as B/T/Q/C, BAN's own codes (a,
 *   p1, bp1…) upper-cased;
 *   postcodes 75001-75020 and 75116 as the INSEE code (75101-75120);
 *   "Paris 18e" in the city field when the postcode is missing.
 *
 * Nothing here guesses: a typo stays a typo (addr_near.h decides
 * whether it can only be one street). */
#ifndef RELEVE_ADDR_NORM_H
#define RELEVE_ADDR_NORM_H

#include <stddef.h>

#include "address/addr_words.h"

#define RELEVE_ADDR_SUFFIX_MAX 8
#define RELEVE_ADDR_COMMUNE_MAX 8

/* One address as given: every field may be NULL or empty. */
typedef struct releve_addr_fields {
  const char *number;   /* "12", "012", "12 bis", "6B"; empty: read from the street */
  const char *suffix;   /* a separate suffix column (BAN "rep"), may be NULL */
  const char *street;   /* "rue Myrha", "12 bis rue Myrha, Bât B" */
  const char *postcode; /* "75018" or INSEE "75118" */
  const char *city;     /* "Paris 18e": used only when there is no postcode */
} releve_addr_fields;

/* The comparable form. */
typedef struct releve_addr_key {
  unsigned number;                       /* 0: no usable number */
  char suffix[RELEVE_ADDR_SUFFIX_MAX];   /* "" or "B", "T", "Q", "C", "A", "P1"… */
  char street[RELEVE_ADDR_STREET_MAX];   /* "RUE GOUTTE OR" */
  char commune[RELEVE_ADDR_COMMUNE_MAX]; /* "75118"; another commune's postcode as is */
} releve_addr_key;

/* Fills key from fields. Returns 0, or -EINVAL when no street is left
 * (key->street is then empty; the other members are still filled). */
int releve_addr_norm(const releve_addr_fields *fields, releve_addr_key *key);

/* The canonical street words of s alone (no number handling), for tests
 * and the reference's aliases. Returns 0, -EINVAL when empty, -ENOSPC. */
int releve_addr_norm_street(const char *s, char *out, size_t size);

/* The commune key from a postcode or INSEE code, else from a city such as
 * "Paris 18e". Returns 0, or -EINVAL (out is then ""). */
int releve_addr_norm_commune(const char *postcode, const char *city, char *out, size_t size);

#endif
