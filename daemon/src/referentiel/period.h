/* period.h -- the period a figure covers: a calendar year ("2018") or a
 * school year ("2018-2019", which the contract counts under its first year). */
#ifndef RELEVE_PERIOD_H
#define RELEVE_PERIOD_H

#include <stddef.h>

#include "referentiel/referentiel.h"

typedef struct releve_period {
  releve_period_kind kind;
  int year; /* the calendar year, or the first year of a school year */
} releve_period;

/* Accepts "2018", "2018-2019", "2018/2019", "2018-19". Returns 0 or -EINVAL. */
int releve_period_parse(const char *s, releve_period *p);
/* Reads a period out of a cell written in a given format: "year" takes
 * 2019, 2019-12, 2019-T4, 2019-12-31; "school_year" takes 2018-2019;
 * "date" takes YYYY-MM-DD. */
int releve_period_parse_as(const char *s, const char *format, releve_period *p);
/* Canonical text: "2018" or "2018-2019". */
void releve_period_format(const releve_period *p, char *out, size_t size);
/* The period of kind k that a campaign for `year` asks for. */
releve_period releve_period_for(releve_period_kind k, int year);

#endif
