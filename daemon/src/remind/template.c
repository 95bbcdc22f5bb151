/* template.c -- the collection table's rows, its instructions and its CSV
 * form (see template.h). */
#include "remind/template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "completeness/derive.h"
#include "referentiel/geo.h"
#include "referentiel/period.h"
#include "remind/remind.h"
#include "report/report.h"
#include "spool/spool.h"
#include "store/store_sql.h"
#include "store/submission.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/str.h"

/* Header names the "template" reader knows (plugins/template/README.md):
 * indicateur, libelle, periode, geographie, valeur, part, statut,
 * commentaire, and their other spellings ("territoire" is geographie's,
 * hence "nom_du_territoire"); "Valeur reçue 2015" is none of them. */
const releve_template_column_info releve_template_columns[RELEVE_TC_COUNT] = {
    [RELEVE_TC_ACTION] = {"action", "Action", 30, 0},
    [RELEVE_TC_INDICATEUR] = {"indicateur", "Indicateur", 10, 0},
    [RELEVE_TC_LIBELLE] = {"libelle", "Libellé", 45, 0},
    [RELEVE_TC_UNITE] = {"unite", "Unité", 8, 0},
    [RELEVE_TC_PERIODE] = {"periode", "Période", 10, 0},
    [RELEVE_TC_GEOGRAPHIE] = {"geographie", "Géographie", 12, 0},
    [RELEVE_TC_TERRITOIRE] = {"nom_du_territoire", "Nom du territoire", 26, 0},
    [RELEVE_TC_CIBLE] = {"cible_2020", "Cible 2020", 28, 0},
    [RELEVE_TC_FIRST] = {"valeur_recue", "Valeur reçue", 11, 0, 1},
    [RELEVE_TC_PREVIOUS] = {"valeur_recue", "Valeur reçue", 11, 0, 1},
    [RELEVE_TC_VALEUR] = {"valeur", "Valeur", 12, 1},
    [RELEVE_TC_PART] = {"part", "Part (%)", 10, 1},
    [RELEVE_TC_STATUT] = {"statut", "Statut", 15, 1},
    [RELEVE_TC_COMMENTAIRE] = {"commentaire", "Commentaire", 30, 1},
};

const char *const releve_template_statuses[] = {"définitif", "provisoire", "estimé", "secret",
                                                "non disponible", NULL};

static const char *unit_word(releve_unit u) {
  switch (u) {
  case RELEVE_UNIT_PERCENT: return "%";
  case RELEVE_UNIT_AMOUNT: return "euros";
  case RELEVE_UNIT_TEXT: return "texte";
  default: return "nombre";
  }
}

/* The figure stored for (indicator, period of year, geography), else the
 * one derived from stored cells (derive.h), marked so. */
static int read_value(const releve_template *t, releve_stmt *st, releve_deriver *der,
                      const releve_template_row *r, int year, releve_template_value *v) {
  releve_period p = releve_period_for(r->ind->period, year);
  char period[16], number[32];
  double derived;
  int rc;

  memset(v, 0, sizeof *v);
  if (st == NULL)
    return 0;
  releve_period_format(&p, period, sizeof period);
  /* period is this call's: every call binds all four and resets. */
  releve_stmt_bind_text(st, 1, r->ind->id);
  releve_stmt_bind_text(st, 2, period);
  releve_stmt_bind_text(st, 3, r->geography);
  releve_stmt_bind_text(st, 4, t->cfg->contracts[0].id);
  rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW) {
    const char *status = releve_stmt_text(st, 3);
    const char *text = releve_stmt_text(st, 1);
    v->given = 1;
    if (strcmp(status, "suppressed") == 0)
      snprintf(v->text, sizeof v->text, "secret");
    else if (strcmp(status, "not_available") == 0)
      snprintf(v->text, sizeof v->text, "nd");
    else if (!releve_stmt_is_null(st, 0)) {
      v->is_number = 1;
      v->number = releve_stmt_double(st, 0);
      releve_report_number(v->number, v->text);
    } else
      snprintf(v->text, sizeof v->text, "%s", text ? text : "");
  }
  releve_stmt_reset(st);
  if (rc < 0)
    return rc;
  if (rc == RELEVE_STMT_DONE &&
      (rc = releve_derive(der, r->ind, period, r->geography, &derived)) == 1) {
    /* Shown as text, marked: the partner did not give it. */
    v->given = 1;
    snprintf(v->text, sizeof v->text, "%s (dérivée)", releve_report_number(derived, number));
  }
  return rc < 0 ? rc : 0;
}

int releve_template_build(releve_template *t, const releve_config *cfg, releve_store *store,
                          const releve_actor *actor, int year) {
  releve_stmt *st = NULL;
  releve_deriver *der = NULL;
  size_t i, cap;
  int rc = 0;

  memset(t, 0, sizeof *t);
  t->cfg = cfg;
  t->actor = actor;
  t->year = year;
  t->first_year = cfg->first_year;
  t->previous_year = year - 1;
  for (i = 0; i < cfg->n_campaigns; i++)
    if (cfg->campaigns[i].year == year) {
      t->due = cfg->campaigns[i].due;
      t->opens = cfg->campaigns[i].opens;
    }
  /* One row per cell owed: the geographies of each indicator (or the
   * actor's scopes). */
  for (i = 0, cap = 0; i < cfg->ref.n_indicators; i++) {
    const releve_indicator *ind = &cfg->ref.indicators[i];
    const char *const *g;
    if (strcmp(ind->actor, actor->id) != 0)
      continue;
    t->n_indicators++;
    for (g = releve_config_geographies(actor, ind); *g; g++)
      cap++;
  }
  if ((t->rows = calloc(cap + 1, sizeof *t->rows)) == NULL)
    return -ENOMEM;
  if (store && (rc = releve_submission_spool_used(store, actor->id)) < 0)
    return rc;
  t->spool_in_use = rc == 1;
  rc = 0;
  if (store && ((rc = releve_store_prepare(store, RELEVE_SQL_OBS_CELL, &st)) != 0 ||
                (rc = releve_deriver_new(store, cfg, &der)) != 0)) {
    releve_stmt_finalize(st);
    return rc;
  }
  for (i = 0; i < cfg->ref.n_indicators && rc == 0; i++) {
    const releve_indicator *ind = &cfg->ref.indicators[i];
    releve_period p = releve_period_for(ind->period, year);
    if (strcmp(ind->actor, actor->id) != 0)
      continue;
    for (const char *const *scope = releve_config_geographies(actor, ind); *scope && rc == 0;
         scope++) {
      releve_template_row *r = &t->rows[t->n++];
      r->ind = ind;
      releve_period_format(&p, r->period, sizeof r->period);
      r->geography = *scope;
      r->territory = releve_geo_name(*scope);
      r->unit = unit_word(ind->unit);
      if ((rc = read_value(t, st, der, r, t->first_year, &r->first)) == 0)
        rc = read_value(t, st, der, r, t->previous_year, &r->previous);
    }
  }
  releve_stmt_finalize(st);
  releve_deriver_free(der);
  return rc;
}

void releve_template_free(releve_template *t) {
  free(t->rows);
  t->rows = NULL;
  t->n = 0;
}

void releve_template_title(const releve_template *t, releve_template_column c, int csv,
                           char *out, size_t size) {
  const releve_template_column_info *info = &releve_template_columns[c];
  const char *name = csv ? info->csv : info->title;
  if (info->dated)
    snprintf(out, size, "%s%c%d", name, csv ? '_' : ' ',
             c == RELEVE_TC_FIRST ? t->first_year : t->previous_year);
  else
    snprintf(out, size, "%s", name);
}

const releve_template_value *releve_template_value_of(const releve_template_row *r,
                                                      releve_template_column c) {
  return c == RELEVE_TC_FIRST ? &r->first : c == RELEVE_TC_PREVIOUS ? &r->previous : NULL;
}

const char *releve_template_text(const releve_template_row *r, releve_template_column c) {
  switch (c) {
  case RELEVE_TC_INDICATEUR: return r->ind->id;
  case RELEVE_TC_LIBELLE: return r->ind->label;
  case RELEVE_TC_PERIODE: return r->period;
  case RELEVE_TC_GEOGRAPHIE: return r->geography;
  case RELEVE_TC_ACTION: return r->ind->action ? r->ind->action->name : "";
  case RELEVE_TC_UNITE: return r->unit;
  case RELEVE_TC_TERRITOIRE: return r->territory;
  case RELEVE_TC_CIBLE: return r->ind->target.text ? r->ind->target.text : "";
  case RELEVE_TC_FIRST: return r->first.text;
  case RELEVE_TC_PREVIOUS: return r->previous.text;
  default: return ""; /* the columns to fill */
  }
}

int releve_template_lines(const char *text, double width) {
  size_t chars = 0;
  int lines;
  for (const char *p = text; *p; p++)
    chars += ((unsigned char)*p & 0xc0) != 0x80;
  /* Words do not break mid-way: a wrapped line holds about 85 % of the
   * column's width. */
  lines = (int)((double)chars / (width * 0.85)) + 1;
  return lines > RELEVE_TEMPLATE_MAX_LINES ? RELEVE_TEMPLATE_MAX_LINES : lines;
}

int releve_template_row_lines(const releve_template_row *r) {
  int most = 1;
  for (int c = 0; c < RELEVE_TC_COUNT; c++) {
    int n = releve_template_lines(releve_template_text(r, c), releve_template_columns[c].width);
    if (n > most)
      most = n;
  }
  return most;
}

char **releve_template_instructions(const releve_template *t) {
  const releve_config *cfg = t->cfg;
  char **lines = calloc(16, sizeof *lines);
  char due[40], school_year[64] = "";
  char *incoming = releve_spool_path(cfg, t->actor->id, RELEVE_SPOOL_INCOMING);
  size_t n = 0;
  int school = 0;

  for (size_t i = 0; i < t->n; i++)
    school |= t->rows[i].ind->period == RELEVE_PERIOD_SCHOOL_YEAR;
  if (school)
    snprintf(school_year, sizeof school_year, " (année scolaire %d-%d pour les indicateurs "
                                              "scolaires)",
             t->year, t->year + 1);
  if (t->due)
    releve_date_french(t->due, due, sizeof due);
  if (lines == NULL || incoming == NULL) {
    free(lines);
    free(incoming);
    return NULL;
  }
  lines[n++] = releve_str_printf("Tableau de collecte %d — %s", t->year, t->actor->name);
  lines[n++] = releve_str_printf(
      "Ce qui est demandé : les chiffres %d%s des %zu indicateurs du référentiel d'évaluation "
      "du contrat de ville de Paris dont %s est référent, une ligne par indicateur et "
      "territoire (%zu lignes, feuille « Tableau »).",
      t->year, school_year, t->n_indicators,
      t->actor->name, t->n);
  lines[n++] = releve_str_printf(
      "À remplir : la colonne « Valeur » (un zéro est un chiffre ; une case vide n'en est pas "
      "un), « Part (%%) » pour les indicateurs « nombre et part », « Statut » si besoin "
      "(provisoire, estimé, secret, non disponible : un chiffre couvert par le secret ou non "
      "disponible compte comme transmis) et « Commentaire ». Les colonnes grisées sont des "
      "repères : la cible 2020 et les chiffres déjà reçus pour %d et %d.",
      t->first_year, t->previous_year);
  lines[n++] = t->due ? releve_str_printf("Date limite : %s.", due)
                      : releve_str_printf("Date limite : pas de campagne fixée pour %d.", t->year);
  if (cfg->mail_reply_to)
    lines[n++] = releve_str_printf(
        "Renvoi : enregistrez le fichier (.xlsx, .ods ou .csv, sans changer le nom ni l'ordre "
        "des colonnes) et répondez au message de rappel en le joignant%s%s. Un compte rendu "
        "vous est envoyé après sa lecture.",
        t->spool_in_use ? ", ou déposez-le dans votre dossier de dépôt " : "",
        t->spool_in_use ? incoming : "");
  else
    lines[n++] = releve_str_printf(
        "Renvoi : enregistrez le fichier (.xlsx, .ods ou .csv, sans changer le nom ni l'ordre "
        "des colonnes) et déposez-le dans votre dossier de dépôt %s/%s. Un compte rendu vous "
        "est envoyé après sa lecture.",
        incoming, cfg->coordinator ? " ou envoyez-le en réponse au message de rappel" : "");
  lines[n++] = cfg->coordinator
                   ? releve_str_printf("Contact : %s (coordination du contrat de ville).",
                                    cfg->coordinator)
                   : releve_str_printf("Contact : la coordination du contrat de ville.");
  free(incoming);
  for (size_t i = 0; i < n; i++)
    if (lines[i] == NULL) {
      releve_template_instructions_free(lines);
      return NULL;
    }
  return lines;
}

void releve_template_instructions_free(char **lines) {
  if (lines == NULL)
    return;
  for (size_t i = 0; lines[i]; i++)
    free(lines[i]);
  free(lines);
}

int releve_template_csv(const releve_template *t, releve_buf *out) {
  releve_buf b = RELEVE_BUF_INIT;
  char name[32];
  int rc = releve_buf_adds(&b, "\xef\xbb\xbf");

  for (int c = 0; c < RELEVE_TC_COUNT; c++) {
    releve_template_title(t, c, 1, name, sizeof name);
    rc |= releve_buf_addf(&b, "%s%s", c ? ";" : "", name);
  }
  rc |= releve_buf_adds(&b, "\r\n");
  for (size_t i = 0; i < t->n; i++) {
    for (int c = 0; c < RELEVE_TC_COUNT; c++) {
      if (c)
        rc |= releve_buf_adds(&b, ";");
      rc |= releve_buf_add_csv(&b, releve_template_text(&t->rows[i], c));
    }
    rc |= releve_buf_adds(&b, "\r\n");
  }
  if (rc || b.data == NULL) {
    releve_buf_free(&b);
    return -ENOMEM;
  }
  *out = b;
  return 0;
}

time_t releve_template_stamp(const releve_template *t) {
  struct tm tm;
  int y = t->year + 1, m = 1, d = 1;
  if (t->opens)
    sscanf(t->opens, "%4d-%2d-%2d", &y, &m, &d);
  memset(&tm, 0, sizeof tm);
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = 8;
  return timegm(&tm);
}

int releve_template_render(const releve_template *t, releve_template_format format,
                           releve_buf *out) {
  switch (format) {
  case RELEVE_TEMPLATE_XLSX: return releve_template_xlsx(t, out);
  case RELEVE_TEMPLATE_ODS: return releve_template_ods(t, out);
  default: return releve_template_csv(t, out);
  }
}
