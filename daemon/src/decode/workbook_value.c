/* workbook_value.c -- what a cell's value reads as: cell references, numbers
 * with a decimal comma, dates from their serial numbers, counts in French
 * form for the readers' messages. */
#include "decode/workbook_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

const char *wb_count_text(unsigned long long v, char out[RELEVE_NUMBER_SIZE]) {
  return releve_report_format((double)v, 0, RELEVE_NUMBER_GROUPED, out);
}

int wb_parse_ref(const char *ref, unsigned *column, unsigned long *row) {
  unsigned long c = 0, r = 0;
  const char *p = ref;
  while (*p >= 'A' && *p <= 'Z' && c <= RELEVE_WORKBOOK_MAX_COLUMNS * 26ul)
    c = c * 26 + (unsigned long)(*p++ - 'A' + 1);
  while (*p >= '0' && *p <= '9' && r <= RELEVE_WORKBOOK_MAX_ROWS * 10ul)
    r = r * 10 + (unsigned long)(*p++ - '0');
  if (*p != '\0' || c == 0 || r == 0 || c > RELEVE_WORKBOOK_MAX_COLUMNS * 26ul ||
      r > RELEVE_WORKBOOK_MAX_ROWS * 10ul)
    return -EINVAL;
  *column = (unsigned)c;
  *row = r;
  return 0;
}

static void number_text(double v, char out[64]);

/* The text a French user sees: a decimal comma, no thousands grouping
 * (1234,5), which the kit reads back as the same number. */
static void decimal_comma(char *out) {
  char *dot = strchr(out, '.');
  if (dot != NULL)
    *dot = ',';
}

void wb_number_text(double v, char out[64]) {
  number_text(v, out);
  decimal_comma(out);
}

static void number_text(double v, char out[64]) {
  if (!isfinite(v)) {
    snprintf(out, 64, "%s", isnan(v) ? "NaN" : v > 0 ? "Inf" : "-Inf");
    return;
  }
  if (v == floor(v) && fabs(v) < 1e15) {
    snprintf(out, 64, "%.0f", v);
    return;
  }
  /* The shortest text that reads back as v, without an exponent. */
  for (int digits = 15; digits <= 17; digits++) {
    snprintf(out, 64, "%.*g", digits, v);
    if (strtod(out, NULL) == v)
      break;
  }
  if (strchr(out, 'e') == NULL)
    return;
  if (fabs(v) >= 1e15) {
    snprintf(out, 64, "%.0f", v);
    return;
  }
  snprintf(out, 64, "%.20f", v);
  size_t n = strlen(out);
  while (n > 0 && out[n - 1] == '0')
    out[--n] = '\0';
  if (n > 0 && out[n - 1] == '.')
    out[--n] = '\0';
}

/* Howard Hinnant's civil_from_days: the date of a count of days since
 * 1970-01-01. */
static void civil(long long z, int *y, int *m, int *d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long year = (long long)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(year + (*m <= 2));
}

int wb_serial_date(double serial, int date1904, char out[32]) {
  if (!isfinite(serial) || serial < 0 || serial > 2958466)
    return -EINVAL;
  double day = floor(serial);
  long secs = lround((serial - day) * 86400.0);
  if (secs >= 86400) {
    day += 1;
    secs = 0;
  }
  /* Days from 1970-01-01 to the system's epoch. The 1900 system counts a
   * 29 February 1900 that never was (serial 60), as Lotus 1-2-3 did. */
  long long days;
  if (date1904)
    days = (long long)day - 24107;
  else if (day >= 61)
    days = (long long)day - 25569;
  else if (day >= 1 && day < 60)
    days = (long long)day - 25568;
  else if (day == 60) {
    snprintf(out, 32, "1900-02-29");
    return 0;
  } else
    return -EINVAL; /* serial 0: "1900-01-00" */
  int y, m, d;
  civil(days, &y, &m, &d);
  if (secs == 0)
    snprintf(out, 32, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
  else
    snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d", y % 10000, m % 100, d % 100,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
  return 0;
}
