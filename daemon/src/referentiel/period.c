#include "referentiel/period.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int read_year(const char *s, int *y) {
  int i;
  for (i = 0; i < 4; i++)
    if (!isdigit((unsigned char)s[i]))
      return -EINVAL;
  *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  return *y >= 1990 && *y <= 2100 ? 0 : -EINVAL;
}

int releve_period_parse(const char *s, releve_period *p) {
  int y, y2;
  size_t n;

  while (isspace((unsigned char)*s))
    s++;
  n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1]))
    n--;
  if (n == 4 && read_year(s, &y) == 0) {
    p->kind = RELEVE_PERIOD_YEAR;
    p->year = y;
    return 0;
  }
  if ((n == 9 || n == 7) && (s[4] == '-' || s[4] == '/') && read_year(s, &y) == 0) {
    if (n == 9 && read_year(s + 5, &y2) == 0 && y2 == y + 1) {
      p->kind = RELEVE_PERIOD_SCHOOL_YEAR;
      p->year = y;
      return 0;
    }
    if (n == 7 && isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) &&
        (s[5] - '0') * 10 + (s[6] - '0') == (y + 1) % 100) {
      p->kind = RELEVE_PERIOD_SCHOOL_YEAR;
      p->year = y;
      return 0;
    }
  }
  return -EINVAL;
}

int releve_period_parse_as(const char *s, const char *format, releve_period *p) {
  int y;

  while (isspace((unsigned char)*s))
    s++;
  if (format == NULL || strcmp(format, "year") == 0) {
    /* 2019, 2019-12, 2019-T4, 2019-12-31: the year is what counts. */
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
      n--;
    if (read_year(s, &y) != 0)
      return -EINVAL;
    if (n != 4 && !(n == 7 && s[4] == '-' && (isdigit((unsigned char)s[5]) || s[5] == 'T' ||
                                               s[5] == 'Q')) &&
        !(n == 10 && s[4] == '-' && s[7] == '-'))
      return -EINVAL;
    p->kind = RELEVE_PERIOD_YEAR;
    p->year = y;
    return 0;
  }
  if (strcmp(format, "school_year") == 0)
    return releve_period_parse(s, p) == 0 && p->kind == RELEVE_PERIOD_SCHOOL_YEAR ? 0 : -EINVAL;
  if (strcmp(format, "date") == 0) {
    int m, d;
    char tail;
    /* The year as read_year takes it, so that the period formatted from it
     * parses again. */
    if (read_year(s, &y) != 0 || sscanf(s + 4, "-%2d-%2d%c", &m, &d, &tail) != 2 || m < 1 ||
        m > 12 || d < 1 || d > 31)
      return -EINVAL;
    p->kind = RELEVE_PERIOD_YEAR;
    p->year = y;
    return 0;
  }
  return -EINVAL;
}

void releve_period_format(const releve_period *p, char *out, size_t size) {
  if (p->kind == RELEVE_PERIOD_SCHOOL_YEAR)
    snprintf(out, size, "%d-%d", p->year, p->year + 1);
  else
    snprintf(out, size, "%d", p->year);
}

releve_period releve_period_for(releve_period_kind k, int year) {
  releve_period p;
  p.kind = k;
  p.year = year;
  return p;
}
