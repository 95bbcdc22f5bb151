/* template.c -- the référentiel's own collection table, one row per figure.
 *
 * Any referent actor may fill it: indicateur; libelle; periode; geographie;
 * valeur; part; statut; commentaire, in any order, with title lines above
 * the header and '#' comment lines. See README.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

enum column {
  COL_INDICATEUR,
  COL_LIBELLE,
  COL_PERIODE,
  COL_GEOGRAPHIE,
  COL_VALEUR,
  COL_PART,
  COL_STATUT,
  COL_COMMENTAIRE,
  COL_COUNT
};

#define EXPECTED_HEADER "indicateur;libelle;periode;geographie;valeur;part;statut;commentaire"

/* The output columns, their header spellings once normalised, and what
 * they hold. */
static const struct known_column {
  const char *name;
  const char *spellings[6];
  int mandatory;
  int figure;
} known[COL_COUNT] = {
    [COL_INDICATEUR] = {"indicateur", {"indicateur", "code_indicateur", "id_indicateur"}, 1, 0},
    [COL_LIBELLE] = {"libelle", {"libelle", "libelle_indicateur", "intitule"}, 0, 0},
    [COL_PERIODE] = {"periode", {"periode", "annee", "annee_scolaire"}, 1, 0},
    [COL_GEOGRAPHIE] = {"geographie", {"geographie", "perimetre", "territoire"}, 1, 0},
    [COL_VALEUR] = {"valeur", {"valeur"}, 1, 1},
    [COL_PART] = {"part", {"part", "part_en", "pourcentage"}, 0, 1},
    [COL_STATUT] = {"statut", {"statut"}, 0, 0},
    [COL_COMMENTAIRE] = {"commentaire", {"commentaire", "commentaires"}, 0, 0},
};

typedef struct template_state {
  long at[COL_COUNT];       /* header index of each known column, or -1 */
  unsigned char *is_extra;  /* per header column: not a known column */
  size_t ncolumns;
} template_state;

static int known_column(const char *name) {
  for (int k = 0; k < COL_COUNT; k++)
    for (const char *const *s = known[k].spellings; *s != NULL; s++)
      if (strcmp(name, *s) == 0)
        return k;
  return -1;
}

static int is_header(void *ud, const releve_kit_table *t) {
  (void)ud;
  int indicateur = 0, valeur = 0;
  for (size_t i = 0; i < t->ncolumns; i++) {
    int k = known_column(t->name[i]);
    indicateur |= k == COL_INDICATEUR;
    valeur |= k == COL_VALEUR;
  }
  return indicateur && valeur;
}

static int begin(void *ud, const releve_kit_table *t, releve_kit_names *names) {
  template_state *st = ud;
  const releve_decode_args *args = t->args;
  for (int k = 0; k < COL_COUNT; k++)
    st->at[k] = -1;
  st->is_extra = calloc(t->ncolumns, 1);
  if (st->is_extra == NULL)
    return -ENOMEM;
  st->ncolumns = t->ncolumns;
  for (size_t i = 0; i < t->ncolumns; i++) {
    int k = known_column(t->name[i]);
    if (k < 0) {
      st->is_extra[i] = 1;
      continue;
    }
    if (st->at[k] >= 0)
      return releve_kit_host_fail(args, -EBADMSG, t->header_line, (unsigned)i + 1,
                                  "colonne « %s » en double dans l'en-tête (colonnes %ld et %zu) "
                                  "; une seule est attendue : " EXPECTED_HEADER,
                                  known[k].name, st->at[k] + 1, i + 1);
    st->at[k] = (long)i;
  }
  const char *missing[COL_COUNT];
  size_t count = 0;
  for (int k = 0; k < COL_COUNT; k++)
    if (known[k].mandatory && st->at[k] < 0)
      missing[count++] = known[k].name;
  if (count > 0)
    return releve_kit_table_missing(t, missing, count, "en-tête attendu : " EXPECTED_HEADER);
  for (int k = 0; k < COL_COUNT; k++)
    if (releve_kit_names_add(names, known[k].name) < 0)
      return -ENOMEM;
  for (size_t i = 0; i < t->ncolumns; i++)
    if (st->is_extra[i] && releve_kit_names_add(names, t->name[i]) < 0)
      return -ENOMEM;
  return 0;
}

static int record(void *ud, releve_kit_table *t, releve_kit_row *row) {
  template_state *st = ud;
  int rc = 0;
  for (int k = 0; rc == 0 && k < COL_COUNT; k++) {
    long i = st->at[k];
    if (i < 0) {
      rc = releve_kit_row_add(row, RELEVE_CELL_EMPTY, 0, "");
    } else if (known[k].figure) {
      releve_cell cell = {.column = (unsigned)i + 1};
      releve_kit_cell_figure(&cell, t->field[i], RELEVE_KIT_CELL_TEXT_OK);
      rc = releve_kit_row_add_cell(row, &cell);
    } else {
      rc = releve_kit_row_add_field(row, (unsigned)i + 1, t->field[i]);
    }
  }
  for (size_t i = 0; rc == 0 && i < st->ncolumns; i++)
    if (st->is_extra[i])
      rc = releve_kit_row_add_field(row, (unsigned)i + 1, t->field[i]);
  return rc < 0 ? rc : 1;
}

static void end(void *ud, const releve_kit_table *t, int rc) {
  (void)t;
  (void)rc;
  template_state *st = ud;
  free(st->is_extra);
}

static const releve_option template_options[] = {
    RELEVE_KIT_SHEET_OPTION,
    {NULL, 0, NULL, NULL},
};

static const releve_kit_format template_format = {
    .name = "template",
    .options = template_options,
    .flags = RELEVE_KIT_TABLE_HASH_COMMENTS,
    .max_title_lines = 50,
    .expected = "la ligne d'en-tête doit contenir au moins les colonnes « indicateur » et "
                "« valeur » (en-tête attendu : " EXPECTED_HEADER ")",
    .is_header = is_header,
    .begin = begin,
    .record = record,
    .end = end,
};

static int template_decode(const releve_decode_args *args) {
  template_state st = {0};
  return releve_kit_table_decode(args, &template_format, &st);
}

RELEVE_KIT_TABLE_RECOGNISER(template_recognise, template_format)

RELEVE_KIT_PLUGIN("template", "1.1.0",
                  "The référentiel's collection table: one row per figure (indicateur, "
                  "periode, geographie, valeur, part, statut)",
                  "tableau de collecte du référentiel (CSV, .xlsx ou .ods)",
                  template_options, template_decode, template_recognise)
