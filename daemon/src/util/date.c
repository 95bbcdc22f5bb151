/* date.c -- calendar dates as the configuration writes them (YYYY-MM-DD):
 * moved by days, and read out in French. */
#include "util/date.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
static long days_from_civil(int y, int m, int d) {
  long era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
  long era, doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int releve_date_add(const char *date, int days, char out[11]) {
  int y, m, d;
  char tail;
  if (strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
      m > 12 || d < 1 || d > 31 || y < 1000 || y > 9000)
    return -EINVAL;
  civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
  return 0;
}

void releve_date_french(const char *date, char *out, size_t size) {
  static const char *const months[] = {"janvier",   "février", "mars",     "avril",
                                       "mai",       "juin",    "juillet",  "août",
                                       "septembre", "octobre", "novembre", "décembre"};
  int y, m, d;
  if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
    snprintf(out, size, "%s", date);
    return;
  }
  if (d == 1)
    snprintf(out, size, "1er %s %d", months[m - 1], y);
  else
    snprintf(out, size, "%d %s %d", d, months[m - 1], y);
}
