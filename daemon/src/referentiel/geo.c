#include "referentiel/geo.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Process-wide, like the configuration it comes from: set when the
 * configuration is loaded, read by every check of a geography. */
static char qva_pattern[16] = RELEVE_GEO_QVA_PATTERN;

static int all_digits(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return 0;
  return 1;
}

static int fits(const char *c, const char *pattern) {
  for (; *pattern; pattern++, c++) {
    if (*c == '\0')
      return 0;
    if (*pattern == '#' ? !isdigit((unsigned char)*c)
        : *pattern == '@' ? !isupper((unsigned char)*c)
                          : *c != *pattern)
      return 0;
  }
  return *c == '\0';
}

static releve_geo_vintage vintage(const char *c, const char *qva) {
  size_t n = strlen(c);
  if (n == 8 && strncmp(c, "QP", 2) == 0 && all_digits(c + 2, 6))
    return RELEVE_GEO_QPV_2015;
  if (n == 8 && strncmp(c, "QN", 2) == 0 && all_digits(c + 2, 5) && isupper((unsigned char)c[7]))
    return RELEVE_GEO_QPV_2024;
  if (qva && fits(c, qva))
    return RELEVE_GEO_QVA_CITY;
  return RELEVE_GEO_NOT_QUARTIER;
}

releve_geo_vintage releve_geo_vintage_of(const char *code) { return vintage(code, qva_pattern); }

static releve_geo_kind classify(const char *c, const char *qva) {
  size_t n = strlen(c);

  if (strcmp(c, "PARIS") == 0)
    return RELEVE_GEO_CITY;
  if (strcmp(c, "QP") == 0 || strcmp(c, "QPV") == 0 || strcmp(c, "QVA") == 0)
    return RELEVE_GEO_SCOPE;
  if (strcmp(c, "REP") == 0 || strcmp(c, "REP+") == 0)
    return RELEVE_GEO_NETWORK;
  if (vintage(c, qva) != RELEVE_GEO_NOT_QUARTIER)
    return RELEVE_GEO_QUARTIER;
  if (n == 5 && strncmp(c, "751", 3) == 0 && all_digits(c, 5)) {
    int arr = (c[3] - '0') * 10 + (c[4] - '0');
    if (arr >= 1 && arr <= 20)
      return RELEVE_GEO_ARRONDISSEMENT;
  }
  return RELEVE_GEO_INVALID;
}

releve_geo_kind releve_geo_classify(const char *c) { return classify(c, qva_pattern); }

int releve_geo_set_qva_pattern(const char *pattern) {
  static const char digits[] = "019", letters[] = "AMZ";
  char up[sizeof qva_pattern], probe[sizeof qva_pattern];
  size_t n, i, k;
  int wild = 0;

  if (pattern == NULL)
    pattern = RELEVE_GEO_QVA_PATTERN;
  n = strlen(pattern);
  if (n == 0 || n >= sizeof up)
    return -EINVAL;
  for (i = 0; i <= n; i++) {
    up[i] = (char)toupper((unsigned char)pattern[i]);
    wild |= up[i] == '#' || up[i] == '@';
  }
  if (!wild)
    return -EINVAL;
  /* No reading of the pattern may be another geography ("QP######" would
   * make 2015 QPV codes QVA ones, "751##" arrondissements): tried with
   * every wildcard 0, 1 or 9 (A, M or Z). */
  for (k = 0; k < 3; k++) {
    for (i = 0; i <= n; i++)
      probe[i] = up[i] == '#' ? digits[k] : up[i] == '@' ? letters[k] : up[i];
    if (classify(probe, NULL) != RELEVE_GEO_INVALID)
      return -EINVAL;
  }
  memcpy(qva_pattern, up, n + 1);
  return 0;
}

const char *releve_geo_qva_pattern(void) { return qva_pattern; }

int releve_geo_valid(const char *code) { return releve_geo_classify(code) != RELEVE_GEO_INVALID; }

int releve_geo_normalize(const char *s, char *out, size_t size) {
  char tmp[32];
  size_t k = 0;

  while (isspace((unsigned char)*s))
    s++;
  for (; *s && k < sizeof tmp - 1; s++)
    tmp[k++] = (char)toupper((unsigned char)*s);
  while (k > 0 && isspace((unsigned char)tmp[k - 1]))
    k--;
  tmp[k] = '\0';
  if (*s)
    return -EINVAL;
  if (strcmp(tmp, "REP PLUS") == 0 || strcmp(tmp, "REP +") == 0)
    strcpy(tmp, "REP+");
  /* Postcodes 75001-75020 name the arrondissements that INSEE codes 75101-75120. */
  if (k == 5 && strncmp(tmp, "750", 3) == 0 && all_digits(tmp, 5) && strcmp(tmp, "75000") != 0)
    tmp[2] = '1';
  if (releve_geo_classify(tmp) != RELEVE_GEO_INVALID) {
    if (strlen(tmp) + 1 > size)
      return -ENOSPC;
    strcpy(out, tmp);
    return 0;
  }
  return -EINVAL;
}

const char *releve_geo_kind_label(releve_geo_kind k) {
  switch (k) {
  case RELEVE_GEO_CITY: return "Paris";
  case RELEVE_GEO_SCOPE: return "périmètre";
  case RELEVE_GEO_QUARTIER: return "quartier";
  case RELEVE_GEO_ARRONDISSEMENT: return "arrondissement";
  case RELEVE_GEO_NETWORK: return "réseau d'éducation prioritaire";
  default: return "inconnu";
  }
}

const char *releve_geo_vintage_label(releve_geo_vintage v) {
  switch (v) {
  case RELEVE_GEO_QPV_2015: return "liste QPV 2015";
  case RELEVE_GEO_QPV_2024: return "liste QPV 2024";
  case RELEVE_GEO_QVA_CITY: return "liste QVA de la Ville";
  default: return "";
  }
}

const char *releve_geo_label(const char *code) {
  switch (releve_geo_vintage_of(code)) {
  case RELEVE_GEO_QPV_2015: return "quartier (liste QPV 2015)";
  case RELEVE_GEO_QPV_2024: return "quartier (liste QPV 2024)";
  case RELEVE_GEO_QVA_CITY: return "quartier de veille active (liste de la Ville)";
  default: return releve_geo_kind_label(releve_geo_classify(code));
  }
}

const char *releve_geo_name(const char *code) {
  static const struct {
    const char *code, *name;
  } names[] = {{"PARIS", "PARIS — Paris entier (total de la ville)"},
               {"QP", "QP — ensemble QPV + QVA"},
               {"QPV", "QPV — quartiers prioritaires"},
               {"QVA", "QVA — quartiers de veille active"},
               {"REP", "REP — réseaux d'éducation prioritaire"},
               {"REP+", "REP+ — réseaux d'éducation prioritaire renforcés"}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(code, names[i].code) == 0)
      return names[i].name;
  return code;
}
