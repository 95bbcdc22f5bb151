#include "util/schedule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HELP                                                                                       \
  "; a schedule is five cron fields (minute hour day-of-month month day-of-week) made of *, "      \
  "numbers, lists a,b, ranges a-b and steps */n, or an interval such as \"30m\", \"6h\", \"1d\""

typedef struct field_spec {
  const char *name;
  int lo, hi;
  const char *const *names; /* three-letter names from lo, or NULL */
  const char *allowed;
} field_spec;

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const field_spec fields[5] = {
    {"minute", 0, 59, NULL, "0-59"},
    {"hour", 0, 23, NULL, "0-23"},
    {"day-of-month", 1, 31, NULL, "1-31"},
    {"month", 1, 12, month_names, "1-12 or jan-dec"},
    {"day-of-week", 0, 7, day_names, "0-7 (0 and 7 are Sunday) or sun-sat"},
};

/* One value of a field at *p: a number or a name. */
static int parse_value(const field_spec *f, const char **p, int *out, char *err, size_t errlen,
                       const char *field_text) {
  const char *s = *p;
  if (isdigit((unsigned char)*s)) {
    long v = 0;
    while (isdigit((unsigned char)*s) && v < 1000)
      v = v * 10 + (*s++ - '0');
    if (isdigit((unsigned char)*s) || v < f->lo || v > f->hi) {
      snprintf(err, errlen, "%s field \"%s\": %ld is out of range (%s)" HELP, f->name, field_text,
               v, f->allowed);
      return -EINVAL;
    }
    *out = (int)v;
    *p = s;
    return 0;
  }
  if (f->names && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
      isalpha((unsigned char)s[2]) && !isalpha((unsigned char)s[3])) {
    int i;
    for (i = 0; f->names[i]; i++)
      if (strncasecmp(s, f->names[i], 3) == 0) {
        *out = f->lo + i;
        *p = s + 3;
        return 0;
      }
  }
  snprintf(err, errlen, "%s field \"%s\": \"%.*s\" is not a value (%s)" HELP, f->name, field_text,
           (int)strcspn(s, ",-/"), s, f->allowed);
  return -EINVAL;
}

/* One field (a comma-separated list) into a bit set. */
static int parse_field(const field_spec *f, const char *text, uint64_t *bits, int *any, char *err,
                       size_t errlen) {
  const char *p = text;

  *bits = 0;
  *any = text[0] == '*';
  for (;;) {
    int a, b, step = 1, v, ranged = 1;
    if (*p == '*') {
      a = f->lo;
      b = f->hi;
      p++;
    } else {
      if (parse_value(f, &p, &a, err, errlen, text))
        return -EINVAL;
      b = a;
      ranged = *p == '-';
      if (ranged) {
        p++;
        if (parse_value(f, &p, &b, err, errlen, text))
          return -EINVAL;
        if (b < a) {
          snprintf(err, errlen, "%s field \"%s\": the range %d-%d is reversed" HELP, f->name, text,
                   a, b);
          return -EINVAL;
        }
      }
    }
    if (*p == '/') {
      long n = 0;
      p++;
      if (!isdigit((unsigned char)*p)) {
        snprintf(err, errlen, "%s field \"%s\": a step is a number after \"/\"" HELP, f->name,
                 text);
        return -EINVAL;
      }
      while (isdigit((unsigned char)*p) && n < 1000)
        n = n * 10 + (*p++ - '0');
      if (n < 1 || n > f->hi) {
        snprintf(err, errlen, "%s field \"%s\": the step %ld is out of range (1-%d)" HELP, f->name,
                 text, n, f->hi);
        return -EINVAL;
      }
      step = (int)n;
      if (!ranged) /* "a/n": from a to the end of the range */
        b = f->hi;
    }
    for (v = a; v <= b; v += step)
      *bits |= (uint64_t)1 << v;
    if (*p == '\0')
      return 0;
    if (*p != ',' || p[1] == '\0') {
      snprintf(err, errlen, "%s field \"%s\": unexpected \"%s\"" HELP, f->name, text, p);
      return -EINVAL;
    }
    p++;
  }
}

static int parse_interval(releve_schedule *s, const char *text, char *err, size_t errlen) {
  char *end;
  long n;
  long unit;

  errno = 0;
  n = strtol(text, &end, 10);
  switch (*end) {
  case 's': unit = 1; break;
  case 'm': unit = 60; break;
  case 'h': unit = 3600; break;
  case 'd': unit = 86400; break;
  default:
    snprintf(err, errlen, "\"%s\": unknown interval unit \"%s\" (s, m, h or d expected)" HELP, text,
             end);
    return -EINVAL;
  }
  if (end[1] != '\0') {
    snprintf(err, errlen, "\"%s\": unexpected \"%s\" after the interval" HELP, text, end + 1);
    return -EINVAL;
  }
  if (errno || n < 1 || n > 366L * 86400 / unit) {
    snprintf(err, errlen, "\"%s\": an interval runs from 1s to 366d" HELP, text);
    return -EINVAL;
  }
  s->interval = n * unit;
  return 0;
}

int releve_schedule_parse(releve_schedule *s, const char *text, char *err, size_t errlen) {
  char buf[256], *tok[6], *save = NULL, *t;
  uint64_t bits[5];
  int any[5], n = 0, i;

  memset(s, 0, sizeof *s);
  if (strlen(text) >= sizeof buf) {
    snprintf(err, errlen, "the schedule is too long" HELP);
    return -EINVAL;
  }
  if (isdigit((unsigned char)text[0]) && strpbrk(text, " \t*,/-") == NULL &&
      isalpha((unsigned char)text[strlen(text) - 1]))
    return parse_interval(s, text, err, errlen);
  strcpy(buf, text);
  for (t = strtok_r(buf, " \t", &save); t && n < 6; t = strtok_r(NULL, " \t", &save))
    tok[n++] = t;
  if (n != 5) {
    snprintf(err, errlen, "\"%s\" has %s%d field%s, cron needs five" HELP, text,
             n > 5 ? "more than " : "", n == 6 ? 5 : n, n == 1 ? "" : "s");
    return -EINVAL;
  }
  for (i = 0; i < 5; i++)
    if (parse_field(&fields[i], tok[i], &bits[i], &any[i], err, errlen))
      return -EINVAL;
  s->minutes = bits[0];
  s->hours = (uint32_t)bits[1];
  s->mdays = (uint32_t)bits[2];
  s->months = (uint16_t)bits[3];
  s->wdays = (uint8_t)((bits[4] | bits[4] >> 7) & 0x7f); /* 7 is Sunday too */
  s->mday_any = any[2];
  s->wday_any = any[4];
  return 0;
}

static int day_matches(const releve_schedule *s, const struct tm *tm) {
  int md = (s->mdays >> tm->tm_mday) & 1, wd = (s->wdays >> tm->tm_wday) & 1;
  if (s->mday_any || s->wday_any)
    return md && wd;
  return md || wd;
}

/* Normalises tm as local time and makes sure time moves forward (mktime
 * may land earlier around a daylight-saving change). */
static time_t advance(struct tm *tm, time_t t) {
  time_t n;
  tm->tm_isdst = -1;
  n = mktime(tm);
  return n > t ? n : t + 60;
}

int releve_schedule_next(const releve_schedule *s, time_t after, time_t *next) {
  struct tm tm;
  time_t t;
  int limit_year;

  if (s->interval) {
    *next = after + s->interval;
    return 0;
  }
  if (localtime_r(&after, &tm) == NULL)
    return -ERANGE;
  tm.tm_sec = 0;
  tm.tm_min++;
  t = advance(&tm, after);
  /* Every day and month combination recurs within eight years (29
   * February skips 2100). */
  limit_year = tm.tm_year + 9;
  for (;;) {
    if (localtime_r(&t, &tm) == NULL || tm.tm_year > limit_year)
      return -ERANGE;
    if (!((s->months >> (tm.tm_mon + 1)) & 1)) {
      tm.tm_mon++;
      tm.tm_mday = 1;
      tm.tm_hour = tm.tm_min = 0;
    } else if (!day_matches(s, &tm)) {
      tm.tm_mday++;
      tm.tm_hour = tm.tm_min = 0;
    } else if (!((s->hours >> tm.tm_hour) & 1)) {
      tm.tm_hour++;
      tm.tm_min = 0;
    } else if (!((s->minutes >> tm.tm_min) & 1)) {
      tm.tm_min++;
    } else {
      *next = t;
      return 0;
    }
    tm.tm_sec = 0;
    t = advance(&tm, t);
  }
}

time_t releve_schedule_after(const releve_schedule *s, time_t after) {
  time_t t;
  if (releve_schedule_next(s, after, &t) != 0)
    t = after + 86400;
  return t;
}

time_t releve_schedule_retry_at(int first_delay, int failures, time_t from, time_t next_regular) {
  int shift = failures > 1 ? failures - 1 : 0;
  long long delay = (long long)first_delay << (shift > 20 ? 20 : shift);
  time_t t = from + (time_t)(delay > 86400 ? 86400 : delay);
  return t < next_regular ? t : next_regular;
}
