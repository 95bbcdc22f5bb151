/* map.h -- turning a plugin's rows into observations, with rules kept in
 * configuration (an actor's "mapping"). Three kinds:
 *
 *   long  one row per figure: columns naming the indicator, period,
 *         geography, value, share, status and comment (the référentiel's own
 *         collection template; the default when no mapping is configured).
 *   wide  one column per indicator: each row gives one period and geography,
 *         each mapped column one figure.
 *   rows  one row per school, commune or person: each indicator is a count,
 *         sum, mean or share over the rows matching filters, grouped by
 *         period and geography. Rows are never stored, only the aggregates.
 *
 *   "mapping": {
 *     "kind": "long" | "wide" | "rows",
 *     "columns": {"indicator": "indicateur", "period": "periode", …},    long
 *     "period": {"column": "annee", "format": "year"} | {"value": "2019"},
 *     "geography": {"column": "commune", "codes": {"75118": "75118"},
 *                   "default": "QPV", "unmapped": "error" | "skip"}
 *                | {"value": "QPV"},
 *     "filters": {"sexe": ["Total"]},                      rows kept at all
 *     "indicators": {
 *        "T05.1": "nombre_de_demandeurs_d_emploi",                      wide
 *        "T05.1": {"column": "n", "share_column": "part"},              wide
 *        "G03.1": {"op": "count", "where": {"ep": ["REP", "REP+"]}},    rows
 *        "G03.2": {"op": "sum", "column": "effectifs", "where": {…}},   rows
 *        "G09.2": {"op": "mean", "column": "ips"},                      rows
 *        "G20.1": {"op": "share", "where": {…}, "of": {…}}              rows
 *     }
 *   }
 *
 * Period formats: "year" (2019, 2019-12, 2019-T4 → 2019), "school_year"
 * (2018-2019), "date" (YYYY-MM-DD → its year). Geography codes map a cell's
 * text to a geography (PARIS, QP, QPV, QVA, QP075001, 75118, REP, REP+); a
 * cell that is already a geography needs no entry. */
#ifndef RELEVE_MAP_H
#define RELEVE_MAP_H

#include <jansson.h>

#include "jsonx.h"
#include "referentiel.h"

/* Checks a mapping object: keys, kinds, ops, and that every indicator named
 * exists and belongs to actor. Problems go to c->diags under path. */
void releve_mapping_check(json_t *mapping, const releve_jctx *c, const char *path,
                          const releve_referentiel *ref, const char *actor);

#endif
