/* fuzz_map.c -- libFuzzer target for the mapping engine (map.h). The input
 * is an actor, a mapping and a small table:
 *
 *   caf
 *   {"kind": "wide", "period": {"column": "annee", "format": "year"}, …}
 *   ---
 *   annee;commune;indfoy_apl
 *   2019;75118;1234
 *
 * Without a "---" line there is no mapping (a long file with the template's
 * columns) and the table starts on the second line. A mapping is used only
 * once releve_mapping_check accepts it for that actor against the built-in
 * référentiel, as the configuration loader does. Cells are typed the way
 * plugins type them (empty, "s" suppressed, "nd" not available, a finite
 * number, else text) and carry UTF-8 only, as the plugin ABI promises. The
 * callbacks check what ingest relies on. */
#include <errno.h>
#include <math.h>

#include "config/config.h"
#include "config/mapping.h"
#include "fuzz.h"
#include "referentiel/geo.h"
#include "util/json.h"
#include "util/log.h"
#include "mail/mail_mime.h"
#include "ingest/map.h"
#include "referentiel/period.h"

enum { MAX_CELLS = 64 };

static releve_referentiel ref;

typedef struct run {
  json_t *mapping; /* NULL: long with the template's columns */
  const char *kind;
  int period_checked; /* the period is a canonical one (format or value) */
  unsigned long line; /* of the row being mapped, 0 at the end */
  unsigned long rows;
  int finishing;
} run;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  releve_diags d = {0};

  (void)argc;
  (void)argv;
  releve_log_set_level(0);
  if (releve_referentiel_parse(&ref, "(built-in référentiel)", releve_default_referentiel_json,
                               &d) != 0)
    abort();
  releve_diags_free(&d);
  return 0;
}

static int on_candidate(void *ud, const releve_candidate *c) {
  run *r = ud;
  int aggregate = strcmp(r->kind, "rows") == 0;

  FUZZ_CHECK(c->indicator && c->period && c->geography && c->value.text);
  FUZZ_CHECK(c->share.text || c->share.kind == RELEVE_CELL_EMPTY);
  FUZZ_CHECK(releve_mime_utf8_ok(c->indicator) && releve_mime_utf8_ok(c->period) &&
             releve_mime_utf8_ok(c->geography) && releve_mime_utf8_ok(c->value.text));
  FUZZ_CHECK(c->line == r->line);
  FUZZ_CHECK(aggregate == r->finishing);
  if (r->period_checked) {
    releve_period p;
    FUZZ_CHECK(releve_period_parse(c->period, &p) == 0);
  }
  if (r->mapping && strcmp(r->kind, "long") != 0) {
    json_t *spec = json_object_get(json_object_get(r->mapping, "indicators"), c->indicator);
    const char *op = json_string_value(json_object_get(spec, "op"));
    FUZZ_CHECK(spec != NULL);
    FUZZ_CHECK(releve_geo_valid(c->geography));
    if (aggregate) {
      double v = c->value.number;
      FUZZ_CHECK(c->value.kind == RELEVE_CELL_NUMBER);
      if (strcmp(op, "count") == 0)
        FUZZ_CHECK(v >= 0 && v == floor(v) && v <= (double)r->rows);
      else if (strcmp(op, "share") == 0)
        FUZZ_CHECK(v >= 0 && v <= 100);
    }
  }
  return 0;
}

static void on_error(void *ud, unsigned long line, unsigned column, const char *value,
                     const char *message) {
  run *r = ud;
  (void)column;
  (void)value;
  FUZZ_CHECK(message != NULL && *message && releve_mime_utf8_ok(message));
  FUZZ_CHECK(line <= r->line);
}

/* Splits line (modified) at ';' into sanitised cell texts, at most
 * MAX_CELLS. */
static size_t split(char *line, char **texts) {
  size_t n = 0;
  char *p = line;
  for (;;) {
    char *end = strchr(p, ';');
    if (end)
      *end = '\0';
    if (n < MAX_CELLS && (texts[n++] = releve_mime_printable(p, 0)) == NULL)
      abort();
    if (end == NULL)
      return n;
    p = end + 1;
  }
}

static void type_cell(releve_cell *c, const char *text, unsigned column) {
  char *end;
  memset(c, 0, sizeof *c);
  c->text = text;
  c->column = column;
  c->number = strtod(text, &end);
  if (*text == '\0')
    c->kind = RELEVE_CELL_EMPTY;
  else if (strcmp(text, "s") == 0)
    c->kind = RELEVE_CELL_SUPPRESSED;
  else if (strcmp(text, "nd") == 0)
    c->kind = RELEVE_CELL_NOT_AVAILABLE;
  else if (*end == '\0' && isfinite(c->number))
    c->kind = RELEVE_CELL_NUMBER;
  else
    c->kind = RELEVE_CELL_TEXT;
  if (c->kind != RELEVE_CELL_NUMBER)
    c->number = 0;
}

static void free_texts(char **texts, size_t n) {
  while (n > 0)
    free(texts[--n]);
}

/* Feeds the table (modified) to a mapper; rows after a refused header are
 * not fed, as ingest stops there. */
static void map_table(run *r, char *table) {
  char *texts[MAX_CELLS], *line = table, *next;
  releve_cell cells[MAX_CELLS];
  releve_mapper *m = releve_mapper_new(r->mapping, on_candidate, on_error, r);
  size_t n, i;
  int rc;

  if (m == NULL)
    abort();
  if ((next = strchr(line, '\n')) != NULL)
    *next++ = '\0';
  n = split(line, texts);
  rc = releve_mapper_columns(m, (const char *const *)texts, n);
  free_texts(texts, n);
  FUZZ_CHECK(rc == 0 || rc == -EBADMSG);
  for (r->line = 2; rc == 0 && next; r->line++) {
    line = next;
    if ((next = strchr(line, '\n')) != NULL)
      *next++ = '\0';
    n = split(line, texts);
    for (i = 0; i < n; i++)
      type_cell(&cells[i], texts[i], (unsigned)i + 1);
    r->rows++;
    rc = releve_mapper_row(m, r->line, cells, n);
    FUZZ_CHECK(rc == 0);
    free_texts(texts, n);
  }
  if (rc == 0) {
    r->finishing = 1;
    r->line = 0;
    FUZZ_CHECK(releve_mapper_finish(m) == 0);
  }
  FUZZ_CHECK(releve_mapper_skipped(m) <= r->rows);
  releve_mapper_free(m);
}

/* The mapping between the first line and "---", checked as the
 * configuration loader checks it; -EINVAL when refused. */
static int load_mapping(run *r, const char *text, const char *actor) {
  releve_diags d = {0};
  releve_jctx c = {"fuzz.json", &d};
  json_t *p;

  r->mapping = releve_json_load_string(&c, text);
  if (r->mapping && json_is_object(r->mapping))
    releve_mapping_check(r->mapping, &c, "mapping", &ref, actor);
  else
    releve_diags_add(&d, RELEVE_DIAG_ERROR, c.file, NULL, 0, 0, "not an object");
  if (releve_diags_count(&d, RELEVE_DIAG_ERROR) > 0) {
    releve_diags_free(&d);
    json_decref(r->mapping);
    r->mapping = NULL;
    return -EINVAL;
  }
  releve_diags_free(&d);
  r->kind = json_string_value(json_object_get(r->mapping, "kind"));
  p = json_object_get(r->mapping, "period");
  r->period_checked = json_object_get(p, "format") || json_object_get(p, "value");
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_string(data, size), *table, *sep;
  run r;

  memset(&r, 0, sizeof r);
  r.kind = "long";
  table = strchr(text, '\n');
  if (table == NULL) {
    free(text);
    return 0;
  }
  *table++ = '\0';
  sep = strstr(table, "\n---\n");
  if (sep) {
    *sep = '\0';
    if (load_mapping(&r, table, text) != 0) {
      free(text);
      return 0;
    }
    table = sep + 5;
  }
  map_table(&r, table);
  json_decref(r.mapping);
  free(text);
  return 0;
}
