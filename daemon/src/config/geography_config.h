/* geography_config.h -- the top-level "geography" key: which list file is
 * loaded for each vintage (referentiel/geography.h), e.g.
 *   "geography": {"qpv_2015": "geography/qpv_2015_paris.csv",
 *                 "qpv_2024": "/srv/releve/qpv_2024.csv",
 *                 "qva": null, "arrondissements": "geography/arrondissements_paris.csv"}
 * A path resolves against the configuration's folder; null loads no list
 * for that vintage (its codes are then checked by their pattern only). An
 * absent "qpv_2015" or "arrondissements" takes the list shipped with the
 * project (compiled in: the 20 QPV of Paris of 2015, the 20
 * arrondissements); an absent "qpv_2024" or "qva", none: the 2024 lists are
 * not shipped. */
#ifndef RELEVE_GEOGRAPHY_CONFIG_H
#define RELEVE_GEOGRAPHY_CONFIG_H

#include "config/config.h"
#include "util/json.h"

/* Fills cfg->geography, each list refused with its file, line and column
 * in c's diagnostics. Call after "addresses", whose qva_pattern decides
 * what a QVA code is. */
void releve_geography_config_load(releve_config *cfg, const releve_jctx *c);

#endif
