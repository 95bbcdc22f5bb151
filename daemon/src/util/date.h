/* date.h -- calendar dates written YYYY-MM-DD, as campaigns and the CLI's
 * --date give them. */
#ifndef RELEVE_DATE_H
#define RELEVE_DATE_H

#include <stddef.h>

/* Date arithmetic on YYYY-MM-DD: out = date + days. -EINVAL for a date
 * that is not one. */
int releve_date_add(const char *date, int days, char out[11]);

/* "29 mars 2024" for 2024-03-29 ("1er" for the first of the month); a text
 * that is not a date is copied as is. */
void releve_date_french(const char *date, char *out, size_t size);

#endif
