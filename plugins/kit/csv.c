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

static int put(releve_kit_csv *csv, char c) {
  if (csv->len >= RELEVE_KIT_MAX_RECORD)
    return -E2BIG;
  if (csv->len == csv->cap) {
    size_t ncap = csv->cap ? csv->cap * 2 : 1024;
    char *nbuf = realloc(csv->buf, ncap);
    if (nbuf == NULL)
      return -ENOMEM;
    csv->buf = nbuf;
    csv->cap = ncap;
  }
  csv->buf[csv->len++] = c;
  return 0;
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
    if (c != '"')
      return put(csv, c);
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
    return put(csv, c);
  }
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
  int rc;
  if (csv->state == QUOTED) {
    rc = put(csv, '\n');
  } else {
    csv->len = 0;
    csv->n = 0;
    csv->line = lineno;
    rc = begin_field(csv);
  }
  for (size_t i = 0; rc == 0 && i < len; i++)
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
