/* referentiel.h -- the évaluation référentiel (themes → objectives →
 * sub-objectives → goals → actions → indicators, with targets), loaded from
 * referentiel.json. The structure is data: nothing in the code knows an
 * indicator by name. Strings are borrowed from the parsed JSON, which the
 * référentiel keeps alive. */
#ifndef RELEVE_REFERENTIEL_H
#define RELEVE_REFERENTIEL_H

#include <jansson.h>
#include <stddef.h>

#include "util/diag.h"

typedef enum releve_unit {
  RELEVE_UNIT_COUNT = 0,
  RELEVE_UNIT_PERCENT,
  RELEVE_UNIT_AMOUNT,
  RELEVE_UNIT_TEXT
} releve_unit;

typedef enum releve_period_kind { RELEVE_PERIOD_YEAR = 0, RELEVE_PERIOD_SCHOOL_YEAR } releve_period_kind;

typedef enum releve_target_kind {
  RELEVE_TARGET_NONE = 0,
  RELEVE_TARGET_LEVEL,
  RELEVE_TARGET_SHARE,
  RELEVE_TARGET_RISE,
  RELEVE_TARGET_FLOOR,
  RELEVE_TARGET_RANGE,
  RELEVE_TARGET_QUALITATIVE,
  RELEVE_TARGET_FALL /* a decrease relative to the start of the contract */
} releve_target_kind;

/* What a count counts ("counts" in referentiel.json): statistical secrecy
 * protects persons and households only. */
typedef enum releve_counts {
  RELEVE_COUNTS_PERSONS = 0, /* also the default of a count that does not say */
  RELEVE_COUNTS_HOUSEHOLDS,
  RELEVE_COUNTS_STRUCTURES,
  RELEVE_COUNTS_ACTIONS,
  RELEVE_COUNTS_PLACES,
  RELEVE_COUNTS_HOURS,
  RELEVE_COUNTS_SURFACE
} releve_counts;

typedef struct releve_node {
  const char *id;
  const char *name;
} releve_node;

typedef struct releve_ref_actor {
  const char *id;
  const char *name;
} releve_ref_actor;

typedef struct releve_target {
  const char *text; /* as written in the document, always kept */
  releve_target_kind kind;
  double value; /* level, share, rise, fall (percentages) and floor */
  double min, max; /* range */
  int percent;    /* floor: value is a percentage (share targets always are) */
  int cumulative; /* level: a total over the contract's years, not a yearly figure */
} releve_target;

/* At most this many geographies per indicator (PARIS, QP, QPV, QVA, REP, REP+). */
#define RELEVE_MAX_GEOGRAPHIES 6

typedef struct releve_indicator {
  const char *id;
  const char *label;
  const char *actor;
  releve_unit unit;
  int share; /* "Nombre et part de …": a count that also carries a share */
  releve_counts counts; /* unit count only */
  releve_period_kind period;
  /* The geographies its cells are expected for, NULL-ended ("geographies"
   * in the JSON; QPV and QP when absent). */
  const char *geographies[RELEVE_MAX_GEOGRAPHIES + 1];
  releve_target target;
  int seed_line;
  const releve_node *theme, *objective, *sub_objective, *goal, *action;
} releve_indicator;

typedef struct releve_referentiel {
  json_t *root;
  char sha256[65]; /* of the file as read, to notice a changed référentiel */
  const char *title;
  releve_ref_actor *actors;
  size_t n_actors;
  /* Every node of the tree, so that indicators can point at their parents. */
  releve_node *nodes;
  size_t n_nodes;
  size_t n_themes; /* the first n_themes nodes are the themes */
  releve_indicator *indicators; /* document order */
  size_t n_indicators;
  releve_indicator **by_id; /* sorted by id for lookup */
} releve_referentiel;

/* Loads and checks a référentiel. file names it in diagnostics; text is the
 * JSON. Returns 0, or -EINVAL with every problem in diags. */
int releve_referentiel_parse(releve_referentiel *r, const char *file, const char *text,
                             releve_diags *diags);
int releve_referentiel_load(releve_referentiel *r, const char *path, releve_diags *diags);
void releve_referentiel_free(releve_referentiel *r);

const releve_indicator *releve_referentiel_find(const releve_referentiel *r, const char *id);
const releve_ref_actor *releve_referentiel_actor(const releve_referentiel *r, const char *id);

const char *releve_unit_name(releve_unit u);
/* The unit as a French reader names it: "nombre", "pourcentage",
 * "montant (euros)", "texte". */
const char *releve_unit_label(releve_unit u);
const char *releve_period_kind_name(releve_period_kind k);
const char *releve_target_kind_name(releve_target_kind k);
const char *releve_counts_name(releve_counts c);

#endif
