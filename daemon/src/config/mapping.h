/* mapping.h -- checking an actor's "mapping" (the rules ingest/map.h
 * applies to a plugin's rows, documented there) when the configuration is
 * loaded. */
#ifndef RELEVE_MAPPING_H
#define RELEVE_MAPPING_H

#include <jansson.h>

#include "util/json.h"
#include "referentiel/referentiel.h"

/* Checks a mapping object: keys, kinds, ops, and that every indicator named
 * exists and belongs to actor. Problems go to c->diags under path. */
void releve_mapping_check(json_t *mapping, const releve_jctx *c, const char *path,
                          const releve_referentiel *ref, const char *actor);

#endif
