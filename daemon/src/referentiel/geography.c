/* geography.c -- see geography.h. */
#include "referentiel/geography.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit/kit.h"
#include "referentiel/geo.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/str.h"

const char *const releve_geography_keys[RELEVE_GEOGRAPHY_LISTS] = {"qpv_2015", "qpv_2024", "qva",
                                                                   "arrondissements"};

/* A list file is a few hundred lines at most (1 362 QPV nationally): past
 * this many problems the rest are counted, not listed. */
#define MAX_REPORTED 20

enum { COL_CODE, COL_NAME, COL_DEPARTEMENT, COL_COMMUNES, COLS };
static const char *const col_names[COLS] = {"code", "nom", "departement", "communes"};

typedef struct parser {
  releve_geography_list_id id;
  const char *source;
  releve_diags *diags;
  releve_kit_csv csv;
  unsigned long line;
  int col[COLS];
  unsigned long problems;
} parser;

static void problem(parser *p, int column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(parser *p, int column, const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  if (++p->problems > MAX_REPORTED)
    return;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  releve_diags_add(p->diags, RELEVE_DIAG_ERROR, p->source, "geography", (int)p->line, column, "%s",
                   b.data ? b.data : "invalid line");
  releve_buf_free(&b);
}

static void place_free(releve_geography_place *pl) {
  free(pl->code);
  free(pl->name);
  free(pl->departement);
  free(pl->communes);
  free(pl->label);
}

static void list_free(releve_geography_list *l) {
  size_t i;
  for (i = 0; i < l->n; i++)
    place_free(&l->places[i]);
  free(l->places);
  free(l->source);
  memset(l, 0, sizeof *l);
}

void releve_geography_free(releve_geography *g) {
  int i;
  for (i = 0; i < RELEVE_GEOGRAPHY_LISTS; i++)
    list_free(&g->lists[i]);
}

releve_geography_list_id releve_geography_list_for(const char *code) {
  switch (releve_geo_vintage_of(code)) {
  case RELEVE_GEO_QPV_2015: return RELEVE_GEOGRAPHY_QPV_2015;
  case RELEVE_GEO_QPV_2024: return RELEVE_GEOGRAPHY_QPV_2024;
  case RELEVE_GEO_QVA_CITY: return RELEVE_GEOGRAPHY_QVA;
  default:
    return releve_geo_classify(code) == RELEVE_GEO_ARRONDISSEMENT ? RELEVE_GEOGRAPHY_ARRONDISSEMENTS
                                                                  : RELEVE_GEOGRAPHY_LISTS;
  }
}

const char *releve_geography_vintage(const char *code) {
  releve_geography_list_id id = releve_geography_list_for(code);
  return id < RELEVE_GEOGRAPHY_ARRONDISSEMENTS ? releve_geography_keys[id] : NULL;
}

const char *releve_geography_list_label(releve_geography_list_id id) {
  switch (id) {
  case RELEVE_GEOGRAPHY_QPV_2015: return releve_geo_vintage_label(RELEVE_GEO_QPV_2015);
  case RELEVE_GEOGRAPHY_QPV_2024: return releve_geo_vintage_label(RELEVE_GEO_QPV_2024);
  case RELEVE_GEOGRAPHY_QVA: return releve_geo_vintage_label(RELEVE_GEO_QVA_CITY);
  case RELEVE_GEOGRAPHY_ARRONDISSEMENTS: return "liste des arrondissements";
  default: return "";
  }
}

/* While a list is read, its places are in the file's order. */
static const releve_geography_place *find_unsorted(const releve_geography_list *l,
                                                   const char *code) {
  size_t i;
  for (i = 0; i < l->n; i++)
    if (strcmp(l->places[i].code, code) == 0)
      return &l->places[i];
  return NULL;
}

static int place_cmp(const void *a, const void *b) {
  return strcmp(((const releve_geography_place *)a)->code,
                ((const releve_geography_place *)b)->code);
}

/* Once loaded, a list is sorted by code: every figure's code is looked up
 * (1 362 quartiers in the national list). */
static const releve_geography_place *find_in(const releve_geography_list *l, const char *code) {
  releve_geography_place key;
  key.code = (char *)code;
  return l->n ? bsearch(&key, l->places, l->n, sizeof key, place_cmp) : NULL;
}

const releve_geography_list *releve_geography_list_of(const releve_geography *g,
                                                      const char *code) {
  releve_geography_list_id id = releve_geography_list_for(code);
  if (id == RELEVE_GEOGRAPHY_LISTS || g->lists[id].source == NULL)
    return NULL;
  return &g->lists[id];
}

const releve_geography_place *releve_geography_find(const releve_geography *g, const char *code) {
  const releve_geography_list *l = releve_geography_list_of(g, code);
  return l ? find_in(l, code) : NULL;
}

const char *releve_geography_label(const releve_geography *g, const char *code, char *buf,
                                   size_t size) {
  const releve_geography_place *pl = releve_geography_find(g, code);
  releve_geography_list_id id;
  if (pl)
    return pl->label;
  id = releve_geography_list_for(code);
  if (id == RELEVE_GEOGRAPHY_LISTS || id == RELEVE_GEOGRAPHY_ARRONDISSEMENTS)
    return code;
  snprintf(buf, size, "%s (%s)", code, releve_geography_list_label(id));
  return buf;
}

/* Whether code is of the list's vintage. */
static int of_list(releve_geography_list_id id, const char *code) {
  return releve_geography_list_for(code) == id;
}

static const char *field(const parser *p, int k) {
  int c = p->col[k];
  return c >= 0 && (size_t)c < p->csv.n ? p->csv.field[c] : "";
}

static char *trimmed(const char *s) {
  size_t n;
  while (*s == ' ' || *s == '\t')
    s++;
  n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  return strndup(s, n);
}

static int header(parser *p) {
  size_t i;
  int k;
  for (k = 0; k < COLS; k++) {
    p->col[k] = -1;
    for (i = 0; i < p->csv.n; i++)
      if (strcmp(p->csv.field[i], col_names[k]) == 0)
        p->col[k] = (int)i;
  }
  for (k = COL_CODE; k <= COL_NAME; k++)
    if (p->col[k] < 0)
      problem(p, 0, "no \"%s\" column in the header; a list file starts with a header such as "
                    "\"code,nom,departement,communes\"",
              col_names[k]);
  return p->problems ? -EINVAL : 0;
}

static int add_place(parser *p, releve_geography_list *l) {
  char code[16];
  const char *raw = field(p, COL_CODE);
  char *name;
  releve_geography_place *pl;

  if (releve_geo_normalize(raw, code, sizeof code) != 0 || !of_list(p->id, code)) {
    problem(p, p->col[COL_CODE] + 1, "\"%s\" is not a code of the %s",
            raw, p->id == RELEVE_GEOGRAPHY_QPV_2015   ? "2015 QPV list (QP + 6 digits: QP075012)"
                 : p->id == RELEVE_GEOGRAPHY_QPV_2024 ? "2024 QPV list (QN + 5 digits + a capital "
                                                        "letter: QN07501M)"
                 : p->id == RELEVE_GEOGRAPHY_QVA      ? "city's QVA list (addresses.qva_pattern)"
                                                      : "arrondissements (75101 to 75120)");
    return 0;
  }
  if (find_unsorted(l, code)) {
    problem(p, p->col[COL_CODE] + 1, "%s is given twice; each code once", code);
    return 0;
  }
  name = trimmed(field(p, COL_NAME));
  if (name == NULL)
    return -ENOMEM;
  if (*name == '\0') {
    free(name);
    problem(p, p->col[COL_NAME] + 1, "%s has no name; the \"nom\" column is required", code);
    return 0;
  }
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 32;
    releve_geography_place *np = realloc(l->places, cap * sizeof *np);
    if (np == NULL) {
      free(name);
      return -ENOMEM;
    }
    l->places = np;
    l->cap = cap;
  }
  pl = &l->places[l->n];
  memset(pl, 0, sizeof *pl);
  pl->name = name;
  pl->code = strdup(code);
  pl->departement = trimmed(field(p, COL_DEPARTEMENT));
  pl->communes = trimmed(field(p, COL_COMMUNES));
  pl->label = p->id == RELEVE_GEOGRAPHY_ARRONDISSEMENTS
                  ? releve_str_printf("%s %s", code, name)
                  : releve_str_printf("%s %s (%s)", code, name, releve_geography_list_label(p->id));
  l->n++;
  if (!pl->code || !pl->departement || !pl->communes || !pl->label)
    return -ENOMEM;
  return 0;
}

/* One record of the line at s (n bytes): the header first, then places. */
static int take_line(parser *p, releve_geography_list *l, const char *s, size_t n, int *seen) {
  int rc;
  if (!*seen)
    releve_kit_csv_init(&p->csv, releve_kit_csv_detect(s));
  rc = releve_kit_csv_feed(&p->csv, s, n, p->line);
  if (rc == 0)
    rc = releve_kit_csv_end_line(&p->csv);
  if (rc == -E2BIG || rc == -EMSGSIZE) {
    problem(p, 0, "the line is too long (%s); a list has one short place a line",
            rc == -E2BIG ? "too many bytes" : "too many fields");
    return *seen ? 0 : -EINVAL;
  }
  if (rc < 0)
    return rc;
  if (!*seen) {
    *seen = 1;
    return header(p);
  }
  return add_place(p, l);
}

int releve_geography_parse(releve_geography *g, releve_geography_list_id id, const char *source,
                           const char *text, size_t len, releve_diags *diags) {
  releve_geography_list l;
  parser p;
  const char *s = text, *end = text + len;
  int seen = 0, rc = 0;

  memset(&l, 0, sizeof l);
  memset(&p, 0, sizeof p);
  p.id = id;
  p.source = source;
  p.diags = diags;
  if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
    s += 3;
  while (s < end && rc == 0) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = (size_t)((nl ? nl : end) - s);
    p.line++;
    if (n > 0 && s[n - 1] == '\r')
      n--;
    if (n > 0 && *s != '#')
      rc = take_line(&p, &l, s, n, &seen);
    s = nl ? nl + 1 : end;
  }
  if (rc == 0 && !seen) {
    problem(&p, 0, "the list is empty; a header line \"code,nom,departement,communes\" and one "
                   "line a place are expected");
  } else if (rc == 0 && l.n == 0 && p.problems == 0) {
    problem(&p, 0, "the list has a header but no place");
  }
  if (p.problems > MAX_REPORTED)
    releve_diags_add(diags, RELEVE_DIAG_ERROR, source, "geography", 0, 0,
                     "… and %lu more lines with problems", p.problems - MAX_REPORTED);
  if (seen)
    releve_kit_csv_free(&p.csv);
  if (rc == 0 && p.problems)
    rc = -EINVAL;
  if (rc == 0 && (l.source = strdup(source)) == NULL)
    rc = -ENOMEM;
  if (rc) {
    list_free(&l);
    return rc;
  }
  qsort(l.places, l.n, sizeof l.places[0], place_cmp);
  list_free(&g->lists[id]);
  g->lists[id] = l;
  return 0;
}

int releve_geography_load(releve_geography *g, releve_geography_list_id id, const char *path,
                          releve_diags *diags) {
  char *data = NULL;
  size_t len = 0;
  int rc = releve_fs_read_file(path, &data, &len);
  if (rc) {
    releve_diags_add(diags, RELEVE_DIAG_ERROR, path, "geography", 0, 0,
                     "cannot read the %s: %s", releve_geography_list_label(id), strerror(-rc));
    return rc == -ENOMEM ? rc : -EINVAL;
  }
  rc = releve_geography_parse(g, id, path, data, len, diags);
  free(data);
  return rc;
}
