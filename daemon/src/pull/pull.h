/* pull.h -- one pull of one source, in three steps:
 *
 *   releve_pull_prepare()   blocking (thread pool, or the CLI): takes the
 *                           source's lock, reads its row of the pulls table
 *                           and its secret files, opens the staging file,
 *                           builds the curl handle (conditional request:
 *                           If-None-Match / If-Modified-Since)
 *   the transfer            on a loop (transfer.h); received bytes go to the
 *                           staging file, refused beyond max_bytes
 *   releve_pull_finish()    blocking: fsync, sha256; a body different from
 *                           the last one is moved into the actor's
 *                           incoming/ (never over an existing file, see
 *                           claim.h) and the folder fsync'ed; records the
 *                           outcome in the pulls table
 *
 * The staging file is SPOOL/<actor>/pulls/<source>/<file_name>, on the
 * spool's file system so that the move is a rename; the daemon never looks
 * there. A 304, an identical body and a failure leave nothing behind. */
#ifndef RELEVE_PULL_H
#define RELEVE_PULL_H

#include <curl/curl.h>
#include <time.h>

#include "config/source.h"
#include "store/store.h"

typedef enum releve_pull_outcome {
  RELEVE_PULL_FAILED = 0,
  RELEVE_PULL_NOT_MODIFIED, /* 304: nothing written */
  RELEVE_PULL_UNCHANGED,    /* same sha256 as the last body: not dropped again */
  RELEVE_PULL_DROPPED       /* a new body is in incoming/ */
} releve_pull_outcome;

typedef struct releve_pull_result {
  releve_pull_outcome outcome;
  char *dropped; /* DROPPED: its name in incoming/ */
  char *error;   /* FAILED: why, in English, without secrets */
  int failures;  /* consecutive failures, this one included */
  int recorded;  /* the pulls table was updated */
  unsigned long long size;
  char sha256[65];
} releve_pull_result;

typedef struct releve_pull releve_pull;

/* Where a source's files go: the actor's incoming/ and the staging folder
 * (made when missing). */
typedef struct releve_pull_dirs {
  const char *incoming;
  const char *staging;
} releve_pull_dirs;

/* The actor's incoming/ and the source's staging folder, malloc'ed.
 * Returns 0 or -ENOMEM. */
int releve_pull_dirs_for(const releve_config *cfg, const releve_source *src, char **incoming,
                         char **staging);

/* Prepares a pull. On success *out is set even when preparing failed (a
 * secret file unreadable, the staging file not writable): then
 * releve_pull_handle() is NULL and finish() records the failure. Returns
 * -EBUSY when another process is pulling this source (nothing to record),
 * or -ENOMEM. src and dirs must outlive the pull. */
int releve_pull_prepare(const releve_source *src, const releve_pull_dirs *dirs, releve_store *store,
                        releve_pull **out);
/* The transfer to run, or NULL when there is nothing to run. */
CURL *releve_pull_handle(releve_pull *p);
/* Records how the transfer ended (from the fetch callback). */
void releve_pull_transferred(releve_pull *p, CURLcode result);
/* Finishes (see above), fills res and frees p. Returns 0, or a negative
 * errno when even the outcome could not be determined (out of memory). */
int releve_pull_finish(releve_pull *p, releve_store *store, releve_pull_result *res);
void releve_pull_result_free(releve_pull_result *res);

/* Tells the coordinator, by a mail queued in the outbox, that src has
 * failed res->failures times in a row. Returns 0, -ENOENT when no
 * coordinator is configured, or a negative errno value. */
int releve_pull_notify(releve_store *store, const releve_source *src, const char *from,
                       const char *coordinator, const releve_pull_result *res);

/* Calls cb for each row of the pulls table (times are 0 when never). */
typedef int (*releve_pull_row_cb)(void *ud, const char *source, time_t last_attempt,
                                  time_t last_success, int failures, const char *last_error);
int releve_pull_rows(releve_store *store, releve_pull_row_cb cb, void *ud);

/* A word for an outcome: "not modified", "unchanged", "dropped", "failed". */
const char *releve_pull_outcome_word(releve_pull_outcome o);

#endif
