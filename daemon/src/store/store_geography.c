/* store_geography.c -- see store_geography.h. */
#include "store/store_geography.h"

#include "referentiel/geo.h"
#include "store/stmt.h"
#include "store/store_sql.h"

int releve_store_geography_sync(releve_store *s, const releve_geography *g) {
  releve_stmt *st = NULL;
  size_t i;
  int id, rc = releve_store_prepare(s, RELEVE_SQL_GEO_PLACE_UPSERT, &st);

  for (id = 0; id < RELEVE_GEOGRAPHY_LISTS && rc == 0; id++) {
    const releve_geography_list *l = &g->lists[id];
    for (i = 0; i < l->n && rc == 0; i++) {
      const releve_geography_place *pl = &l->places[i];
      if ((rc = releve_stmt_bind_text(st, 1, pl->code)) == 0 &&
          (rc = releve_stmt_bind_text(st, 2, releve_geo_label(pl->code))) == 0 &&
          (rc = releve_stmt_bind_text(st, 3, releve_geography_vintage(pl->code))) == 0 &&
          (rc = releve_stmt_bind_text(st, 4, pl->name)) == 0)
        rc = releve_stmt_run(st);
      releve_stmt_reset(st);
    }
  }
  releve_stmt_finalize(st);
  return rc;
}
