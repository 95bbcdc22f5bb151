/* store_geography.h -- the places of the loaded geography lists written to
 * the geographies table, each with its vintage and name, so that what is
 * read back from the database says which list a quartier is of. */
#ifndef RELEVE_STORE_GEOGRAPHY_H
#define RELEVE_STORE_GEOGRAPHY_H

#include "referentiel/geography.h"
#include "store/store.h"

/* Upserts every place of every loaded list of g (code, kind, vintage,
 * name), inside the caller's transaction. Returns 0 or a negative errno. */
int releve_store_geography_sync(releve_store *s, const releve_geography *g);

#endif
