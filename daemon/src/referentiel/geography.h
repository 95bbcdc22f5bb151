/* geography.h -- the geography as data: the lists of quartiers and
 * arrondissements a figure's code is checked against, each list under its
 * vintage. A 2015 QPV code is only ever looked up in the 2015 list, a 2024
 * code in the 2024 list: a value is never converted between vintages.
 *
 * A list is a UTF-8 CSV file (conf/geography/README.md): lines starting
 * with '#' are comments, then a header naming the columns "code" and "nom"
 * (required) and "departement", "communes" (optional, several communes
 * separated by ';'), in any order; ',', ';' or tab separates the fields
 * (the kit's CSV reader, one record a line). */
#ifndef RELEVE_GEOGRAPHY_H
#define RELEVE_GEOGRAPHY_H

#include <stddef.h>

#include "util/diag.h"

/* The lists, one per vintage of quartier codes, and the arrondissements. */
typedef enum releve_geography_list_id {
  RELEVE_GEOGRAPHY_QPV_2015 = 0, /* QP075001 … (décret 2014-1750) */
  RELEVE_GEOGRAPHY_QPV_2024,     /* QN07501M … */
  RELEVE_GEOGRAPHY_QVA,          /* the city's own QVA codes */
  RELEVE_GEOGRAPHY_ARRONDISSEMENTS,
  RELEVE_GEOGRAPHY_LISTS
} releve_geography_list_id;

/* The configuration keys of the lists ("qpv_2015", "qpv_2024", "qva",
 * "arrondissements"), which are also the vintage stored with a quartier. */
extern const char *const releve_geography_keys[RELEVE_GEOGRAPHY_LISTS];

typedef struct releve_geography_place {
  char *code;        /* as the list spells it, upper case */
  char *name;        /* "Goutte d'Or" */
  char *departement; /* "75", "" when the list has no such column */
  char *communes;    /* "Paris 18e arrondissement;Paris 19e arrondissement", or "" */
  char *label;       /* "QP075012 Goutte d'Or (liste QPV 2015)" */
} releve_geography_place;

typedef struct releve_geography_list {
  char *source; /* the file it was read from; NULL when no list is loaded */
  releve_geography_place *places; /* sorted by code */
  size_t n, cap;
} releve_geography_list;

typedef struct releve_geography {
  releve_geography_list lists[RELEVE_GEOGRAPHY_LISTS];
} releve_geography;

/* Reads the list `id` from the text of a list file (len bytes; source names
 * it in messages), replacing any list already there. Every problem goes to
 * diags with the source, line and column: a missing column, a code that is
 * not of the list's vintage (a 2024 code in the 2015 list), a code given
 * twice, an empty name. Returns 0, -EINVAL when the text was refused (the
 * list is then left unloaded), or -ENOMEM. */
int releve_geography_parse(releve_geography *g, releve_geography_list_id id, const char *source,
                           const char *text, size_t len, releve_diags *diags);
/* releve_geography_parse on the contents of the file at path; a file that
 * cannot be read is said in diags (-EINVAL). */
int releve_geography_load(releve_geography *g, releve_geography_list_id id, const char *path,
                          releve_diags *diags);
void releve_geography_free(releve_geography *g);

/* The list a geography code is checked against (by its vintage for a
 * quartier, the arrondissements for 75101…), or RELEVE_GEOGRAPHY_LISTS for
 * a code no list holds (PARIS, QPV, REP…). */
releve_geography_list_id releve_geography_list_for(const char *code);
/* The vintage stored with a quartier code ("qpv_2015", "qpv_2024", "qva":
 * releve_geography_keys), NULL for any other code. */
const char *releve_geography_vintage(const char *code);
/* The loaded list for code, NULL when that list is not loaded or the code
 * is of no list. */
const releve_geography_list *releve_geography_list_of(const releve_geography *g,
                                                      const char *code);
/* The place of code in its list, NULL when absent or not loaded. */
const releve_geography_place *releve_geography_find(const releve_geography *g, const char *code);
/* "liste QPV 2015", "liste QPV 2024", "liste QVA de la Ville", "liste des
 * arrondissements". */
const char *releve_geography_list_label(releve_geography_list_id id);
/* What reports show for a geography code: the place's label when a loaded
 * list holds it ("QP075012 Goutte d'Or (liste QPV 2015)"), a quartier's
 * code with its list when none does ("QN07501M (liste QPV 2024)", written
 * into buf), else code itself. */
const char *releve_geography_label(const releve_geography *g, const char *code, char *buf,
                                   size_t size);

#endif
