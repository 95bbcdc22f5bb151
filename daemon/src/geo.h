/* geo.h -- the geographies a figure can be given for:
 *   PARIS                      the whole city (for shares needing the total)
 *   QP                         the whole priority geography (QPV ∪ QVA)
 *   QPV, QVA                   quartiers prioritaires / de veille active
 *   QP075001 … / QN07501M …    one quartier (2015 and 2024 code styles)
 *   75101 … 75120              one arrondissement (INSEE code)
 *   REP, REP+                  education-priority networks */
#ifndef RELEVE_GEO_H
#define RELEVE_GEO_H

#include <stddef.h>

typedef enum releve_geo_kind {
  RELEVE_GEO_INVALID = 0,
  RELEVE_GEO_CITY,     /* PARIS */
  RELEVE_GEO_SCOPE,    /* QP, QPV, QVA */
  RELEVE_GEO_QUARTIER, /* QP075001, QN07501M */
  RELEVE_GEO_ARRONDISSEMENT,
  RELEVE_GEO_NETWORK   /* REP, REP+ */
} releve_geo_kind;

releve_geo_kind releve_geo_classify(const char *code);
int releve_geo_valid(const char *code);
/* Writes the canonical spelling (upper case, trimmed; "75018" → "75118",
 * "rep plus" → "REP+") into out. Returns 0, or -EINVAL when s is not a
 * geography. */
int releve_geo_normalize(const char *s, char *out, size_t size);
/* A French label for reports: "QPV", "quartier QP075001", "Paris 18e"… */
const char *releve_geo_kind_label(releve_geo_kind k);

#endif
