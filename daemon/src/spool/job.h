/* job.h -- one partner file, from its claim to its settling, on the
 * daemon's loop:
 *
 *   prepare (thread pool)  claim: rename incoming/ → processing/, check the
 *                          entry, refuse links and non-regular files;
 *                          releve_ingest_begin(): open, hash (no lock)
 *   decode  (child)        supervise.c; rows reach the loop over a pipe and
 *                          are checked and kept in a rowspool (a temporary
 *                          file): no transaction is open, so `releve ingest`
 *                          and `releve remind` write meanwhile
 *   finish  (thread pool)  releve_ingest_replay() and _finish(): BEGIN
 *                          IMMEDIATE, map, validate, COMMIT or roll back;
 *                          move to archive/ or rejected/ with the report,
 *                          fsync'ed
 *
 * Several jobs run at once (of different actors: the daemon sees to that),
 * but their thread-pool steps and their forks take turns: the single
 * SQLite connection is never used by two threads at once, and fork() never
 * happens while a pool thread holds a lock of ours. What runs side by side
 * is the decoding, the long part: one hung plugin no longer holds back the
 * files of other actors.
 *
 * A job logs what becomes of its file; the daemon only counts. */
#ifndef RELEVE_JOB_H
#define RELEVE_JOB_H

#include <stddef.h>
#include <uv.h>

#include "config/config.h"
#include "ingest/ingest.h"
#include "store/store.h"

/* What every job shares with the daemon; the daemon owns it and changes
 * it only while no job runs (at reload). */
typedef struct releve_job_env {
  uv_loop_t *loop;
  const releve_config *cfg;
  releve_store *store;
  const releve_ingest_env *ingest;
  char **incoming, **processing, **archive, **rejected; /* one per actor */
  char **fault;              /* per actor: why its plugins cannot serve, or NULL */
  const char **fault_plugin; /* per actor: the plugin at fault */
  int *held;                 /* per actor: its fault is recorded in the database */
  /* The turn of the thread pool and fork: one step at a time. */
  struct releve_job *turn_head, *turn_tail;
  int turn_busy;
} releve_job_env;

/* Which file to take. */
typedef struct releve_job_request {
  size_t actor;       /* index in cfg->actors */
  const char *name;   /* its name in incoming/ or processing/ */
  int processing;     /* found in processing/ (a retry) */
  int unreadable;     /* could not be opened often enough: refuse it */
} releve_job_request;

/* What became of the file. */
typedef enum releve_job_state {
  RELEVE_JOB_SETTLED,  /* recorded and in archive/ or rejected/ */
  RELEVE_JOB_LATER,    /* too recent: taken after later_seconds */
  RELEVE_JOB_WAITING,  /* gone, held back by a plugin fault, or moved back to incoming/ */
  RELEVE_JOB_RETRY,    /* nothing decided: taken again at the next rescan */
} releve_job_state;

typedef struct releve_job_done_info {
  size_t actor;
  const char *name;         /* as found */
  const char *claimed_name; /* its name in processing/, or NULL */
  releve_job_state state;
  releve_outcome outcome;   /* RELEVE_JOB_SETTLED */
  double later_seconds;     /* RELEVE_JOB_LATER */
  int could_not_open;       /* RELEVE_JOB_RETRY: EACCES or EPERM on opening */
  int stuck;                /* recorded, but it could not leave processing/ */
  int mail;                 /* a mail was queued (receipt, fault notice) */
} releve_job_done_info;

typedef struct releve_job releve_job;
typedef void (*releve_job_done_cb)(void *ud, const releve_job_done_info *info);

/* Starts the job of one file; done runs once, on the loop, when the file is
 * settled or left for later, and the job is freed right after it. 0, or a
 * negative errno (then done never runs). */
int releve_job_start(releve_job_env *env, const releve_job_request *req, releve_job_done_cb done,
                     void *ud);

#endif
