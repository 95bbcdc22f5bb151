#include "util/clock.h"

#include <string.h>

void releve_clock_utc_text(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void releve_clock_utc_day(time_t t, char out[11]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Europe/Paris keeps the European Union's rule (directive 2000/84/EC, the
 * French rule since 1996): UTC+2 from the last Sunday of March to the last
 * Sunday of October, both at 01:00 UTC, UTC+1 the rest of the year. It is
 * computed rather than asked of localtime_r under TZ=Europe/Paris: that would
 * mean changing the environment of a process whose worker threads (libcurl's
 * resolver, the mailer) read it, and would depend on tzdata being there. */
static time_t last_sunday_0100_utc(int year, int mon) {
  struct tm tm;
  time_t t;

  memset(&tm, 0, sizeof tm);
  tm.tm_year = year - 1900;
  tm.tm_mon = mon; /* March or October: both have 31 days */
  tm.tm_mday = 31;
  tm.tm_hour = 1;
  t = timegm(&tm);
  gmtime_r(&t, &tm);
  return t - (time_t)tm.tm_wday * 86400;
}

void releve_clock_paris_tm(time_t t, struct tm *out) {
  int summer;

  gmtime_r(&t, out);
  summer = t >= last_sunday_0100_utc(out->tm_year + 1900, 2) &&
           t < last_sunday_0100_utc(out->tm_year + 1900, 9);
  t += summer ? 7200 : 3600;
  gmtime_r(&t, out);
}

void releve_clock_paris_text(time_t t, char out[48]) {
  struct tm tm;

  releve_clock_paris_tm(t, &tm);
  strftime(out, 48, "%d/%m/%Y à %H:%M (heure de Paris)", &tm);
}
