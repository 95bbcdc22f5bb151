#include "pull/scheduler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/transfer.h"
#include "util/log.h"
#include "util/timers.h"
#include "pull/pull.h"
#include "config/source.h"
#include "store/store.h"

enum job { JOB_NONE, JOB_PREPARE, JOB_FINISH };

typedef struct entry {
  releve_scheduler *p;
  const releve_source *src;
  char *incoming, *staging;
  releve_pull_dirs dirs;
  time_t next_regular; /* the next run the schedule asks for */
  int failures;        /* in a row */
  int busy;            /* a pull is under way */
  enum job job;        /* the pool step it waits for or runs */
  struct entry *next_job;
  releve_pull *pull;
  int rc; /* of the last pool step */
  releve_pull_result res;
  int notify_rc;
} entry;

struct releve_scheduler {
  uv_loop_t *loop;
  releve_sources sources;
  entry *entries;
  size_t n;
  releve_store store;
  int store_open;
  releve_transfer *fetch;
  char *from, *coordinator;
  uv_work_t work;
  entry *job_head, *job_tail, *job_running;
  int closing;
  releve_timers *timers; /* until closed */
  void (*closed)(void *data);
  void *closed_data;
};

static void run_jobs(releve_scheduler *p);
static void maybe_free(releve_scheduler *p);

/* ---- scheduling ----------------------------------------------------------- */

static void arm(entry *e, time_t due) {
  if (!e->p->closing) /* a step that ends after the close arms nothing */
    releve_timers_arm(e->p->timers, (size_t)(e - e->p->entries), due);
}

static time_t next_run(const entry *e, time_t after) {
  return releve_schedule_after(&e->src->schedule, after);
}

static time_t retry_at(const entry *e, time_t from) {
  return releve_schedule_retry_at(e->src->retry_seconds, e->failures, from, e->next_regular);
}

static void queue_job(entry *e, enum job job) {
  releve_scheduler *p = e->p;
  e->job = job;
  e->next_job = NULL;
  if (p->job_tail)
    p->job_tail->next_job = e;
  else
    p->job_head = e;
  p->job_tail = e;
  run_jobs(p);
}

static void on_tick(void *ud, size_t i) {
  releve_scheduler *p = ud;
  entry *e = &p->entries[i];
  time_t now = time(NULL);

  if (e->busy)
    return;
  if (now >= e->next_regular)
    e->next_regular = next_run(e, now);
  e->busy = 1;
  queue_job(e, JOB_PREPARE);
}

/* ---- steps on the thread pool ------------------------------------------ */

static void job_work(uv_work_t *w) {
  releve_scheduler *p = w->data;
  entry *e = p->job_running;

  if (e->job == JOB_PREPARE) {
    e->rc = releve_pull_prepare(e->src, &e->dirs, &p->store, &e->pull);
    return;
  }
  e->rc = releve_pull_finish(e->pull, &p->store, &e->res);
  e->pull = NULL;
  e->notify_rc = 1; /* no mail due */
  if (e->rc == 0 && e->res.outcome == RELEVE_PULL_FAILED && e->res.recorded &&
      e->res.failures == e->src->notify_after_failures)
    e->notify_rc = releve_pull_notify(&p->store, e->src, p->from, p->coordinator, &e->res);
}

static void on_transferred(void *data, CURL *easy, CURLcode result) {
  entry *e = data;
  (void)easy;
  releve_pull_transferred(e->pull, result);
  queue_job(e, JOB_FINISH);
}

static void after_prepare(entry *e) {
  releve_scheduler *p = e->p;
  CURL *easy;
  int rc;

  if (e->rc == -EBUSY) {
    releve_info("pull %s: another process is pulling it; trying again in %d s", e->src->id,
                e->src->retry_seconds);
    e->busy = 0;
    if (!p->closing)
      arm(e, time(NULL) + e->src->retry_seconds);
    return;
  }
  if (e->rc) {
    e->failures++;
    releve_err("pull %s: cannot start (%s); trying again in %ld s", e->src->id, strerror(-e->rc),
               (long)(retry_at(e, time(NULL)) - time(NULL)));
    e->busy = 0;
    if (!p->closing)
      arm(e, retry_at(e, time(NULL)));
    return;
  }
  easy = releve_pull_handle(e->pull);
  if (easy && !p->closing) {
    rc = releve_transfer_add(p->fetch, easy, on_transferred, e);
    if (rc == 0)
      return;
    releve_pull_transferred(e->pull, CURLE_FAILED_INIT);
  }
  queue_job(e, JOB_FINISH);
}

static void after_finish(entry *e) {
  releve_scheduler *p = e->p;
  const releve_pull_result *r = &e->res;
  time_t now = time(NULL), due;

  e->busy = 0;
  if (e->rc) {
    releve_err("pull %s: %s", e->src->id, strerror(-e->rc));
  } else if (p->closing && r->outcome == RELEVE_PULL_FAILED && !r->recorded) {
    releve_info("pull %s: abandoned at shutdown", e->src->id);
  } else if (r->outcome == RELEVE_PULL_FAILED) {
    e->failures = r->recorded ? r->failures : e->failures + 1;
    due = retry_at(e, now);
    releve_warn("pull %s: failed (%d in a row): %s; next attempt in %ld s", e->src->id, e->failures,
                r->error, (long)(due - now));
    if (!r->recorded)
      releve_warn("pull %s: the failure could not be recorded in the database", e->src->id);
    if (e->notify_rc == 0)
      releve_log(RELEVE_NOTICE, "pull %s: %d failures in a row; mail to the coordinator queued",
                 e->src->id, e->failures);
    else if (e->notify_rc < 0)
      releve_err("pull %s: %d failures in a row and the coordinator could not be told (%s)",
                 e->src->id, e->failures,
                 e->notify_rc == -ENOENT ? "no mail.coordinator configured"
                                         : strerror(-e->notify_rc));
    if (!p->closing)
      arm(e, due);
  } else {
    e->failures = 0;
    if (r->outcome == RELEVE_PULL_DROPPED)
      releve_info("pull %s: dropped %s/%s (%llu bytes, sha256 %.12s)", e->src->id, e->incoming,
                  r->dropped, r->size, r->sha256);
    else
      releve_info("pull %s: %s%s", e->src->id, releve_pull_outcome_word(r->outcome),
                  r->outcome == RELEVE_PULL_NOT_MODIFIED
                      ? " (304)"
                      : " (same sha256 as the last body): nothing dropped");
    if (!r->recorded)
      releve_warn("pull %s: the outcome could not be recorded in the database", e->src->id);
    if (!p->closing)
      arm(e, e->next_regular);
  }
  releve_pull_result_free(&e->res);
}

static void after_job(uv_work_t *w, int status) {
  releve_scheduler *p = w->data;
  entry *e = p->job_running;
  enum job job = e->job;
  (void)status;

  p->job_running = NULL;
  e->job = JOB_NONE;
  if (job == JOB_PREPARE)
    after_prepare(e);
  else
    after_finish(e);
  run_jobs(p);
  maybe_free(p);
}

static void run_jobs(releve_scheduler *p) {
  entry *e;

  while (p->job_running == NULL && (e = p->job_head) != NULL) {
    p->job_head = e->next_job;
    if (p->job_head == NULL)
      p->job_tail = NULL;
    e->next_job = NULL;
    if (p->closing && e->job == JOB_PREPARE) { /* not started: nothing to undo */
      e->job = JOB_NONE;
      e->busy = 0;
      continue;
    }
    p->job_running = e;
    p->work.data = p;
    if (uv_queue_work(p->loop, &p->work, job_work, after_job) != 0) {
      /* Only fails on bad arguments; run the step here rather than lose it. */
      job_work(&p->work);
      after_job(&p->work, 0);
    }
  }
}

/* ---- start and stop ------------------------------------------------------- */

static int load_row(void *ud, const char *source, time_t last_attempt, time_t last_success,
                    int failures, const char *last_error) {
  releve_scheduler *p = ud;
  size_t i;
  (void)last_success;
  (void)last_error;
  for (i = 0; i < p->n; i++) {
    entry *e = &p->entries[i];
    if (strcmp(e->src->id, source) != 0)
      continue;
    e->failures = failures;
    /* Runs and retries missed while the daemon was down are done at start. */
    if (last_attempt) {
      e->next_regular = next_run(e, last_attempt);
      if (failures > 0)
        e->next_regular = retry_at(e, last_attempt);
    }
  }
  return 0;
}

static void free_poller(releve_scheduler *p) {
  size_t i;
  for (i = 0; i < p->n; i++) {
    free(p->entries[i].incoming);
    free(p->entries[i].staging);
  }
  free(p->entries);
  if (p->store_open)
    releve_store_close(&p->store);
  releve_sources_free(&p->sources);
  releve_timers_free(p->timers);
  free(p->from);
  free(p->coordinator);
  free(p);
}

static void maybe_free(releve_scheduler *p) {
  void (*closed)(void *) = p->closed;
  void *data = p->closed_data;
  if (!p->closing || p->timers || p->job_running || p->job_head)
    return;
  free_poller(p);
  if (closed)
    closed(data);
}

static void on_timers_closed(void *ud) {
  releve_scheduler *p = ud;
  p->timers = NULL;
  maybe_free(p);
}

static void on_abandoned(void *data, CURL *easy) {
  entry *e = data;
  (void)easy;
  queue_job(e, JOB_FINISH); /* removes the staging file, records nothing */
}

void releve_scheduler_close(releve_scheduler *p, void (*closed)(void *data), void *data) {
  if (p->closing)
    return;
  p->closing = 1;
  p->closed = closed;
  p->closed_data = data;
  releve_transfer_close(p->fetch, on_abandoned);
  p->fetch = NULL;
  releve_timers_close(p->timers, on_timers_closed);
}

int releve_scheduler_start(uv_loop_t *loop, const releve_config *cfg, releve_scheduler **out) {
  releve_scheduler *p;
  time_t now = time(NULL);
  size_t i;
  int rc;

  *out = NULL;
  p = calloc(1, sizeof *p);
  if (p == NULL)
    return -ENOMEM;
  p->loop = loop;
  /* A copy: after a reload the old scheduler outlives its configuration
   * until its transfers are done. */
  rc = releve_sources_copy(&cfg->sources, &p->sources);
  if (rc == 0 && p->sources.n == 0) {
    free_poller(p);
    return 0;
  }
  if (rc == 0 && (p->entries = calloc(p->sources.n, sizeof *p->entries)) == NULL)
    rc = -ENOMEM;
  for (i = 0; rc == 0 && i < p->sources.n; i++) {
    entry *e = &p->entries[i];
    e->p = p;
    e->src = &p->sources.items[i];
    p->n++;
    rc = releve_pull_dirs_for(cfg, e->src, &e->incoming, &e->staging);
    e->dirs.incoming = e->incoming;
    e->dirs.staging = e->staging;
    e->next_regular = e->src->schedule.interval ? now : next_run(e, now);
  }
  if (rc == 0 && ((p->from = strdup(cfg->mail_from)) == NULL ||
                  (cfg->coordinator && (p->coordinator = strdup(cfg->coordinator)) == NULL)))
    rc = -ENOMEM;
  if (rc == 0 && (rc = releve_store_open(&p->store, cfg->database, RELEVE_STORE_RW)) == 0)
    p->store_open = 1;
  if (rc == 0)
    rc = releve_pull_rows(&p->store, load_row, p);
  if (rc == 0)
    rc = releve_timers_new(p->n, on_tick, p, &p->timers);
  if (rc == 0)
    rc = releve_transfer_init(loop, &p->fetch);
  if (rc) {
    free_poller(p);
    return rc;
  }
  releve_timers_start(p->timers, loop);
  for (i = 0; i < p->n; i++) {
    entry *e = &p->entries[i];
    if (e->next_regular < now)
      e->next_regular = now;
    arm(e, e->next_regular);
    releve_info("pull %s: %s every \"%s\" into %s, next in %ld s", e->src->id, e->src->url,
                e->src->schedule_text, e->incoming, (long)(e->next_regular - now));
  }
  *out = p;
  return 0;
}
