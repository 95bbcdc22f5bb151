/* recorded.c -- a file found in processing/ after a crash, or after a move
 * that failed once its outcome was committed: when a submission of this
 * actor recorded these same bytes under its name (or the name it was
 * claimed under), that outcome and report are given back unchanged, so
 * that nothing is recorded or mailed twice (ingest.h, retry). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "store/submission.h"

int releve_ingest_find_recorded(releve_ingest *in) {
  releve_submission_found found;
  releve_ingest_result *r;
  int rc = releve_submission_recorded(in->env->store, in->actor->id, in->sha256, in->name,
                                      NAME_MAX, &found);
  if (rc <= 0)
    return rc;
  if ((r = in->recorded = calloc(1, sizeof *r)) == NULL) {
    free(found.report);
    return -ENOMEM;
  }
  r->report = found.report;
  r->submission = found.id;
  r->outcome = found.accepted ? RELEVE_ACCEPTED : RELEVE_REFUSED;
  r->added = found.added;
  r->changed = found.changed;
  r->unchanged = found.unchanged;
  r->refused = found.refused;
  r->warnings = found.warnings;
  r->size = in->size;
  memcpy(r->sha256, in->sha256, sizeof r->sha256);
  return 0;
}
