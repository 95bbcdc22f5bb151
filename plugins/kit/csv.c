/* csv.c -- CSV records from lines (RFC 4180 quotes, lenient). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

enum { FIELD_START = 0, UNQUOTED, QUOTED, AFTER_QUOTE };

void releve_kit_csv_init(releve_kit_csv *csv, char sep) {
  *csv = (releve_kit_csv){0};
  csv->sep = sep;
}

void releve_kit_csv_free(releve_kit_csv *csv) {
  free(csv->buf);
  free(csv->start);
  free(csv->field);
  *csv = (releve_kit_csv){0};
}

char releve_kit_csv_detect(const char *line) {
  static const char candidates[] = {';', ',', '\t'};
  size_t count[3] = {0, 0, 0};
  int quoted = 0;
  for (const char *p = line; *p; p++) {
    if (*p == '"')
      quoted = !quoted;
    else if (!quoted)
      for (size_t i = 0; i < 3; i++)
        count[i] += *p == candidates[i];
  }
  size_t best = 0;
  for (size_t i = 1; i < 3; i++)
    if (count[i] > count[best])
      best = i;
  return candidates[best];
}

int releve_kit_csv_pending(const releve_kit_csv *csv) { return csv->state == QUOTED; }

/* Appends n bytes to the record. */
static int put_run(releve_kit_csv *csv, const char *bytes, size_t n) {
  if (csv->len + n > RELEVE_KIT_MAX_RECORD)
    return -E2BIG;
  if (csv->len + n > csv->cap) {
    size_t ncap = csv->cap ? csv->cap : 1024;
    while (ncap < csv->len + n)
      ncap *= 2;
    char *nbuf = realloc(csv->buf, ncap);
    if (nbuf == NULL)
      return -ENOMEM;
    csv->buf = nbuf;
    csv->cap = ncap;
  }
  memcpy(csv->buf + csv->len, bytes, n);
  csv->len += n;
  return 0;
}

static int put(releve_kit_csv *csv, char c) { return put_run(csv, &c, 1); }

/* How many bytes from line[i] hold neither a quote nor, outside quotes,
 * the separator: copied in one run rather than byte by byte. */
static size_t plain_run(const releve_kit_csv *csv, const char *line, size_t len, size_t i) {
  size_t j = i;
  char sep = csv->state == QUOTED ? '"' : csv->sep;
  while (j < len && line[j] != '"' && line[j] != sep)
    j++;
  return j - i;
}

static int begin_field(releve_kit_csv *csv) {
  if (csv->n >= RELEVE_KIT_MAX_FIELDS)
    return -EMSGSIZE;
  if (csv->n == csv->fcap) {
    size_t ncap = csv->fcap ? csv->fcap * 2 : 64;
    size_t *nstart = realloc(csv->start, ncap * sizeof *nstart);
    if (nstart == NULL)
      return -ENOMEM;
    csv->start = nstart;
    char **nfield = realloc(csv->field, ncap * sizeof *nfield);
    if (nfield == NULL)
      return -ENOMEM;
    csv->field = nfield;
    csv->fcap = ncap;
  }
  csv->start[csv->n++] = csv->len;
  csv->field_start = csv->len;
  csv->state = FIELD_START;
  return 0;
}

static int only_blanks_since(const releve_kit_csv *csv, size_t from) {
  for (size_t i = from; i < csv->len; i++)
    if (csv->buf[i] != ' ' && csv->buf[i] != '\t')
      return 0;
  return 1;
}

static int step(releve_kit_csv *csv, const char *line, size_t len, size_t *i) {
  char c = line[*i];
  switch (csv->state) {
  case QUOTED:
    if (c != '"') {
      size_t n = plain_run(csv, line, len, *i);
      int rc = put_run(csv, line + *i, n);
      *i += n - 1;
      return rc;
    }
    if (*i + 1 < len && line[*i + 1] == '"') {
      (*i)++;
      return put(csv, '"');
    }
    csv->state = AFTER_QUOTE;
    return 0;
  case FIELD_START:
  case UNQUOTED:
  case AFTER_QUOTE:
  default:
    if (c == csv->sep) {
      int rc = put(csv, '\0');
      return rc < 0 ? rc : begin_field(csv);
    }
    if (c == '"' && csv->state != AFTER_QUOTE && only_blanks_since(csv, csv->field_start)) {
      csv->len = csv->field_start;
      csv->state = QUOTED;
      csv->quote_column = (unsigned)csv->n;
      return 0;
    }
    if (csv->state == FIELD_START)
      csv->state = UNQUOTED;
    if (c == '"')
      return put(csv, c);
    size_t n = plain_run(csv, line, len, *i);
    int rc = put_run(csv, line + *i, n);
    *i += n - 1;
    return rc;
  }
}

/* A line without quotes, the common case, as a new record: copied at once,
 * then each separator made the end of a field -- what step() would do
 * byte by byte. The caller sends only lines shorter than
 * RELEVE_KIT_MAX_RECORD, so that -E2BIG cannot come before -EMSGSIZE
 * here when it would not there. */
static int put_unquoted(releve_kit_csv *csv, const char *line, size_t len) {
  int rc = put_run(csv, line, len);
  /* Fields are short: a plain loop beats a memchr call per field. */
  for (size_t i = 0; rc == 0 && i < len; i++)
    if (csv->buf[i] == csv->sep) {
      csv->buf[i] = '\0';
      csv->len = i + 1;
      rc = begin_field(csv);
    }
  csv->len = len;
  return rc;
}

/* The record is whole: each field's pointer from its offset. */
static int complete(releve_kit_csv *csv) {
  for (size_t k = 0; k < csv->n; k++)
    csv->field[k] = csv->buf + csv->start[k];
  csv->state = FIELD_START;
  return 1;
}

int releve_kit_csv_end_line(releve_kit_csv *csv) {
  if (csv->state != QUOTED)
    return 0;
  int rc = put(csv, '\0');
  if (rc < 0) {
    csv->state = FIELD_START;
    return rc;
  }
  return complete(csv);
}

int releve_kit_csv_feed(releve_kit_csv *csv, const char *line, size_t len, unsigned long lineno) {
  size_t i = 0;
  int rc;
  if (csv->state == QUOTED) {
    rc = put(csv, '\n');
  } else {
    csv->len = 0;
    csv->n = 0;
    csv->line = lineno;
    rc = begin_field(csv);
    if (rc == 0 && len > 0 && len < RELEVE_KIT_MAX_RECORD && memchr(line, '"', len) == NULL) {
      rc = put_unquoted(csv, line, len);
      i = len;
    }
  }
  for (; rc == 0 && i < len; i++)
    rc = step(csv, line, len, &i);
  if (rc == 0 && csv->state == QUOTED)
    return 0;
  if (rc == 0)
    rc = put(csv, '\0');
  if (rc < 0) {
    csv->state = FIELD_START;
    return rc;
  }
  return complete(csv);
}

int releve_kit_csv_set(releve_kit_csv *csv, const releve_cell *cells, size_t n, size_t min,
                       unsigned long lineno) {
  size_t count = n > min ? n : min, need = count;
  for (size_t i = 0; i < n; i++)
    need += strlen(cells[i].text);
  if (need > csv->cap) {
    char *nbuf = realloc(csv->buf, need);
    if (nbuf == NULL)
      return -ENOMEM;
    csv->buf = nbuf;
    csv->cap = need;
  }
  if (count > csv->fcap) {
    size_t *nstart = realloc(csv->start, count * sizeof *nstart);
    if (nstart == NULL)
      return -ENOMEM;
    csv->start = nstart;
    char **nfield = realloc(csv->field, count * sizeof *nfield);
    if (nfield == NULL)
      return -ENOMEM;
    csv->field = nfield;
    csv->fcap = count;
  }
  csv->len = 0;
  for (size_t i = 0; i < count; i++) {
    const char *text = i < n ? cells[i].text : "";
    size_t len = strlen(text);
    csv->start[i] = csv->len;
    memcpy(csv->buf + csv->len, text, len + 1);
    csv->len += len + 1;
  }
  for (size_t i = 0; i < count; i++)
    csv->field[i] = csv->buf + csv->start[i];
  csv->n = count;
  csv->line = lineno;
  csv->state = FIELD_START;
  return 1;
}
