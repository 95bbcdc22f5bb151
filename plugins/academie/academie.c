/* academie.c -- Éducation nationale open-data exports (data.education.gouv.fr):
 * annuaire de l'éducation, IPS des collèges, DNB par établissement,
 * adresse et géolocalisation des établissements.
 *
 * One row per school. Label and field-name headers are both accepted; the
 * plugin adds "rentree" (school year) and "ep" (education-priority network)
 * where the file allows. See README.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

enum { OPT_DEPARTEMENT };

static const releve_option academie_options[] = {
    [OPT_DEPARTEMENT] = {"departement", RELEVE_OPT_STRING, "075",
                         "Keep only the rows of this département (\"075\" and \"75\" are the "
                         "same) when the file has a département code column; \"\" keeps all"},
    RELEVE_KIT_SHEET_OPTION,
    {NULL, 0, NULL, NULL},
};

static const char *const uai_columns[] = {"identifiant_de_l_etablissement", "uai", "numero_uai",
                                          "code_etablissement", "numero_d_etablissement",
                                          "code_uai", NULL};
static const char *const departement_columns[] = {"code_departement", "code_du_departement",
                                                  NULL};
static const char *const school_year_columns[] = {"rentree_scolaire", "annee_scolaire", NULL};

/* Columns holding figures; every other column is text. */
static const char *const figure_columns[] = {
    "effectifs", "ips",     "inscrits",  "presents",     "admis",        "nombre_d_eleves",
    "latitude",  "longitude", "coordonnee_x", "coordonnee_y", NULL};
static const char *const figure_prefixes[] = {"nombre_", "nb_",    "taux_", "effectif",
                                              "ips_",    "ecart_type", "admis_", NULL};

/* "Adresse et géolocalisation des établissements": label (normalised) and
 * field name of the same column. With a label header the columns take the
 * field names; either way the other name is added as an alias when it
 * names no other column. */
static const releve_kit_rename geoloc_labels[] = {
    {"code_etablissement", "numero_uai"},
    {"secteur_public_prive", "secteur_public_prive_libe"},
    {"adresse", "adresse_uai"},
    {"lieu_dit", "lieu_dit_uai"},
    {"boite_postale", "boite_postale_uai"},
    {"code_postal", "code_postal_uai"},
    {"localite_d_acheminement", "localite_acheminement_uai"},
    {"commune", "libelle_commune"},
    {"qualite_d_appariement", "appariement"},
    {"code_nature", "nature_uai"},
    {"nature", "nature_uai_libe"},
    {"code_etat_etablissement", "etat_etablissement"},
    {"etat_etablissement", "etat_etablissement_libe"},
    {"departement", "libelle_departement"},
    {"region", "libelle_region"},
    {"academie", "libelle_academie"},
    {NULL, NULL},
};

#define GEOLOC_PAIRS (sizeof geoloc_labels / sizeof geoloc_labels[0] - 1)

static const char *const derived[] = {"rentree", "ep", NULL};

enum drop { DROP_DEPARTEMENT, DROP_INVALID };

static const char *const drop_labels[] = {
    [DROP_DEPARTEMENT] = "of another departement",
    [DROP_INVALID] = "with a row error",
    NULL,
};

typedef struct academie_state {
  const char *departement;
  long dep_at, year_at, session_at, ep_at;
  unsigned char *figure;         /* per header column */
  long alias_of[GEOLOC_PAIRS];   /* header column each alias repeats */
  size_t naliases;
  releve_kit_tally drops;
} academie_state;

static int in_list(const char *name, const char *const *list, int prefixes) {
  for (; *list != NULL; list++)
    if (prefixes ? strncmp(name, *list, strlen(*list)) == 0 : strcmp(name, *list) == 0)
      return 1;
  return 0;
}

static int is_header(void *ud, const releve_kit_table *t) {
  (void)ud;
  return releve_kit_table_find_any(t, uai_columns) >= 0;
}

static long find_output(const releve_kit_names *names, size_t ncolumns, const char *const *list) {
  for (; *list != NULL; list++) {
    long i = releve_kit_names_find(names, *list);
    if (i >= 0 && (size_t)i < ncolumns)
      return i;
  }
  return -1;
}

/* Adds, for the geolocation dataset, the other name of each known pair. */
static int add_aliases(academie_state *st, const releve_kit_table *t, releve_kit_names *names) {
  int labels = releve_kit_table_find(t, "code_etablissement") >= 0;
  if (!labels && releve_kit_table_find(t, "numero_uai") < 0)
    return 0;
  for (size_t k = 0; k < GEOLOC_PAIRS; k++) {
    long at = releve_kit_names_find(names, geoloc_labels[k].to);
    if (at < 0 || (size_t)at >= t->ncolumns ||
        releve_kit_names_find(names, geoloc_labels[k].from) >= 0)
      continue;
    if (releve_kit_names_add(names, geoloc_labels[k].from) < 0)
      return -ENOMEM;
    st->alias_of[st->naliases++] = at;
  }
  return 0;
}

static int begin(void *ud, const releve_kit_table *t, releve_kit_names *names) {
  academie_state *st = ud;
  int labels = releve_kit_table_find(t, "code_etablissement") >= 0;
  int rc = releve_kit_table_names(t, names, derived, labels ? geoloc_labels : NULL);
  if (rc < 0)
    return rc;
  size_t n = t->ncolumns;
  st->figure = calloc(n, 1);
  if (st->figure == NULL)
    return -ENOMEM;
  for (size_t i = 0; i < n; i++)
    st->figure[i] = in_list(names->v[i], figure_columns, 0) ||
                    in_list(names->v[i], figure_prefixes, 1);
  static const char *const session[] = {"session", NULL};
  static const char *const ep[] = {"appartenance_education_prioritaire", NULL};
  st->dep_at = find_output(names, n, departement_columns);
  st->year_at = find_output(names, n, school_year_columns);
  st->session_at = st->year_at < 0 ? find_output(names, n, session) : -1;
  st->ep_at = find_output(names, n, ep);
  if ((rc = add_aliases(st, t, names)) < 0)
    return rc;
  if ((st->year_at >= 0 || st->session_at >= 0) && releve_kit_names_add(names, "rentree") < 0)
    return -ENOMEM;
  if (st->ep_at >= 0 && releve_kit_names_add(names, "ep") < 0)
    return -ENOMEM;
  if (st->departement[0] != '\0' && st->dep_at < 0)
    releve_kit_host_log(t->args, RELEVE_LOG_INFO,
                        "academie: no departement code column, option departement not applied");
  return 0;
}

static const char *without_zeros(const char *code) {
  while (*code == '0')
    code++;
  return code;
}

/* "2022-2023" from a school-year cell ("2022-2023", "2022/2023", "2022")
 * or from an exam session ("2021" -> "2020-2021"). */
static int school_year(academie_state *st, const char *text, char out[10]) {
  int first, second = -1;
  if (st->session_at >= 0) {
    if (sscanf(text, "%4d", &second) != 1 || strlen(text) != 4)
      return -EINVAL;
    first = second - 1;
  } else {
    char sep;
    int end = 0;
    if (strlen(text) == 4 && sscanf(text, "%4d", &first) == 1)
      second = first + 1;
    else if (sscanf(text, "%4d%c%4d%n", &first, &sep, &second, &end) != 3 || text[end] != '\0' ||
             (sep != '-' && sep != '/') || strlen(text) != 9)
      return -EINVAL;
  }
  if (first < 1900 || first > 2198 || second != first + 1)
    return -EINVAL;
  snprintf(out, 10, "%04u-%04u", (unsigned)first % 10000u, (unsigned)second % 10000u);
  return 0;
}

/* REP, REP+ or "" for the education-priority network; other values are
 * kept as written. */
static const char *priority_network(const char *text) {
  char word[32];
  if (releve_kit_cell_normalize(text, word, sizeof word) >= sizeof word)
    return text;
  int plus = strchr(text, '+') != NULL || strstr(word, "plus") != NULL ||
             strstr(word, "renforce") != NULL;
  if (strncmp(word, "rep", 3) == 0 && (word[3] == '\0' || word[3] == '_'))
    return plus ? "REP+" : (word[3] == '\0' ? "REP" : text);
  if (word[0] == '\0' || strncmp(word, "hors", 4) == 0 || strcmp(word, "non") == 0)
    return "";
  return text;
}

static int add_columns(academie_state *st, releve_kit_table *t, releve_kit_row *row) {
  for (size_t i = 0; i < t->n; i++) {
    char *text = t->field[i];
    int rc;
    if (strcmp(text, "-") == 0) {
      rc = releve_kit_row_add(row, RELEVE_CELL_EMPTY, (unsigned)i + 1, text);
    } else if (st->figure[i]) {
      releve_cell cell = {.column = (unsigned)i + 1};
      if (releve_kit_cell_figure(&cell, text, 0) < 0)
        return releve_kit_table_reject(t, (long)i, &st->drops, DROP_INVALID, NULL,
                                       "un nombre est attendu");
      rc = releve_kit_row_add_cell(row, &cell);
    } else {
      rc = releve_kit_row_add_field(row, (unsigned)i + 1, releve_kit_cell_squeeze(text));
    }
    if (rc < 0)
      return rc;
  }
  for (size_t k = 0; k < st->naliases; k++) {
    releve_cell alias = row->cells[st->alias_of[k]];
    if (releve_kit_row_add_cell(row, &alias) < 0)
      return -ENOMEM;
  }
  return 1;
}

static int record(void *ud, releve_kit_table *t, releve_kit_row *row) {
  academie_state *st = ud;
  if (st->departement[0] != '\0' && st->dep_at >= 0 &&
      strcmp(without_zeros(t->field[st->dep_at]), without_zeros(st->departement)) != 0)
    return releve_kit_tally_drop(&st->drops, DROP_DEPARTEMENT);
  char year[10] = "";
  long year_at = st->year_at >= 0 ? st->year_at : st->session_at;
  if (year_at >= 0 && school_year(st, t->field[year_at], year) < 0)
    return releve_kit_table_reject(t, year_at, &st->drops, DROP_INVALID, NULL,
                                   st->session_at >= 0
                         ? "une année de session est attendue (ex. 2021)"
                         : "une année scolaire AAAA-AAAA est attendue (ex. 2022-2023)");
  int rc = add_columns(st, t, row);
  if (rc <= 0)
    return rc;
  if (year_at >= 0)
    rc = releve_kit_row_add_copy(row, RELEVE_CELL_TEXT, (unsigned)year_at + 1, year, 9);
  if (rc >= 0 && st->ep_at >= 0) {
    const char *ep = priority_network(t->field[st->ep_at]);
    rc = releve_kit_row_add_copy(row, RELEVE_CELL_TEXT, (unsigned)st->ep_at + 1, ep, strlen(ep));
  }
  return rc < 0 ? rc : 1;
}

static void end(void *ud, const releve_kit_table *t, int rc) {
  academie_state *st = ud;
  if (rc == 0)
    releve_kit_tally_log(&st->drops, t->args, "academie");
  free(st->figure);
}

static const releve_kit_format academie_format = {
    .name = "academie",
    .options = academie_options,
    .max_title_lines = 10,
    .expected = "une ligne d'en-tête avec une colonne d'identifiant d'établissement est attendue "
                "(« Identifiant_de_l_etablissement », « UAI », « numero_uai », « Code "
                "établissement » ou « Numero d'etablissement »)",
    .is_header = is_header,
    .begin = begin,
    .record = record,
    .end = end,
};

static int academie_decode(const releve_decode_args *args) {
  if (releve_kit_host_check(args) < 0)
    return -EINVAL;
  academie_state st = {
      .departement = releve_kit_host_option_str(args, academie_options, OPT_DEPARTEMENT),
      .drops = {.labels = drop_labels},
  };
  return releve_kit_table_decode(args, &academie_format, &st);
}

RELEVE_KIT_TABLE_RECOGNISER(academie_recognise, academie_format)

RELEVE_KIT_PLUGIN("academie", "1.1.0",
                  "Education nationale open data by school: annuaire, IPS des collèges, DNB "
                  "par établissement, adresse et géolocalisation",
                  "export open data de l'Éducation nationale par établissement (CSV, .xlsx ou .ods)",
                  academie_options, academie_decode, academie_recognise)
