/* ingest_int.h -- the ingest's state, shared by its files: ingest.c (begin,
 * reader, outcome), rows.c (the rows replayed into it, each figure stored),
 * recorded.c (a retried file's outcome given back) and ingest_file.c (the
 * whole way for `releve ingest`). Not for other modules: they use ingest.h. */
#ifndef RELEVE_INGEST_INT_H
#define RELEVE_INGEST_INT_H

#include "ingest/ingest.h"
#include "ingest/map.h"
#include "referentiel/geo.h"
#include "report/report.h"
#include "store/figures.h"
#include "util/cellset.h"

struct releve_ingest {
  const releve_ingest_env *env;
  releve_ingest_request req;
  const char *name;
  char *name_escaped; /* the name as recorded and reported, when it needed escaping */
  int fd;
  char sha256[65];
  unsigned long long size;
  const releve_actor *actor;
  /* env->cfg as the actor's contract sees it: its référentiel, years and
   * vintage check the figures, stored under its id. */
  releve_config contract;
  const releve_plugin *plugin;
  releve_reader_choice choice;
  releve_option_value *options;
  char *refusal;           /* the whole file is refused, before any row */
  char *message_id;        /* channel "mail": the partner's message it came in */
  long long duplicate_of;  /* submission that already stored these bytes */
  releve_ingest_result *recorded; /* recorded before a crash or a failed move (retry) */
  int in_txn;              /* BEGIN IMMEDIATE done (open_txn) */
  long long submission;
  char received_at[32];    /* the submission's time, shared by its figures */
  releve_mapper *mapper;
  int columns_seen;
  unsigned long rows;      /* rows the plugin gave */
  unsigned long bom_mixed_line; /* a BOM, then bytes that are not UTF-8 from this line */
  int stop;                /* a system failure: stop feeding */
  int sys_error;
  int added, changed, unchanged, empty;
  /* Of added, changed and unchanged (every figure stored), those kept for
   * information only: by kind of geography, and by state. */
  int context[RELEVE_GEO_NETWORK + 1];
  int context_qva; /* of the scopes', QVA figures that make a QP derivable */
  int context_states[3];
  releve_report report;
  releve_figures figures;    /* the file's statements, once its submission is inserted */
  releve_cellset *cells;     /* (indicator, period, geography) given so far */
  releve_cellset *pairs;     /* (indicator, period), also in ingest_pairs */
  releve_cellset *quartiers; /* quartier codes already recorded by this file */
  unsigned unlisted;          /* lists (1 << releve_geography_list_id) warned as not loaded */
};

/* A failure that is not the file's fault (memory, disk): stop feeding.
 * Returns the first such failure's value. */
int releve_ingest_sys_fail(releve_ingest *in, int rc);
/* Takes the write lock at the first row (ingest.c); 0 or sys_error. */
int releve_ingest_open_txn(releve_ingest *in);
/* Whether the file holds personal data: the actor says so, or the plugin
 * reading it declares person-level records (privacy.h). */
int releve_ingest_personal(const releve_ingest *in);
/* Looks for the submission that recorded this retried file (recorded.c):
 * in->recorded is set when one did. 0 or a negative errno value. */
int releve_ingest_find_recorded(releve_ingest *in);
/* The mapper's callbacks, into the report and the store (rows.c). */
int releve_ingest_on_candidate(void *ud, const releve_candidate *c);
void releve_ingest_on_map_error(void *ud, unsigned long line, unsigned column,
                                const char *value, const char *message);
void releve_ingest_on_map_note(void *ud, int warning, const char *message);

#endif
