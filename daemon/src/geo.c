#include "geo.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int all_digits(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return 0;
  return 1;
}

releve_geo_kind releve_geo_classify(const char *c) {
  size_t n = strlen(c);

  if (strcmp(c, "PARIS") == 0)
    return RELEVE_GEO_CITY;
  if (strcmp(c, "QP") == 0 || strcmp(c, "QPV") == 0 || strcmp(c, "QVA") == 0)
    return RELEVE_GEO_SCOPE;
  if (strcmp(c, "REP") == 0 || strcmp(c, "REP+") == 0)
    return RELEVE_GEO_NETWORK;
  if (n == 8 && strncmp(c, "QP", 2) == 0 && all_digits(c + 2, 6))
    return RELEVE_GEO_QUARTIER;
  if (n == 8 && strncmp(c, "QN", 2) == 0 && all_digits(c + 2, 5) && isupper((unsigned char)c[7]))
    return RELEVE_GEO_QUARTIER;
  if (n == 5 && strncmp(c, "751", 3) == 0 && all_digits(c, 5)) {
    int arr = (c[3] - '0') * 10 + (c[4] - '0');
    if (arr >= 1 && arr <= 20)
      return RELEVE_GEO_ARRONDISSEMENT;
  }
  return RELEVE_GEO_INVALID;
}

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
