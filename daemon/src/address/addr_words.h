/* addr_words.h -- the word lists the address normaliser (addr_norm.h)
 * consults: street types and titles with their abbreviations, from the
 * BANO and addok lists (tests/fixtures/addresses/); the words with a role
 * in an address line; the words those lists give two meanings. Upper-case
 * ASCII words in, as addr_norm.c folds them. */
#ifndef RELEVE_ADDR_WORDS_H
#define RELEVE_ADDR_WORDS_H

#include <stddef.h>

#define RELEVE_ADDR_STREET_MAX 128
/* Words kept from one field of an address. */
#define RELEVE_ADDR_WORDS_MAX 48

/* The full word of an abbreviation ("BD" → "BOULEVARD", "ST" → "SAINT"),
 * or w itself. A lone letter is expanded only when first (where the street
 * type stands: "R" → "RUE"). Words the lists give two meanings (GAL, PTE,
 * CR, COL) are never expanded here: see releve_addr_words_readings. */
const char *releve_addr_words_expand(const char *w, int first);

/* The roles of a word, or 0: an article dropped from street names (DE,
 * LA, L…); a word that starts a part of the line that is not the street
 * ("Bât B, …", "Chez …", "Résidence …", "75018 Paris"); clutter followed by
 * its label ("Bât B", "Esc 3"); postal routing followed by a number ("BP
 * 123", "Cedex 07"); a floor ("3e étage"); a side ("gauche"). */
enum {
  RELEVE_ADDR_WORD_ARTICLE = 1,
  RELEVE_ADDR_WORD_PART = 2,
  RELEVE_ADDR_WORD_LABELLED = 4,
  RELEVE_ADDR_WORD_ROUTING = 8,
  RELEVE_ADDR_WORD_FLOOR = 16,
  RELEVE_ADDR_WORD_SIDE = 32
};
unsigned releve_addr_words_role(const char *w);

/* 1 when w, once expanded, is a street type (RUE, AVENUE, PLACE…): where
 * an address starts after clutter ("Bât C 30 r Julia Bartet"). */
int releve_addr_words_type(const char *w);

/* The readings of a street key whose words have two meanings in the BANO
 * and addok lists ("AVENUE PTE MONTMARTRE" → "AVENUE PORTE MONTMARTRE",
 * "AVENUE POINTE MONTMARTRE", "AVENUE PETITE MONTMARTRE"): each such word
 * (PTE, GAL, CR, COL) replaced by each of its meanings, at most
 * RELEVE_ADDR_READINGS readings. Returns how many were written (0 when the
 * key has no such word). */
#define RELEVE_ADDR_READINGS 9
size_t releve_addr_words_readings(const char *street,
                                  char out[RELEVE_ADDR_READINGS][RELEVE_ADDR_STREET_MAX]);

#endif
