/* addr_words.c -- the word lists of the address normaliser (addr_words.h):
 * abbreviations, words with a role, street types, ambiguous words. */
#include "address/addr_words.h"

#include <string.h>

typedef struct expansion {
  const char *abbr, *full;
} expansion;

/* Sorted by abbr. Street types from bano_abrev_type_voie.txt and titles
 * from bano_expand_titres.txt and addok_fr_synonyms.txt; abbreviations the
 * lists give two meanings (GAL galerie/général, PTE porte/petite, CR cour/
 * chemin rural, COL col/colonel) are deliberately absent. */
static const expansion expansions[] = {
    {"ALL", "ALLEE"},        {"AV", "AVENUE"},        {"AVE", "AVENUE"},
    {"AVN", "AVENUE"},       {"BD", "BOULEVARD"},     {"BLD", "BOULEVARD"},
    {"BLVD", "BOULEVARD"},   {"BOUL", "BOULEVARD"},   {"BOULD", "BOULEVARD"},
    {"BVD", "BOULEVARD"},    {"CAR", "CARREFOUR"},    {"CDT", "COMMANDANT"},
    {"CHE", "CHEMIN"},       {"CHEM", "CHEMIN"},      {"CHS", "CHAUSSEE"},
    {"CPT", "CAPITAINE"},    {"CRS", "COURS"},        {"DCT", "DOCTEUR"},
    {"DOCT", "DOCTEUR"},     {"DR", "DOCTEUR"},       {"ESP", "ESPLANADE"},
    {"ESPL", "ESPLANADE"},   {"FBG", "FAUBOURG"},     {"FG", "FAUBOURG"},
    {"GEN", "GENERAL"},      {"GL", "GENERAL"},       {"HAM", "HAMEAU"},
    {"IMP", "IMPASSE"},      {"LIEUT", "LIEUTENANT"}, {"LNT", "LIEUTENANT"},
    {"LT", "LIEUTENANT"},    {"MAL", "MARECHAL"},     {"MGR", "MONSEIGNEUR"},
    {"MME", "MADAME"},       {"ND", "NOTRE DAME"},    {"PAS", "PASSAGE"},
    {"PASS", "PASSAGE"},     {"PDT", "PRESIDENT"},    {"PGE", "PASSAGE"},
    {"PL", "PLACE"},         {"PLE", "PASSERELLE"},   {"PROF", "PROFESSEUR"},
    {"PROM", "PROMENADE"},   {"PRV", "PARVIS"},       {"PSGE", "PASSAGE"},
    {"PTTE", "PLACETTE"},    {"QU", "QUAI"},          {"R", "RUE"},
    {"RLE", "RUELLE"},       {"RPT", "ROND POINT"},   {"RTE", "ROUTE"},
    {"SEN", "SENTIER"},      {"SENT", "SENTIER"},     {"SGT", "SERGENT"},
    {"SQ", "SQUARE"},        {"SQU", "SQUARE"},       {"ST", "SAINT"},
    {"STE", "SAINTE"},       {"STES", "SAINTES"},     {"STS", "SAINTS"},
    {"TSSE", "TERRASSE"},    {"VLA", "VILLA"},
};

/* A binary search over a sorted table whose entries start with their
 * word; most comparisons end at the first letter without calling strcmp
 * (this runs for every word of every address). */
static const void *find_word(const char *w, const void *base, size_t n, size_t size) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char *k = *(const char *const *)((const char *)base + mid * size);
    int c = *w != *k ? (unsigned char)*w - (unsigned char)*k : strcmp(w, k);
    if (c == 0)
      return (const char *)base + mid * size;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

const char *releve_addr_words_expand(const char *w, int first) {
  const expansion *e = find_word(w, expansions, sizeof expansions / sizeof expansions[0],
                                 sizeof expansions[0]);
  /* A lone letter is an abbreviation only where the street type stands. */
  if (e == NULL || (w[1] == '\0' && !first))
    return w;
  return e->full;
}

typedef struct word_role {
  const char *word;
  unsigned flags;
} word_role;

/* Sorted by word (addr_words.h says what each role is). */
static const word_role roles[] = {
    {"APP", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"APPART", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"APPARTEMENT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"APPT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"APT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"AU", RELEVE_ADDR_WORD_ARTICLE},
    {"AUX", RELEVE_ADDR_WORD_ARTICLE},
    {"BAL", RELEVE_ADDR_WORD_PART},
    {"BAT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"BATIMENT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"BOITE", RELEVE_ADDR_WORD_PART},
    {"BP", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_ROUTING},
    {"CEDEX", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_ROUTING},
    {"CHEZ", RELEVE_ADDR_WORD_PART},
    {"CIDEX", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_ROUTING},
    {"CS", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_ROUTING},
    {"D", RELEVE_ADDR_WORD_ARTICLE},
    {"DE", RELEVE_ADDR_WORD_ARTICLE},
    {"DES", RELEVE_ADDR_WORD_ARTICLE},
    {"DIGICODE", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"DROITE", RELEVE_ADDR_WORD_SIDE},
    {"DTE", RELEVE_ADDR_WORD_SIDE},
    {"DU", RELEVE_ADDR_WORD_ARTICLE},
    {"ENTREE", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"ESC", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"ESCALIER", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"ETAGE", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_FLOOR},
    {"ETG", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_FLOOR},
    {"GAUCHE", RELEVE_ADDR_WORD_SIDE},
    {"GCHE", RELEVE_ADDR_WORD_SIDE},
    {"HALL", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"IMM", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"IMMEUBLE", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"INTERPHONE", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"L", RELEVE_ADDR_WORD_ARTICLE},
    {"LA", RELEVE_ADDR_WORD_ARTICLE},
    {"LE", RELEVE_ADDR_WORD_ARTICLE},
    {"LES", RELEVE_ADDR_WORD_ARTICLE},
    {"LGT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"LOGEMENT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"LOGT", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_LABELLED},
    {"PARIS", RELEVE_ADDR_WORD_PART},
    {"RDC", RELEVE_ADDR_WORD_PART},
    {"RES", RELEVE_ADDR_WORD_PART},
    {"RESIDENCE", RELEVE_ADDR_WORD_PART},
    {"TSA", RELEVE_ADDR_WORD_PART | RELEVE_ADDR_WORD_ROUTING},
};

unsigned releve_addr_words_role(const char *w) {
  const word_role *r;
  if (w[0] < 'A' || w[0] > 'Z')
    return 0;
  r = find_word(w, roles, sizeof roles / sizeof roles[0], sizeof roles[0]);
  return r ? r->flags : 0;
}

/* Street types in their full form, sorted: where an address starts after
 * clutter ("Bât C 30 r Julia Bartet": the number before "RUE"). */
static const char *const types[] = {
    "ALLEE",    "AVENUE",   "BOULEVARD", "CARREFOUR", "CHAUSSEE", "CHEMIN",    "CITE",
    "COUR",     "COURS",    "ESPLANADE", "FAUBOURG",  "GALERIE",  "HAMEAU",    "IMPASSE",
    "JARDIN",   "PARVIS",   "PASSAGE",   "PASSERELLE", "PLACE",   "PLACETTE",  "PONT",
    "PORT",     "PORTE",    "PROMENADE", "QUAI",      "ROND",     "ROUTE",     "RUE",
    "RUELLE",   "SENTE",    "SENTIER",   "SQUARE",    "TERRASSE", "VILLA",     "VOIE",
};

int releve_addr_words_type(const char *w) {
  const char *full = releve_addr_words_expand(w, 1);
  return find_word(full, types, sizeof types / sizeof types[0], sizeof types[0]) != NULL;
}

/* Sorted by word; the meanings BANO (bano_abrev_type_voie.txt) and addok
 * (addok_fr_synonyms.txt) give them. */
static const struct {
  const char *word;
  const char *meanings[4];
} ambiguous[] = {
    {"COL", {"COLONEL", NULL}},
    {"CR", {"COUR", "CHEMIN RURAL", NULL}},
    {"GAL", {"GALERIE", "GENERAL", NULL}},
    {"PTE", {"PORTE", "POINTE", "PETITE", NULL}},
};

#define N_AMBIGUOUS (sizeof ambiguous / sizeof ambiguous[0])

size_t releve_addr_words_readings(const char *street,
                                  char out[RELEVE_ADDR_READINGS][RELEVE_ADDR_STREET_MAX]) {
  const char *word[RELEVE_ADDR_WORDS_MAX];
  size_t len[RELEVE_ADDR_WORDS_MAX], choice[RELEVE_ADDR_WORDS_MAX], nw = 0, n = 0, i, k;
  int amb[RELEVE_ADDR_WORDS_MAX], any = 0;
  const char *w = street;

  while (*w && nw < RELEVE_ADDR_WORDS_MAX) {
    word[nw] = w;
    len[nw] = strcspn(w, " ");
    amb[nw] = -1;
    choice[nw] = 0;
    for (k = 0; k < N_AMBIGUOUS; k++)
      if (strlen(ambiguous[k].word) == len[nw] && strncmp(w, ambiguous[k].word, len[nw]) == 0)
        amb[nw] = (int)k, any = 1;
    w += len[nw++];
    while (*w == ' ')
      w++;
  }
  if (!any)
    return 0;
  /* Every combination of meanings, counted like an odometer. */
  while (n < RELEVE_ADDR_READINGS) {
    size_t at = 0;
    for (i = 0; i < nw; i++) {
      const char *p = amb[i] < 0 ? word[i] : ambiguous[amb[i]].meanings[choice[i]];
      size_t pl = amb[i] < 0 ? len[i] : strlen(p);
      if (at + pl + 2 > RELEVE_ADDR_STREET_MAX)
        break;
      if (at)
        out[n][at++] = ' ';
      memcpy(out[n] + at, p, pl);
      at += pl;
    }
    out[n][at] = '\0';
    if (i == nw)
      n++;
    for (i = 0; i < nw; i++)
      if (amb[i] >= 0) {
        if (ambiguous[amb[i]].meanings[++choice[i]])
          break;
        choice[i] = 0;
      }
    if (i == nw)
      break;
  }
  return n;
}
