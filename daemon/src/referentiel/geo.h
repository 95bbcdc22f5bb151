/* geo.h -- the geographies a figure can be given for:
 *   PARIS                      the whole city (for shares needing the total)
 *   QP                         the whole priority geography (QPV ∪ QVA)
 *   QPV, QVA                   quartiers prioritaires / de veille active
 *   QP075001 …                 one quartier of the 2015 QPV list (décret 2014-1750)
 *   QN07501M …                 one quartier of the 2024 QPV list
 *   QVA075001 …                one of the city's own QVA (pattern configurable)
 *   75101 … 75120              one arrondissement (INSEE code)
 *   REP, REP+                  education-priority networks
 *
 * The QPV list changed in 2024, and some quartiers kept their name but not
 * their outline: a 2015 code and a 2024 code never name the same thing, so
 * each quartier code carries its vintage (releve_geo_vintage). */
#ifndef RELEVE_GEO_H
#define RELEVE_GEO_H

#include <stddef.h>

typedef enum releve_geo_kind {
  RELEVE_GEO_INVALID = 0,
  RELEVE_GEO_CITY,     /* PARIS */
  RELEVE_GEO_SCOPE,    /* QP, QPV, QVA */
  RELEVE_GEO_QUARTIER, /* QP075001, QN07501M, QVA075001 */
  RELEVE_GEO_ARRONDISSEMENT,
  RELEVE_GEO_NETWORK   /* REP, REP+ */
} releve_geo_kind;

/* Which list a quartier code belongs to. */
typedef enum releve_geo_vintage {
  RELEVE_GEO_NOT_QUARTIER = 0,
  RELEVE_GEO_QPV_2015, /* QP + 6 digits */
  RELEVE_GEO_QPV_2024, /* QN + 5 digits + 1 capital letter */
  RELEVE_GEO_QVA_CITY  /* the city's own QVA codes (releve_geo_set_qva_pattern) */
} releve_geo_vintage;

/* The default spelling of the city's QVA codes: "QVA075001". */
#define RELEVE_GEO_QVA_PATTERN "QVA######"

/* Sets the spelling of the city's QVA codes for the whole process: '#'
 * stands for a digit, '@' for a capital letter, anything else for itself
 * (upper case). NULL restores RELEVE_GEO_QVA_PATTERN. Returns 0, or -EINVAL
 * when the pattern is empty, longer than 15 characters, has no '#' or '@',
 * or could also read a 2015 or 2024 QPV code or another geography. */
int releve_geo_set_qva_pattern(const char *pattern);
/* The pattern in force, to put it back when a new configuration is refused. */
const char *releve_geo_qva_pattern(void);

releve_geo_kind releve_geo_classify(const char *code);
int releve_geo_valid(const char *code);
/* The list a quartier code belongs to; RELEVE_GEO_NOT_QUARTIER for any
 * other string. */
releve_geo_vintage releve_geo_vintage_of(const char *code);
/* Writes the canonical spelling (upper case, trimmed; "75018" → "75118",
 * "rep plus" → "REP+") into out. Returns 0, or -EINVAL when s is not a
 * geography. */
int releve_geo_normalize(const char *s, char *out, size_t size);
/* Which codes are quartiers of which list is data: referentiel/geography.h. */
/* A French label for reports: "QPV", "quartier QP075001", "Paris 18e"… */
const char *releve_geo_kind_label(releve_geo_kind k);
/* The French label of one code, with the list of a quartier code:
 * "quartier (liste QPV 2015)", "quartier (liste QPV 2024)", "quartier de
 * veille active (liste de la Ville)"; for other codes as
 * releve_geo_kind_label. */
const char *releve_geo_label(const char *code);
/* "liste QPV 2015", "liste QPV 2024", "liste QVA de la Ville", or "". */
const char *releve_geo_vintage_label(releve_geo_vintage v);
/* A geography's name for partners: "QPV — quartiers prioritaires",
 * "QP — ensemble QPV + QVA", "REP+ — réseaux d'éducation prioritaire
 * renforcés"…; code itself for a quartier or an arrondissement. */
const char *releve_geo_name(const char *code);

#endif
