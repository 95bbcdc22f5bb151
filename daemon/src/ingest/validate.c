#include "ingest/validate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "referentiel/geo.h"
#include "report/report.h"
#include "util/buf.h"

/* Status words partners write, in French or as stored. */
static const char *status_of(const char *s) {
  static const struct {
    const char *word, *status;
  } words[] = {{"", "normal"},           {"normal", "normal"},
               {"definitif", "normal"},  {"définitif", "normal"},
               {"provisoire", "provisional"}, {"provisional", "provisional"},
               {"estime", "estimated"},  {"estimé", "estimated"},
               {"estimation", "estimated"}, {"estimated", "estimated"},
               {"secret", "suppressed"}, {"s", "suppressed"},
               {"suppressed", "suppressed"}, {"nd", "not_available"},
               {"n.d.", "not_available"}, {"non disponible", "not_available"},
               {"not_available", "not_available"}};
  size_t i;
  if (s == NULL)
    return "normal";
  for (i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcasecmp(s, words[i].word) == 0)
      return words[i].status;
  return NULL;
}

static const char *unit_expectation(releve_unit u) {
  switch (u) {
  case RELEVE_UNIT_COUNT: return "un nombre entier positif ou nul est attendu";
  case RELEVE_UNIT_PERCENT: return "un pourcentage entre 0 et 100 est attendu";
  case RELEVE_UNIT_AMOUNT: return "un montant en euros positif ou nul est attendu";
  default: return "un texte est attendu";
  }
}

static int fail(releve_buf *why, unsigned *column, const char **value, const releve_cell *cell,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(releve_buf *why, unsigned *column, const char **value, const releve_cell *cell,
                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  releve_buf_vaddf(why, fmt, ap);
  va_end(ap);
  *column = cell ? cell->column : 0;
  *value = cell ? cell->text : NULL;
  return RELEVE_INVALID;
}

static int check_value(const releve_indicator *ind, const releve_candidate *c, releve_figure *f,
                       releve_buf *why, unsigned *column, const char **value) {
  const releve_cell *v = &c->value;
  double x = v->number;

  if (v->kind == RELEVE_CELL_SUPPRESSED || v->kind == RELEVE_CELL_NOT_AVAILABLE) {
    f->status = v->kind == RELEVE_CELL_SUPPRESSED ? "suppressed" : "not_available";
    return RELEVE_VALID;
  }
  if (strcmp(f->status, "suppressed") == 0 || strcmp(f->status, "not_available") == 0) {
    if (v->kind == RELEVE_CELL_EMPTY)
      return RELEVE_VALID;
    return fail(why, column, value, v,
                "statut « %s » avec une valeur : une valeur couverte par le secret ou non "
                "disponible doit rester vide",
                c->status);
  }
  if (v->kind == RELEVE_CELL_EMPTY)
    return RELEVE_EMPTY;
  if (ind->unit == RELEVE_UNIT_TEXT) {
    f->text = v->text;
    if (v->text == NULL || v->text[strspn(v->text, " \t")] == '\0')
      return fail(why, column, value, v, "%s", unit_expectation(ind->unit));
    return RELEVE_VALID;
  }
  if (v->kind != RELEVE_CELL_NUMBER || !isfinite(x))
    return fail(why, column, value, v, "valeur illisible ; %s", unit_expectation(ind->unit));
  if (x < 0 || (ind->unit == RELEVE_UNIT_COUNT && x != floor(x)) ||
      (ind->unit == RELEVE_UNIT_PERCENT && x > 100))
    return fail(why, column, value, v, "valeur hors limites ; %s", unit_expectation(ind->unit));
  f->has_value = 1;
  f->value = x;
  return RELEVE_VALID;
}

static int check_share(const releve_indicator *ind, const releve_candidate *c, releve_figure *f,
                       releve_buf *why, unsigned *column, const char **value) {
  const releve_cell *s = &c->share;
  if (s->kind == RELEVE_CELL_EMPTY || s->kind == RELEVE_CELL_SUPPRESSED ||
      s->kind == RELEVE_CELL_NOT_AVAILABLE)
    return RELEVE_VALID;
  if (!ind->share)
    return fail(why, column, value, s,
                "l'indicateur %s ne comporte pas de part : laisser la colonne « part » vide",
                ind->id);
  if (s->kind != RELEVE_CELL_NUMBER || !(s->number >= 0 && s->number <= 100))
    return fail(why, column, value, s, "part illisible ou hors limites ; un pourcentage entre 0 "
                                       "et 100 est attendu");
  /* A share is part of a whole: a positive share of nothing, or no share
   * of a positive count, cannot both be right. */
  if (f->has_value && ((f->value == 0) != (s->number == 0))) {
    char number[32];
    return fail(why, column, value, s, "part incohérente avec le nombre %s : l'un est nul, "
                                       "l'autre non",
                releve_report_number(f->value, number));
  }
  f->has_share = 1;
  f->share = s->number;
  return RELEVE_VALID;
}

/* A quartier or arrondissement code must be in its vintage's list when
 * that list is loaded; a code is never looked up in another vintage's. A
 * contract that names its QPV vintage takes quartiers of that list only:
 * no 2015 quartier is a 2024 one, and no value is converted between them.
 * cfg is one contract's view (releve_config_view). */
static int listed(const releve_config *cfg, const char *code, releve_buf *why) {
  const releve_geography_list *l = releve_geography_list_of(&cfg->geography, code);
  releve_geography_list_id id = releve_geography_list_for(code);
  const releve_contract *k = &cfg->contracts[0];
  char n[32];
  if (k->geography && (id == RELEVE_GEOGRAPHY_QPV_2015 || id == RELEVE_GEOGRAPHY_QPV_2024) &&
      strcmp(releve_geography_keys[id], k->geography) != 0) {
    releve_buf_addf(why, "%s est un quartier de la %s ; le contrat « %s » suit la %s (codes %s)",
                    code, releve_geography_list_label(id), k->id,
                    releve_geography_list_label(id == RELEVE_GEOGRAPHY_QPV_2015
                                                    ? RELEVE_GEOGRAPHY_QPV_2024
                                                    : RELEVE_GEOGRAPHY_QPV_2015),
                    id == RELEVE_GEOGRAPHY_QPV_2015 ? "QN07501M" : "QP075001");
    return 0;
  }
  if (l == NULL || releve_geography_find(&cfg->geography, code))
    return 1;
  releve_buf_addf(why, "%s n'est pas %s de la %s (%s %s%s)", code,
                  id == RELEVE_GEOGRAPHY_ARRONDISSEMENTS ? "un arrondissement" : "un quartier",
                  releve_geography_list_label(id), releve_report_number((double)l->n, n),
                  id == RELEVE_GEOGRAPHY_ARRONDISSEMENTS ? "arrondissement" : "quartier",
                  l->n > 1 ? "s" : "");
  return 0;
}

int releve_validate(const releve_config *cfg, const releve_actor *actor, const releve_candidate *c,
                    releve_figure *f, releve_buf *why, unsigned *column, const char **value) {
  const releve_indicator *ind = releve_referentiel_find(&cfg->ref, c->indicator);
  int rc;

  memset(f, 0, sizeof *f);
  *column = 0;
  *value = NULL;
  if (ind == NULL) {
    if (c->value.kind == RELEVE_CELL_EMPTY && *c->indicator == '\0')
      return RELEVE_EMPTY; /* a blank line of the template */
    releve_buf_addf(why, "indicateur « %s » inconnu du référentiel ; un identifiant tel que "
                         "G01.2 est attendu (voir le modèle de collecte)",
                    c->indicator);
    *value = c->indicator;
    return RELEVE_INVALID;
  }
  f->indicator = ind;
  if (strcmp(ind->actor, actor->id) != 0) {
    const releve_ref_actor *owner = releve_referentiel_actor(&cfg->ref, ind->actor);
    releve_buf_addf(why, "l'indicateur %s relève de %s, pas de %s : seul son acteur référent "
                         "peut le transmettre",
                    ind->id, owner ? owner->name : ind->actor, actor->name);
    *value = c->indicator;
    return RELEVE_INVALID;
  }
  if (releve_period_parse(c->period, &f->period) != 0 || f->period.kind != ind->period) {
    releve_buf_addf(why, "période « %s » illisible pour %s ; %s attendue", c->period, ind->id,
                    ind->period == RELEVE_PERIOD_SCHOOL_YEAR ? "une année scolaire (2018-2019)"
                                                             : "une année (2018)");
    *value = c->period;
    return RELEVE_INVALID;
  }
  if (f->period.year < cfg->first_year || f->period.year > cfg->last_year) {
    if (cfg->contracts[0].where[0]) /* one of several contracts: which one */
      releve_buf_addf(why, "période %s hors du contrat « %s » (%d à %d)", c->period,
                      cfg->contracts[0].id, cfg->first_year, cfg->last_year);
    else
      releve_buf_addf(why, "période %s hors du contrat de ville (%d à %d)", c->period,
                      cfg->first_year, cfg->last_year);
    *value = c->period;
    return RELEVE_INVALID;
  }
  releve_period_format(&f->period, f->period_text, sizeof f->period_text);
  if (releve_geo_normalize(c->geography, f->geography, sizeof f->geography) != 0) {
    releve_buf_addf(why, "territoire « %s » inconnu ; attendu : QPV, QVA, QP, PARIS, un code de "
                         "quartier (QP075001 liste 2015, QN07501M liste 2024, QVA075001 "
                         "pour un QVA de la Ville), un arrondissement (75118), REP ou REP+",
                    c->geography);
    *value = c->geography;
    return RELEVE_INVALID;
  }
  if (!listed(cfg, f->geography, why)) {
    *value = c->geography;
    return RELEVE_INVALID;
  }
  f->status = status_of(c->status);
  if (f->status == NULL) {
    releve_buf_addf(why, "statut « %s » inconnu ; attendu : vide, provisoire, estimé, secret ou "
                         "nd",
                    c->status);
    *value = c->status;
    return RELEVE_INVALID;
  }
  f->comment = c->comment && *c->comment ? c->comment : NULL;
  rc = check_value(ind, c, f, why, column, value);
  if (rc == RELEVE_VALID)
    rc = check_share(ind, c, f, why, column, value);
  return rc;
}
