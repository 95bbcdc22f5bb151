/* caf.c -- CAF open-data exports by commune (data.caf.fr).
 *
 * Two generations: the current Opendatasoft portal (dtreffre;numcomdo;
 * nomcom;indfoy_rsa;...) and the older yearly files (Communes;Codes_Insee;
 * NB_Allocataires;ALL_PAJE;...). One row per commune; rows that cannot be
 * placed (abroad, unknown, masked, totals) are dropped. See README.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

enum { OPT_KEEP_COMMUNES, OPT_BLANK_IS_SECRET };

static const releve_option caf_options[] = {
    [OPT_KEEP_COMMUNES] = {"keep_communes", RELEVE_OPT_STRING, "751",
                           "Keep only the rows whose commune code starts with this prefix "
                           "(\"751\": the Paris arrondissements 75101-75120); \"\" keeps all"},
    [OPT_BLANK_IS_SECRET] = {"blank_is_secret", RELEVE_OPT_BOOL, "true",
                             "A blank figure is statistical secrecy (SUPPRESSED); false makes "
                             "it EMPTY"},
    RELEVE_KIT_SHEET_OPTION,
    {NULL, 0, NULL, NULL},
};

/* Where the commune code, its name and the reference month may be. */
static const char *const code_columns[] = {"numcomdo", "codes_insee", "code_insee", "numcom",
                                           "code_commune", "codgeo", "depcom", NULL};
static const char *const name_columns[] = {"nomcom", "communes", "libcom", "nom_commune",
                                           "libelle_commune", NULL};
/* Identification columns are text; every other column holds figures. */
static const char *const text_prefixes[] = {"nom", "lib", "num", "code", "dt", "date", NULL};
static const char *const derived[] = {"commune", "annee", NULL};

enum drop {
  DROP_TOTAL,
  DROP_EMPTY,
  DROP_ABROAD,
  DROP_UNKNOWN,
  DROP_MASKED,
  DROP_OUTSIDE,
  DROP_INVALID
};

static const char *const drop_labels[] = {
    [DROP_TOTAL] = "total or unknown (Total/Inconnu) rows",
    [DROP_EMPTY] = "with an empty commune code (households the CAF cannot place)",
    [DROP_ABROAD] = "abroad (99999)",
    [DROP_UNKNOWN] = "unknown commune (XXXXX)",
    [DROP_MASKED] = "with a masked code (like 04XXX)",
    [DROP_OUTSIDE] = "outside the keep_communes prefix",
    [DROP_INVALID] = "with a row error",
    NULL,
};

typedef struct caf_state {
  const char *prefix;
  int blank_is_secret;
  long code_at, name_at, date_at;
  unsigned char *figure; /* per header column */
  releve_kit_tally drops;
} caf_state;

static int in_list(const char *name, const char *const *list) {
  for (; *list != NULL; list++)
    if (strcmp(name, *list) == 0)
      return 1;
  return 0;
}

static int is_text_column(const char *name) {
  if (in_list(name, code_columns) || in_list(name, name_columns))
    return 1;
  for (const char *const *p = text_prefixes; *p != NULL; p++)
    if (strncmp(name, *p, strlen(*p)) == 0)
      return 1;
  return 0;
}

static int is_header(void *ud, const releve_kit_table *t) {
  (void)ud;
  return releve_kit_table_find_any(t, code_columns) >= 0;
}

static int begin(void *ud, const releve_kit_table *t, releve_kit_names *names) {
  caf_state *st = ud;
  st->code_at = releve_kit_table_find_any(t, code_columns);
  st->name_at = releve_kit_table_find_any(t, name_columns);
  st->date_at = releve_kit_table_find(t, "dtreffre");
  st->figure = calloc(t->ncolumns, 1);
  if (st->figure == NULL)
    return -ENOMEM;
  for (size_t i = 0; i < t->ncolumns; i++)
    st->figure[i] = !is_text_column(t->name[i]);
  int rc = releve_kit_table_names(t, names, derived, NULL);
  for (const char *const *d = derived; rc == 0 && *d != NULL; d++)
    rc = releve_kit_names_add(names, *d) < 0 ? -ENOMEM : 0;
  return rc;
}

/* A summary or unplaceable row, by its code or its name. */
static int is_total(const char *text) {
  char word[32];
  if (releve_kit_cell_normalize(text, word, sizeof word) >= sizeof word)
    return 0;
  return strncmp(word, "total", 5) == 0 || strcmp(word, "inconnu") == 0 ||
         strcmp(word, "inconnue") == 0 || strcmp(word, "commune_inconnue") == 0;
}

#define CODE_PLACED (-1)

/* Classifies the commune code: CODE_PLACED with the 5-character code in
 * out, or why the row cannot be placed. */
static int check_code(const char *code, char out[6]) {
  size_t len = strlen(code), x = 0, digits = 0;
  if (len == 0)
    return DROP_EMPTY;
  if (strcmp(code, "99999") == 0)
    return DROP_ABROAD;
  for (size_t i = 0; i < len; i++) {
    x += code[i] == 'X' || code[i] == 'x';
    digits += code[i] >= '0' && code[i] <= '9';
  }
  if (x == len)
    return DROP_UNKNOWN;
  if (x > 0)
    return DROP_MASKED;
  if (len == 4 && digits == 4) { /* a leading zero lost in a spreadsheet */
    out[0] = '0';
    memcpy(out + 1, code, 5);
    return CODE_PLACED;
  }
  int corsica = code[0] == '2' && (code[1] == 'A' || code[1] == 'B') && digits == 3;
  if (len != 5 || (digits != 5 && !corsica))
    return DROP_INVALID;
  memcpy(out, code, 6);
  return CODE_PLACED;
}

static int figures(caf_state *st, releve_kit_table *t, releve_kit_row *row) {
  unsigned flags = st->blank_is_secret ? RELEVE_KIT_CELL_BLANK_SECRET : 0;
  for (size_t i = 0; i < t->n; i++) {
    int rc;
    if (!st->figure[i]) {
      rc = releve_kit_row_add_field(row, (unsigned)i + 1, t->field[i]);
    } else {
      releve_cell cell = {.column = (unsigned)i + 1};
      if (releve_kit_cell_figure(&cell, t->field[i], flags) < 0) {
        return releve_kit_table_reject(t, (long)i, &st->drops, DROP_INVALID, NULL,
                                       "un nombre est attendu (case vide si secret "
                                       "statistique)");
      }
      rc = releve_kit_row_add_cell(row, &cell);
    }
    if (rc < 0)
      return rc;
  }
  return 1;
}

static int record(void *ud, releve_kit_table *t, releve_kit_row *row) {
  caf_state *st = ud;
  const char *code = t->field[st->code_at];
  const char *name = st->name_at >= 0 ? t->field[st->name_at] : "";
  char commune[6];
  int why = check_code(code, commune);
  if (why != DROP_ABROAD && why != DROP_UNKNOWN && why != DROP_MASKED &&
      (is_total(code) || is_total(name)))
    return releve_kit_tally_drop(&st->drops, DROP_TOTAL);
  if (why == DROP_INVALID) {
    return releve_kit_table_reject(t, st->code_at, &st->drops, DROP_INVALID, "code commune",
                                   "un code INSEE à 5 caractères est attendu (ex. 75118)");
  }
  if (why != CODE_PLACED)
    return releve_kit_tally_drop(&st->drops, (size_t)why);
  if (strncmp(commune, st->prefix, strlen(st->prefix)) != 0)
    return releve_kit_tally_drop(&st->drops, DROP_OUTSIDE);
  char year[5] = "";
  if (st->date_at >= 0) {
    const char *date = t->field[st->date_at];
    int y, m, d;
    if (releve_kit_cell_date(date, &y, &m, &d) < 0) {
      return releve_kit_table_reject(t, st->date_at, &st->drops, DROP_INVALID,
                                     "date de référence",
                                     "un mois AAAA-MM est attendu (ex. 2022-12)");
    }
    snprintf(year, sizeof year, "%04u", (unsigned)y % 10000u);
  }
  int rc = figures(st, t, row);
  if (rc <= 0)
    return rc;
  rc = releve_kit_row_add_copy(row, RELEVE_CELL_TEXT, (unsigned)st->code_at + 1, commune, 5);
  if (rc == 0)
    rc = releve_kit_row_add_copy(row, year[0] ? RELEVE_CELL_TEXT : RELEVE_CELL_EMPTY,
                                 year[0] ? (unsigned)st->date_at + 1 : 0, year, strlen(year));
  return rc < 0 ? rc : 1;
}

static void end(void *ud, const releve_kit_table *t, int rc) {
  caf_state *st = ud;
  if (rc == 0)
    releve_kit_tally_log(&st->drops, t->args, "caf");
  free(st->figure);
}

static const releve_kit_format caf_format = {
    .name = "caf",
    .options = caf_options,
    .max_title_lines = 10,
    .expected = "une ligne d'en-tête avec une colonne de code commune est attendue (« numcomdo » "
                "sur data.caf.fr, « Codes_Insee » dans les fichiers annuels plus anciens)",
    .is_header = is_header,
    .begin = begin,
    .record = record,
    .end = end,
};

static int caf_decode(const releve_decode_args *args) {
  if (releve_kit_host_check(args) < 0)
    return -EINVAL;
  caf_state st = {
      .prefix = releve_kit_host_option_str(args, caf_options, OPT_KEEP_COMMUNES),
      .blank_is_secret = releve_kit_host_option_bool(args, caf_options, OPT_BLANK_IS_SECRET),
      .drops = {.labels = drop_labels},
  };
  return releve_kit_table_decode(args, &caf_format, &st);
}

RELEVE_KIT_TABLE_RECOGNISER(caf_recognise, caf_format)

RELEVE_KIT_PLUGIN("caf", "1.1.0",
                  "CAF open data by commune (data.caf.fr, current portal and older yearly "
                  "files)",
                  "export open data de la CAF par commune (CSV, .xlsx ou .ods)",
                  caf_options, caf_decode, caf_recognise)
