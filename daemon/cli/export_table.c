/* export_table.c -- the evaluation table's columns, shared by every
 * format: their names, their French titles, and each row's cells. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "report/report.h"

static const char *const names[EXPORT_COLUMNS] = {
    "theme",           "objectif",        "sous_objectif",      "objectif_operationnel",
    "action",          "action_libelle",  "indicateur",         "libelle",
    "acteur",          "acteur_nom",      "unite",              "denombre",
    "objectif_2020",   "objectif_type",   "geographie",         "debut_periode",
    "debut_valeur",    "debut_part",      "mi_parcours_valeur", "mi_parcours_part",
    "dernier_periode", "dernier_valeur",  "dernier_part",       "progression",
    "appreciation",    "completude_action", "completude_acteur", "geographie_nom",
    "remarque"};

/* point: the restitution point the column is about (0 start, 1 mid, 2
 * end, whose year the title gives), or -1 for none. */
static const struct {
  const char *title;
  int point;
} titles[EXPORT_COLUMNS] = {
    {"Thème", -1},
    {"Objectif", -1},
    {"Sous-objectif", -1},
    {"Objectif opérationnel", -1},
    {"Action", -1},
    {"Libellé de l'action", -1},
    {"Indicateur", -1},
    {"Libellé de l'indicateur", -1},
    {"Acteur", -1},
    {"Nom de l'acteur", -1},
    {"Unité", -1},
    {"Dénombre", -1},
    {"Objectif 2020", -1},
    {"Type d'objectif", -1},
    {"Territoire", -1},
    {"Période de départ", -1},
    {"Situation au début du contrat", 0},
    {"Part au début", 0},
    {"Résultat à mi-parcours", 1},
    {"Part à mi-parcours", 1},
    {"Période du dernier résultat", -1},
    {"Dernier résultat", 2},
    {"Dernière part", -1},
    {"Progression vers l'objectif", -1},
    {"Appréciation", -1},
    {"Complétude de l'action", -1},
    {"Complétude de l'acteur", -1},
    {"Nom du territoire", -1},
    {"Remarque", -1}};

const char *export_column_name(int col) { return names[col]; }

const char *export_column_title(const export_context *ctx, int col, char buf[96]) {
  int p = titles[col].point;
  if (p < 0)
    snprintf(buf, 96, "%s", titles[col].title);
  else
    snprintf(buf, 96, "%s (%s%d)", titles[col].title, p == 2 ? "jusqu'à " : "", ctx->points[p]);
  return buf;
}

const char *export_percent_text(double fraction, char buf[RELEVE_NUMBER_SIZE]) {
  return releve_report_format(fraction * 100, 0, RELEVE_NUMBER_GROUPED | RELEVE_NUMBER_PERCENT,
                              buf);
}

void export_short_name(const char *name, char out[128]) {
  const char *paren = strstr(name, " (");
  int n = paren ? (int)(paren - name) : (int)strlen(name);
  snprintf(out, 128, "%.*s", n < 127 ? n : 127, name);
}

/* What a count counts, in French. */
static const char *counts_words(const releve_indicator *ind) {
  static const char *const words[] = {"personnes", "ménages", "structures", "actions",
                                      "logements ou places", "heures", "surfaces"};
  return ind->unit == RELEVE_UNIT_COUNT ? words[ind->counts] : "";
}

static const char *kind_words(releve_target_kind k) {
  static const char *const words[] = {"aucun",  "niveau",     "part",        "hausse",
                                      "plancher", "fourchette", "qualitatif", "baisse"};
  return words[k];
}

static void value_cell(const export_value *v, export_cell *out) {
  if (v->kind == EXPORT_NUMBER) {
    out->kind = CELL_NUMBER;
    out->number = v->number;
  } else if (v->kind == EXPORT_TEXT) {
    out->kind = CELL_TEXT;
    out->text = v->text;
  }
}

static void share_cell(const export_row *r, const export_value *v, export_cell *out) {
  if (v->share_kind == EXPORT_NUMBER) {
    out->kind = CELL_PERCENT;
    out->number = v->share / 100;
  } else if (v->share_kind == EXPORT_TEXT && r->ind->share) {
    out->kind = CELL_TEXT;
    out->text = "secret";
  }
}

static void tally_cell(const export_tally *t, export_cell *out) {
  if (t && t->due) {
    out->kind = CELL_PERCENT;
    out->number = (double)t->given / t->due;
  }
}

static void text_cell(const char *s, export_cell *out) {
  if (s && *s) {
    out->kind = CELL_TEXT;
    out->text = s;
  }
}

void export_row_cell(const export_row *r, int col, export_cell *out) {
  const releve_indicator *ind = r->ind;
  memset(out, 0, sizeof *out);
  switch (col) {
  case COL_THEME: text_cell(ind->theme->id, out); break;
  case COL_OBJECTIVE: text_cell(ind->objective->id, out); break;
  case COL_SUB_OBJECTIVE: text_cell(ind->sub_objective->id, out); break;
  case COL_GOAL: text_cell(ind->goal->id, out); break;
  case COL_ACTION: text_cell(ind->action->id, out); break;
  case COL_ACTION_LABEL: text_cell(ind->action->name, out); break;
  case COL_INDICATOR: text_cell(ind->id, out); break;
  case COL_LABEL: text_cell(ind->label, out); break;
  case COL_ACTOR: text_cell(ind->actor, out); break;
  case COL_ACTOR_NAME: text_cell(r->actor_name, out); break;
  case COL_UNIT: text_cell(releve_unit_label(ind->unit), out); break;
  case COL_COUNTS: text_cell(counts_words(ind), out); break;
  case COL_TARGET: text_cell(ind->target.text, out); break;
  case COL_TARGET_KIND: text_cell(kind_words(ind->target.kind), out); break;
  case COL_GEOGRAPHY: text_cell(r->geography, out); break;
  case COL_START_PERIOD: text_cell(r->start_period, out); break;
  case COL_START: value_cell(&r->start, out); break;
  case COL_START_SHARE: share_cell(r, &r->start, out); break;
  case COL_MID: value_cell(&r->mid, out); break;
  case COL_MID_SHARE: share_cell(r, &r->mid, out); break;
  case COL_LAST_PERIOD: text_cell(r->last_period, out); break;
  case COL_LAST: value_cell(&r->last, out); break;
  case COL_LAST_SHARE: share_cell(r, &r->last, out); break;
  case COL_PROGRESS:
    if (r->progress.has_ratio) {
      out->kind = CELL_PERCENT;
      out->number = r->progress.ratio;
    }
    break;
  case COL_MARK:
    if (r->geography[0])
      text_cell(releve_progress_mark_text(r->progress.mark), out);
    break;
  case COL_ACTION_DONE: tally_cell(r->action, out); break;
  case COL_ACTOR_DONE: tally_cell(r->actor, out); break;
  case COL_GEOGRAPHY_NAME: text_cell(r->geography_name, out); break;
  case COL_NOTE: text_cell(r->note, out); break;
  default: break;
  }
}
