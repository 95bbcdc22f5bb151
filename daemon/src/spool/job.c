/* job.c -- one partner file from its claim to its settling (job.h). */
#include "spool/job.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <uv.h>

#include "decode/plugin_fault.h"
#include "decode/supervise.h"
#include "receipt/receipt.h"
#include "spool/claim.h"
#include "spool/spool.h"
#include "util/log.h"
#include "util/str.h"

/* How long an empty file in incoming/ is left alone at least (seconds). */
#define EMPTY_QUIET_SECONDS 2

/* What happened to the file in hand. */
enum step_result { R_NONE, R_GONE, R_LATER, R_HELD, R_INGEST, R_RETRY, R_FAILED };

struct releve_job {
  releve_job_env *env;
  releve_job_done_cb done;
  void *ud;
  struct releve_job *turn_next; /* waiting for the turn */
  uv_work_cb turn_work;         /* the pool step to run, or NULL: the fork */
  uv_after_work_cb turn_after;
  uv_work_t work;
  size_t actor;
  char *found;     /* its name as found in incoming/ or processing/ */
  int processing;  /* found in processing/ */
  int unreadable;  /* tried often enough already: refuse it */
  char *name;      /* its name in processing/ */
  char *path;      /* processing/<name> */
  enum step_result result;
  int rc;          /* a negative errno value for R_RETRY / R_FAILED */
  double wait;     /* R_LATER: seconds until the quiet period ends */
  const char *refusal; /* refused without being read (releve_ingest_request) */
  struct stat claimed; /* size and time when claimed, to see a file still being written */
  int changed;     /* it was: moved back to incoming/, nothing stored */
  int new_fault;   /* R_HELD: the fault was recorded (and mailed) just now */
  releve_ingest *in;
  releve_rowspool spool; /* the plugin's rows, until the transaction */
  int spooled;           /* spool is open */
  int decode_rc;
  char *failure;
  releve_ingest_result res;
  int finish_rc;
  int settle_rc;    /* recorded, but not moved out of processing/ */
  char *final_name; /* in archive/ or rejected/ */
};

/* ---- turns ---------------------------------------------------------------- */

static void turn_next(releve_job_env *env);

static void run_turn(releve_job *j) {
  releve_job_env *env = j->env;
  env->turn_busy = 1;
  if (j->turn_work) {
    j->work.data = j;
    uv_queue_work(env->loop, &j->work, j->turn_work, j->turn_after);
    return;
  }
  j->turn_after(&j->work, 0); /* a loop step (the fork): done before the next turn */
  env->turn_busy = 0;
  turn_next(env);
}

static void turn_next(releve_job_env *env) {
  releve_job *j;
  if (env->turn_busy || (j = env->turn_head) == NULL)
    return;
  env->turn_head = j->turn_next;
  if (env->turn_head == NULL)
    env->turn_tail = NULL;
  j->turn_next = NULL;
  run_turn(j);
}

/* Runs work on the thread pool (or, without work, after on the loop) when
 * no other job's step runs; after must call turn_done() first. */
static void take_turn(releve_job *j, uv_work_cb work, uv_after_work_cb after) {
  releve_job_env *env = j->env;
  j->turn_work = work;
  j->turn_after = after;
  if (env->turn_tail)
    env->turn_tail->turn_next = j;
  else
    env->turn_head = j;
  env->turn_tail = j;
  turn_next(env);
}

/* The end of a pool step: the next job's step may run. */
static void turn_done(releve_job *j) {
  if (j->turn_work) {
    j->env->turn_busy = 0;
    turn_next(j->env);
  }
}

/* ---- the end ------------------------------------------------------------ */

static void job_free(releve_job *j) {
  if (j->in)
    releve_ingest_abort(j->in);
  if (j->spooled)
    releve_rowspool_close(&j->spool);
  free(j->found);
  free(j->name);
  free(j->path);
  free(j->failure);
  free(j->final_name);
  releve_ingest_result_free(&j->res);
  free(j);
}

static void job_done(releve_job *j, releve_job_state state) {
  releve_job_done_info info;
  memset(&info, 0, sizeof info);
  info.actor = j->actor;
  info.name = j->found;
  info.claimed_name = j->name;
  info.state = state;
  info.outcome = j->res.outcome;
  info.later_seconds = j->wait;
  info.could_not_open = state == RELEVE_JOB_RETRY && (j->rc == -EACCES || j->rc == -EPERM);
  info.stuck = state == RELEVE_JOB_SETTLED && j->settle_rc != 0;
  info.mail = j->new_fault || state == RELEVE_JOB_SETTLED;
  j->done(j->ud, &info);
  job_free(j);
}

/* ---- prepare (thread pool) ---------------------------------------------- */

static const char bad_name[] =
    "nom de fichier refusé : il contient un caractère de contrôle (retour à la ligne, "
    "tabulation…) ou des octets qui ne sont pas du texte UTF-8 ; renommez le fichier avec des "
    "lettres, des chiffres, « . », « - » ou « _ » et déposez-le à nouveau";
static const char unreadable_file[] =
    "le serveur ne peut pas lire ce fichier (droits d'accès) ; déposez-le à nouveau, lisible "
    "par le service relevé";

/* The file waits in incoming/ while the server cannot read it. */
static void hold(releve_job *j) {
  releve_job_env *e = j->env;
  size_t a = j->actor;
  if (j->processing) {
    char *back = NULL;
    int rc = releve_claim_move(e->processing[a], j->found, e->incoming[a], &back);
    free(back);
    if (rc) {
      j->result = rc == -ENOENT ? R_GONE : R_FAILED;
      j->rc = rc;
      return;
    }
  }
  j->result = R_HELD;
  if (!e->held[a]) {
    j->rc = releve_plugin_fault_hold(e->store, e->cfg, &e->cfg->actors[a], e->fault_plugin[a],
                                     e->fault[a], j->found, &j->new_fault);
    e->held[a] = j->rc == 0;
  }
}

/* 1 when a file in incoming/ is still within its quiet period. */
static int too_recent(releve_job *j) {
  const releve_config *cfg = j->env->cfg;
  struct stat st;
  char *p = releve_str_printf("%s/%s", j->env->incoming[j->actor], j->found);
  int rc = p && lstat(p, &st) == 0 ? 0 : -errno;
  free(p);
  if (rc == 0) {
    /* An empty file is most often an upload that has just begun: it
     * gets a short quiet period even when none is configured. */
    double quiet = st.st_size == 0 && cfg->quiet_seconds < EMPTY_QUIET_SECONDS
                       ? EMPTY_QUIET_SECONDS
                       : cfg->quiet_seconds;
    double age = difftime(time(NULL), st.st_mtime);
    if (age < quiet) {
      j->result = R_LATER;
      j->wait = quiet - age;
      return 1;
    }
  }
  return 0;
}

/* incoming/ → processing/, under a safe name when the partner's cannot be
 * logged, reported or mailed as it is (refused, the original escaped in
 * the report). */
static int claim(releve_job *j) {
  releve_job_env *e = j->env;
  char *safe = NULL;
  int rc;
  if (!releve_log_clean_name(j->found)) {
    if ((safe = releve_log_safe_name(j->found)) == NULL)
      return -ENOMEM;
    j->refusal = bad_name;
  }
  rc = releve_claim_move_as(e->incoming[j->actor], j->found, e->processing[j->actor], safe,
                            NAME_MAX, NULL, NULL, &j->name);
  free(safe);
  return rc;
}

static void prepare_work(uv_work_t *w) {
  releve_job *j = w->data;
  releve_job_env *e = j->env;
  releve_ingest_request req;
  int rc;

  if (e->fault[j->actor]) {
    hold(j);
    return;
  }
  if (!j->processing) {
    if (too_recent(j))
      return;
    if ((rc = claim(j)) != 0) {
      j->result = rc == -ENOENT ? R_GONE : R_FAILED;
      j->rc = rc;
      return;
    }
  } else if ((j->name = strdup(j->found)) == NULL) {
    j->result = R_FAILED;
    j->rc = -ENOMEM;
    return;
  }
  if (j->unreadable) {
    j->refusal = unreadable_file;
  } else if (j->refusal == NULL) {
    rc = releve_claim_check(e->processing[j->actor], j->name);
    if (rc < 0) {
      j->result = rc == -ENOENT ? R_GONE : R_RETRY;
      j->rc = rc;
      return;
    }
    j->refusal = releve_claim_reason((releve_claim_kind)rc);
  }
  j->path = releve_str_printf("%s/%s", e->processing[j->actor], j->name);
  if (j->path == NULL || lstat(j->path, &j->claimed) != 0) {
    j->result = j->path == NULL ? R_RETRY : R_GONE;
    j->rc = j->path == NULL ? -ENOMEM : -errno;
    return;
  }
  memset(&req, 0, sizeof req);
  req.actor = e->cfg->actors[j->actor].id;
  req.path = j->path;
  req.name = j->found; /* as the partner named it */
  req.channel = "spool";
  req.on_outcome = releve_receipt_on_outcome;
  req.retry = j->processing;
  req.refusal = j->refusal;
  rc = releve_ingest_begin(e->ingest, &req, &j->in);
  if (rc == 0 && releve_ingest_wants_reader(j->in)) {
    if ((rc = releve_ingest_open_spool(e->ingest, &j->spool)) != 0) {
      releve_ingest_abort(j->in);
      j->in = NULL;
    }
    j->spooled = rc == 0;
  }
  j->result = rc ? R_RETRY : R_INGEST;
  j->rc = rc;
}

/* ---- finish (thread pool) ------------------------------------------------ */

/* Whether the file was written to after it was claimed (a partner writing
 * it in place, without a temporary name): then it is not complete yet. */
static int still_written(const releve_job *j) {
  struct stat st;
  return lstat(j->path, &st) == 0 &&
         (st.st_size != j->claimed.st_size || st.st_mtim.tv_sec != j->claimed.st_mtim.tv_sec ||
          st.st_mtim.tv_nsec != j->claimed.st_mtim.tv_nsec);
}

/* Into archive/ or rejected/ with its report. A personal-data file is
 * never archived as is: the report alone goes there, the file is deleted
 * or kept in personal/. */
static int settle(releve_job *j) {
  releve_job_env *e = j->env;
  const releve_actor *act = &e->cfg->actors[j->actor];
  const char *to = j->res.outcome == RELEVE_REFUSED ? e->rejected[j->actor] : e->archive[j->actor];
  char *kept;
  int rc;
  if (!act->personal_data)
    return releve_claim_settle(e->processing[j->actor], j->name, to, j->res.report,
                               &j->final_name);
  kept = act->keep_days > 0 ? releve_spool_personal_path(e->cfg, act->id) : NULL;
  rc = act->keep_days > 0 && kept == NULL
           ? -ENOMEM
           : releve_claim_settle_personal(e->processing[j->actor], j->name, to, kept,
                                          j->res.report, &j->final_name);
  free(kept);
  return rc;
}

static void finish_work(uv_work_t *w) {
  releve_job *j = w->data;
  releve_job_env *e = j->env;
  int rc = 0;

  if (j->refusal == NULL && still_written(j)) {
    /* Nothing stored: the file waits in incoming/ again, for its quiet
     * period, and is read whole once its writer is done. */
    char *back = NULL;
    releve_ingest_abort(j->in);
    j->in = NULL;
    j->changed = 1;
    j->finish_rc = releve_claim_move(e->processing[j->actor], j->name, e->incoming[j->actor],
                                     &back);
    free(back);
    return;
  }
  if (j->spooled && (rc = releve_ingest_replay(j->in, &j->spool, &j->decode_rc)) != 0) {
    releve_ingest_abort(j->in); /* nothing decided: the file stays in processing/ */
    j->in = NULL;
    j->finish_rc = rc;
    return;
  }
  rc = releve_ingest_finish(j->in, j->decode_rc, j->failure, &j->res);
  j->in = NULL;
  j->finish_rc = rc;
  if (rc == 0) /* else nothing stored: the file stays in processing/ for a retry */
    j->settle_rc = settle(j);
}

static const char *outcome_word(releve_outcome o) {
  return o == RELEVE_ACCEPTED ? "accepted" : o == RELEVE_DUPLICATE ? "already received" : "refused";
}

static void after_finish(uv_work_t *w, int status) {
  releve_job *j = w->data;
  const releve_actor *act = &j->env->cfg->actors[j->actor];
  (void)status;

  turn_done(j);
  if (j->changed) {
    if (j->finish_rc)
      releve_err("%s/%s: written to while it was read; moving it back to incoming/ failed (%s): "
                 "retried at the next rescan", act->id, j->name, strerror(-j->finish_rc));
    else
      releve_warn("%s/%s: written to while it was read: nothing stored, back in incoming/ "
                  "until it is complete", act->id, j->found);
    job_done(j, RELEVE_JOB_WAITING);
    return;
  }
  if (j->finish_rc) {
    releve_err("%s/%s: not stored (%s); left in processing/, retried at the next rescan",
               act->id, j->name, strerror(-j->finish_rc));
    j->rc = j->finish_rc;
    job_done(j, RELEVE_JOB_RETRY);
    return;
  }
  if (j->settle_rc) {
    /* Found again at each rescan, settled with its recorded outcome: no
     * second receipt, however long it takes. */
    releve_err("%s/%s: recorded (submission %lld, %s) but it cannot leave processing/ (%s); "
               "moved at a later rescan, without a second receipt",
               act->id, j->name, j->res.submission, outcome_word(j->res.outcome),
               strerror(-j->settle_rc));
  } else {
    releve_info("%s/%s: %s (submission %lld: %d added, %d changed, %d unchanged, %d refused, "
                "%d warnings) -> %s/%s%s",
                act->id, j->found, outcome_word(j->res.outcome), j->res.submission, j->res.added,
                j->res.changed, j->res.unchanged, j->res.refused, j->res.warnings,
                j->res.outcome == RELEVE_REFUSED ? "rejected" : "archive",
                j->final_name ? j->final_name : j->name,
                !act->personal_data  ? ""
                : act->keep_days > 0 ? ".rapport.txt (personal data: file kept in personal/)"
                                     : ".rapport.txt (personal data: file deleted)");
  }
  job_done(j, RELEVE_JOB_SETTLED);
}

/* ---- decode (child) --------------------------------------------------------- */

/* The child's choice of reader; the ingest resolves its options. */
static int on_chosen(void *data, const releve_reader_choice *choice, const char *why) {
  releve_job *j = data;
  return releve_ingest_set_reader(j->in, choice, why);
}

static void on_decoded(void *data, int decode_rc, const char *failure) {
  releve_job *j = data;
  if (decode_rc == -ENOPKG) {
    /* The actor's options do not fit its reader: the configuration's
     * fault, not the file's; it stays in processing/ for a retry. */
    releve_err("%s/%s: cannot be ingested now (%s); retried at the next rescan",
               j->env->cfg->actors[j->actor].id, j->found, strerror(-decode_rc));
    j->rc = decode_rc;
    job_done(j, RELEVE_JOB_RETRY);
    return;
  }
  j->decode_rc = decode_rc;
  if (failure && (j->failure = strdup(failure)) == NULL)
    j->decode_rc = -ENOMEM;
  take_turn(j, finish_work, after_finish);
}

/* A loop step taken in turn: the fork. */
static void start_decode(uv_work_t *w, int status) {
  releve_job *j = w->data;
  const releve_config *cfg = j->env->cfg;
  releve_decode_spec spec;
  int rc;
  (void)status;

  if (!releve_ingest_wants_reader(j->in)) { /* refused already, or recorded */
    take_turn(j, finish_work, after_finish);
    return;
  }
  memset(&spec, 0, sizeof spec);
  spec.plugins = j->env->ingest->plugins;
  spec.actor = releve_ingest_actor(j->in);
  spec.forced = releve_ingest_forced(j->in);
  /* A duplicate is not decoded, but its report names its reader. */
  spec.choose_only = releve_ingest_is_duplicate(j->in);
  spec.chosen = on_chosen;
  spec.chosen_ctx = j;
  spec.fd = releve_ingest_fd(j->in);
  spec.file_name = j->found;
  spec.timeout_seconds = cfg->decode_timeout_seconds;
  spec.memory_mb = cfg->decode_memory_mb;
  spec.host = releve_rowspool_services();
  spec.host_ctx = &j->spool;
  spec.sheet = releve_rowspool_sheet;
  rc = releve_decode_start(j->env->loop, &spec, on_decoded, j);
  if (rc) {
    /* No decoder (fork failed, out of memory): nothing was decided about the
     * file, so give up without an outcome and leave it in processing/ for
     * the next rescan. */
    releve_err("%s/%s: the decoder could not be started (%s); retried at the next rescan",
               cfg->actors[j->actor].id, j->found, strerror(-rc));
    j->rc = rc;
    job_done(j, RELEVE_JOB_RETRY);
  }
}

static void after_prepare(uv_work_t *w, int status) {
  releve_job *j = w->data;
  const releve_job_env *e = j->env;
  const char *actor = e->cfg->actors[j->actor].id;
  (void)status;

  turn_done(j);
  switch (j->result) {
  case R_INGEST:
    j->work.data = j;
    take_turn(j, NULL, start_decode);
    return;
  case R_LATER:
    releve_debug("%s/%s: too recent, taken after the quiet period", actor, j->found);
    job_done(j, RELEVE_JOB_LATER);
    return;
  case R_GONE:
    releve_debug("%s/%s: gone before it was claimed", actor, j->found);
    break;
  case R_HELD:
    if (j->rc)
      releve_err("%s/%s: waits in incoming/ (%s); recording why failed: %s", actor, j->found,
                 e->fault[j->actor], strerror(-j->rc));
    else if (j->new_fault)
      releve_warn("%s/%s: waits in incoming/ (%s); the coordinator is told", actor, j->found,
                  e->fault[j->actor]);
    else
      releve_debug("%s/%s: waits in incoming/ (%s)", actor, j->found, e->fault[j->actor]);
    break;
  case R_RETRY:
  case R_FAILED:
    releve_err("%s/%s: %s (%s); retried at the next rescan", actor, j->found,
               j->result == R_RETRY ? "cannot be ingested now" : "cannot be claimed",
               strerror(-j->rc));
    job_done(j, RELEVE_JOB_RETRY);
    return;
  case R_NONE:
    break;
  }
  job_done(j, RELEVE_JOB_WAITING);
}

int releve_job_start(releve_job_env *env, const releve_job_request *req, releve_job_done_cb done,
                     void *ud) {
  releve_job *j = calloc(1, sizeof *j);
  if (j == NULL || (j->found = strdup(req->name)) == NULL) {
    free(j);
    return -ENOMEM;
  }
  j->env = env;
  j->done = done;
  j->ud = ud;
  j->actor = req->actor;
  j->processing = req->processing;
  j->unreadable = req->unreadable;
  take_turn(j, prepare_work, after_prepare);
  return 0;
}
