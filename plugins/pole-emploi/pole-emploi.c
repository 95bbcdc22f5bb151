/* pole-emploi.c -- DARES / France Travail job seekers by commune and quarter
 * ("dares_defm_communales-brutes"), with a field-name or a label header.
 *
 * One count per (quarter, commune, sex, age band); the plugin keeps the
 * Total x Total rows of the chosen quarter, by arrondissement. See
 * README.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

enum { OPT_QUARTER, OPT_SEXE, OPT_TRANCHE, OPT_DROP_COMMUNES };

static const releve_option pole_emploi_options[] = {
    [OPT_QUARTER] = {"quarter", RELEVE_OPT_INT, "4",
                     "Keep only the rows of this quarter, 1 to 4 (4: the Q4 figure stands for "
                     "the year); 0 keeps every quarter"},
    [OPT_SEXE] = {"sexe", RELEVE_OPT_STRING, "Total",
                  "Keep only the rows whose sexe is this value (case and accents ignored); \"\" "
                  "keeps all"},
    [OPT_TRANCHE] = {"tranche_d_age", RELEVE_OPT_STRING, "Total",
                     "Keep only the rows whose tranche_d_age is this value (case and accents "
                     "ignored); \"\" keeps all"},
    [OPT_DROP_COMMUNES] = {"drop_communes", RELEVE_OPT_STRING, "75056",
                           "Commune codes whose rows are dropped, separated by commas or spaces "
                           "(75056 is the whole of Paris, already counted by arrondissement)"},
    RELEVE_KIT_SHEET_OPTION,
    {NULL, 0, NULL, NULL},
};

#define COUNT_COLUMN "nombre_de_demandeurs_d_emploi"

/* Other spellings seen for the columns the plugin needs. */
static const releve_kit_rename renames[] = {
    {"demandeurs_d_emploi", COUNT_COLUMN},
    {"nombre_de_demandeurs", COUNT_COLUMN},
    {"code_insee", "code_commune"},
    {"tranche_age", "tranche_d_age"},
    {NULL, NULL},
};

static const char *const derived[] = {"annee", "trimestre", NULL};
static const char *const quarter_text[] = {"0", "1", "2", "3", "4"};

enum drop {
  DROP_QUARTER,
  DROP_SEXE,
  DROP_TRANCHE,
  DROP_TOTAL,
  DROP_LISTED,
  DROP_NO_CODE,
  DROP_INVALID
};

static const char *const drop_labels[] = {
    [DROP_QUARTER] = "of another quarter",
    [DROP_SEXE] = "of another sexe (breakdown rows)",
    [DROP_TRANCHE] = "of another tranche_d_age (breakdown rows)",
    [DROP_TOTAL] = "with code_commune Total",
    [DROP_LISTED] = "of a commune in drop_communes",
    [DROP_NO_CODE] = "without a commune code",
    [DROP_INVALID] = "with a row error",
    NULL,
};

typedef struct pole_emploi_state {
  long long quarter;
  const char *sexe, *tranche, *drop_communes;
  long date_at, code_at, sexe_at, tranche_at, count_at;
  releve_kit_tally drops;
} pole_emploi_state;

/* Index of the header column that takes the output name name, or -1. */
static long column(const releve_kit_table *t, const char *name) {
  long i = releve_kit_table_find(t, name);
  for (const releve_kit_rename *r = renames; i < 0 && r->from != NULL; r++)
    if (strcmp(r->to, name) == 0)
      i = releve_kit_table_find(t, r->from);
  return i;
}

static int is_header(void *ud, const releve_kit_table *t) {
  (void)ud;
  return column(t, "code_commune") >= 0 && column(t, COUNT_COLUMN) >= 0;
}

static int begin(void *ud, const releve_kit_table *t, releve_kit_names *names) {
  pole_emploi_state *st = ud;
  st->date_at = column(t, "date");
  st->code_at = column(t, "code_commune");
  st->sexe_at = column(t, "sexe");
  st->tranche_at = column(t, "tranche_d_age");
  st->count_at = column(t, COUNT_COLUMN);
  const char *missing[3];
  size_t n = 0;
  if (st->date_at < 0)
    missing[n++] = "date";
  if (st->sexe_at < 0 && st->sexe[0] != '\0')
    missing[n++] = "sexe";
  if (st->tranche_at < 0 && st->tranche[0] != '\0')
    missing[n++] = "tranche_d_age";
  if (n > 0)
    return releve_kit_table_missing(
        t, missing, n,
        "en-tête attendu : date;code_region;region;code_departement;departement;code_commune;"
        "commune;type_de_donnees;categorie;sexe;tranche_d_age;" COUNT_COLUMN);
  int rc = releve_kit_table_names(t, names, derived, renames);
  for (const char *const *d = derived; rc == 0 && *d != NULL; d++)
    rc = releve_kit_names_add(names, *d) < 0 ? -ENOMEM : 0;
  return rc;
}

static int digits_at(const char *p, int n) {
  int v = 0;
  for (int k = 0; k < n; k++) {
    if (p[k] < '0' || p[k] > '9')
      return -1;
    v = v * 10 + (p[k] - '0');
  }
  return v;
}

static int quarter_letter(char c) { return c == 'T' || c == 't' || c == 'Q' || c == 'q'; }

static int separator(char c) { return c == '-' || c == ' ' || c == '_'; }

/* Reads "2019-T4" (also "2019T4", "2019 T4", "2019-Q4", "T4 2019", or a
 * date "2019-12-31" or "2019-12" whose month gives the quarter). */
static int read_quarter(const char *text, int *year, int *quarter) {
  size_t len = strlen(text);
  int y = -1, q = -1, m, d;
  if (len >= 6 && quarter_letter(text[len - 2])) { /* 2019-T4, 2019T4 */
    y = digits_at(text, 4);
    q = digits_at(text + len - 1, 1);
    if (len != 6 && (len != 7 || !separator(text[4])))
      y = -1;
  } else if (len == 7 && quarter_letter(text[0]) && separator(text[2])) { /* T4 2019 */
    q = digits_at(text + 1, 1);
    y = digits_at(text + 3, 4);
  } else if (releve_kit_cell_date(text, &y, &m, &d) == 0 && m > 0) {
    q = (m + 2) / 3;
  }
  if (y < 1900 || y > 2199 || q < 1 || q > 4)
    return -EINVAL;
  *year = y;
  *quarter = q;
  return 0;
}

/* 1 when code is one of the listed codes (commas or spaces between). */
static int listed(const char *list, const char *code) {
  size_t len = strlen(code);
  for (const char *p = list; *p != '\0';) {
    p += strspn(p, ", ;");
    size_t n = strcspn(p, ", ;");
    if (n > 0 && n == len && strncmp(p, code, n) == 0)
      return 1;
    p += n;
  }
  return 0;
}

static int record(void *ud, releve_kit_table *t, releve_kit_row *row) {
  pole_emploi_state *st = ud;
  int year, quarter;
  if (read_quarter(t->field[st->date_at], &year, &quarter) < 0)
    return releve_kit_table_reject(t, st->date_at, &st->drops, DROP_INVALID, "date",
                                   "un trimestre AAAA-Tn est attendu (ex. 2019-T4)");
  if (st->quarter != 0 && quarter != st->quarter)
    return releve_kit_tally_drop(&st->drops, DROP_QUARTER);
  if (st->sexe[0] != '\0' && !releve_kit_cell_same(t->field[st->sexe_at], st->sexe))
    return releve_kit_tally_drop(&st->drops, DROP_SEXE);
  if (st->tranche[0] != '\0' && !releve_kit_cell_same(t->field[st->tranche_at], st->tranche))
    return releve_kit_tally_drop(&st->drops, DROP_TRANCHE);
  const char *code = t->field[st->code_at];
  if (releve_kit_cell_same(code, "total"))
    return releve_kit_tally_drop(&st->drops, DROP_TOTAL);
  if (code[0] == '\0')
    return releve_kit_tally_drop(&st->drops, DROP_NO_CODE);
  if (listed(st->drop_communes, code))
    return releve_kit_tally_drop(&st->drops, DROP_LISTED);
  releve_cell count = {.column = (unsigned)st->count_at + 1};
  if (releve_kit_cell_figure(&count, t->field[st->count_at], RELEVE_KIT_CELL_BLANK_SECRET) < 0)
    return releve_kit_table_reject(t, st->count_at, &st->drops, DROP_INVALID, "valeur",
                                   "un nombre de demandeurs d'emploi est attendu (case vide si "
                                   "secret statistique, « nd » si non disponible)");
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < t->n; i++)
    rc = (long)i == st->count_at ? releve_kit_row_add_cell(row, &count)
                                 : releve_kit_row_add_field(row, (unsigned)i + 1, t->field[i]);
  char text[8];
  snprintf(text, sizeof text, "%04u", (unsigned)year % 10000u);
  if (rc == 0)
    rc = releve_kit_row_add_copy(row, RELEVE_CELL_TEXT, (unsigned)st->date_at + 1, text, 4);
  if (rc == 0)
    rc = releve_kit_row_add_number(row, (unsigned)st->date_at + 1, quarter_text[quarter], quarter);
  return rc < 0 ? rc : 1;
}

static void end(void *ud, const releve_kit_table *t, int rc) {
  pole_emploi_state *st = ud;
  if (rc == 0)
    releve_kit_tally_log(&st->drops, t->args, "pole-emploi");
}

static const releve_kit_format pole_emploi_format = {
    .name = "pole-emploi",
    .options = pole_emploi_options,
    .max_title_lines = 10,
    .expected = "une ligne d'en-tête avec les colonnes « code_commune » et « " COUNT_COLUMN
                " » (ou « Code commune » et « Nombre de demandeurs d'emploi ») est attendue",
    .is_header = is_header,
    .begin = begin,
    .record = record,
    .end = end,
};

static int pole_emploi_decode(const releve_decode_args *args) {
  if (releve_kit_host_check(args) < 0)
    return -EINVAL;
  pole_emploi_state st = {
      .quarter = releve_kit_host_option_int(args, pole_emploi_options, OPT_QUARTER),
      .sexe = releve_kit_host_option_str(args, pole_emploi_options, OPT_SEXE),
      .tranche = releve_kit_host_option_str(args, pole_emploi_options, OPT_TRANCHE),
      .drop_communes = releve_kit_host_option_str(args, pole_emploi_options, OPT_DROP_COMMUNES),
      .drops = {.labels = drop_labels},
  };
  if (st.quarter < 0 || st.quarter > 4)
    return releve_kit_host_fail(args, -EINVAL, 0, 0,
                                "option « quarter » = %lld : une valeur de 0 à 4 est attendue "
                                "(configuration de l'acteur)",
                                st.quarter);
  return releve_kit_table_decode(args, &pole_emploi_format, &st);
}

RELEVE_KIT_TABLE_RECOGNISER(pole_emploi_recognise, pole_emploi_format)

RELEVE_KIT_PLUGIN("pole-emploi", "1.1.0",
                  "DARES / France Travail job seekers by commune and quarter "
                  "(dares_defm_communales-brutes)",
                  "export DARES / France Travail des demandeurs d'emploi par commune (CSV, .xlsx ou .ods)",
                  pole_emploi_options, pole_emploi_decode, pole_emploi_recognise)
