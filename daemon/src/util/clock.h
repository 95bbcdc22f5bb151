/* clock.h -- a moment as the database keeps it and as partners read it. */
#ifndef RELEVE_CLOCK_H
#define RELEVE_CLOCK_H

#include <time.h>

/* t as the UTC text the database keeps ("2026-03-01T08:00:00Z"), which
 * compares as it sorts. */
void releve_clock_utc_text(time_t t, char out[32]);
/* The UTC day of t, "2026-03-01": SQLite's date('now') when t is now. */
void releve_clock_utc_day(time_t t, char out[11]);
/* t as partners read it, in Europe/Paris local time whatever zone the
 * process runs under: "02/12/2026 à 18:05 (heure de Paris)". */
void releve_clock_paris_text(time_t t, char out[48]);
/* The broken-down Europe/Paris local time of t (tm_gmtoff and tm_zone are
 * not set). */
void releve_clock_paris_tm(time_t t, struct tm *out);

#endif
