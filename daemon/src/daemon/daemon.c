/* daemon.c -- releved: one libuv loop that owns the spool folders, the
 * decoding children and the database writer.
 *
 * Files are handled one at a time, in the order found (processing/ first:
 * what a crash left there is run again, and the sha256 record turns a file
 * already committed into a duplicate, so every file counts exactly once).
 * One file goes through:
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
 * The loop thread itself only does bookkeeping, the fork and the row
 * feeding: begin (hashing a large file) and finish (COMMIT with
 * synchronous=FULL, fsyncs of reports and folders) are the long blocking
 * steps and run on the thread pool. Only one step of one file runs at any
 * time, so the single SQLite connection is never used by two threads at
 * once, and fork() never happens while a pool thread holds a lock of ours.
 *
 * Folder listings (the scan) run on the loop: they are short local
 * readdir() calls.
 *
 * An actor whose plugin cannot serve (missing, refused, options it does
 * not take: plugin_check.h) has its files held: prepare leaves them in
 * incoming/ (or moves them back there from processing/) and records the
 * fault once, with one mail to the coordinator (plugin_fault.h).
 *
 * Mail (reminders, receipts, the outbox) is mailer.c's, on the thread pool
 * with its own SQLite connection. A file's receipt is queued by the ingest,
 * in the transaction that stores its outcome, on this connection; a reload
 * waits until no mail job reads the configuration. */
#include "daemon/daemon.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "spool/claim.h"
#include "config/config.h"
#include "referentiel/geo.h"
#include "ingest/ingest.h"
#include "util/log.h"
#include "remind/mailer.h"
#include "util/notify.h"
#include "decode/plugin_check.h"
#include "decode/plugin_fault.h"
#include "decode/plugin_host.h"
#include "pull/scheduler.h"
#include "config/privacy.h"
#include "spool/recover.h"
#include "spool/spool.h"
#include "store/state.h"
#include "store/store.h"
#include "decode/supervise.h"
#include "util/util.h"
#include "spool/watch.h"

/* A name waiting to be handled. */
typedef struct item {
  struct item *next;
  size_t actor;
  int processing; /* found in processing/ (a retry) rather than incoming/ */
  char *name;
} item;

/* What happened to the file in hand. */
enum step_result { R_NONE, R_GONE, R_LATER, R_HELD, R_INGEST, R_RETRY, R_FAILED };

/* A file in processing/ that could not be opened: after this many tries it
 * is refused (the partner is told why) rather than retried and logged at
 * every rescan. */
#define UNREADABLE_TRIES 3

/* How long an empty file in incoming/ is left alone at least (seconds). */
#define EMPTY_QUIET_SECONDS 2

/* A name in processing/ and how many times it could not be opened. */
typedef struct unreadable {
  struct unreadable *next;
  size_t actor;
  char *name;
  int tries;
} unreadable;

typedef struct current {
  item *it;
  char *name;      /* its name in processing/ */
  char *path;      /* processing/<name> */
  enum step_result result;
  int rc;          /* a negative errno value for R_RETRY / R_FAILED */
  double wait;     /* R_LATER: seconds until the quiet period ends */
  const char *refusal; /* refused without being read (releve_ingest_request) */
  int unreadable;  /* tried UNREADABLE_TRIES times already: refuse it */
  struct stat claimed; /* size and time when claimed, to see a file still being written */
  int changed;     /* it was: moved back to incoming/, nothing stored */
  int new_fault;      /* R_HELD: the fault was recorded (and mailed) just now */
  releve_ingest *in;
  releve_rowspool spool; /* the plugin's rows, until the transaction */
  int spooled;           /* spool is open */
  int decode_rc;
  char *failure;
  releve_ingest_result res;
  int finish_rc;
  int settle_rc;    /* recorded, but not moved out of processing/ */
  char *final_name; /* in archive/ or rejected/ */
} current;

typedef struct daemon_state {
  uv_loop_t loop;
  uv_signal_t sigterm, sigint, sighup;
  uv_timer_t rescan, watchdog, quiet;
  uv_work_t work;
  const releve_daemon_options *opts;
  releve_config cfg;
  releve_plugins plugins;
  releve_store store;
  releve_ingest_env env;
  char **incoming, **processing, **archive, **rejected; /* one per actor */
  char **fault;  /* per actor: why its plugins cannot serve, or NULL */
  const char **fault_plugin; /* per actor: the plugin at fault (the actor's string) */
  int *held;     /* per actor: its fault is recorded in the database */
  releve_watch *watch;
  releve_mailer *mailer; /* NULL with --once */
  releve_scheduler *poller; /* scheduled pulls; NULL with --once or no sources */
  int poller_closing;    /* a reload waits for the old poller to let go */
  item *head, *tail;
  unreadable *unreadable;
  current cur;
  int busy, stopping, closing, reload_pending, loop_started;
  unsigned long accepted, refused, duplicates, failures;
  char last[256];
} daemon_state;

static void pump(daemon_state *d);

/* ---- folders ------------------------------------------------------------ */

static void free_dirs(daemon_state *d) {
  char ***sets[] = {&d->incoming, &d->processing, &d->archive, &d->rejected};
  size_t s, a;
  for (s = 0; s < 4; s++) {
    if (*sets[s] == NULL)
      continue;
    for (a = 0; a < d->cfg.n_actors; a++)
      free((*sets[s])[a]);
    free(*sets[s]);
    *sets[s] = NULL;
  }
}

static int make_dirs(daemon_state *d) {
  char ***sets[] = {&d->incoming, &d->processing, &d->archive, &d->rejected};
  size_t s, a;
  for (s = 0; s < 4; s++) {
    *sets[s] = calloc(d->cfg.n_actors + 1, sizeof(char *));
    if (*sets[s] == NULL)
      return -ENOMEM;
    for (a = 0; a < d->cfg.n_actors; a++)
      if (((*sets[s])[a] = releve_spool_path(&d->cfg, d->cfg.actors[a].id,
                                             (enum releve_spool_dir)s)) == NULL)
        return -ENOMEM;
  }
  return 0;
}

static void free_faults(daemon_state *d) {
  size_t a;
  for (a = 0; d->fault && a < d->cfg.n_actors; a++)
    free(d->fault[a]);
  free(d->fault);
  free(d->fault_plugin);
  free(d->held);
  d->fault = NULL;
  d->fault_plugin = NULL;
  d->held = NULL;
}

/* Which actors' plugins cannot serve with this configuration; the faults
 * of the others are forgotten (their waiting files are taken now). Runs
 * while no file is in hand. */
static int find_faults(daemon_state *d) {
  int cleared, rc, *served;
  size_t a;

  d->fault = calloc(d->cfg.n_actors + 1, sizeof *d->fault);
  d->fault_plugin = calloc(d->cfg.n_actors + 1, sizeof *d->fault_plugin);
  d->held = calloc(d->cfg.n_actors + 1, sizeof *d->held);
  served = calloc(d->cfg.n_actors + 1, sizeof *served);
  if (d->fault == NULL || d->fault_plugin == NULL || d->held == NULL || served == NULL) {
    free(served);
    return -ENOMEM;
  }
  for (a = 0; a < d->cfg.n_actors; a++) {
    const releve_actor *act = &d->cfg.actors[a];
    d->fault[a] = releve_plugin_fault(&d->plugins, act, &d->fault_plugin[a]);
    served[a] = d->fault[a] == NULL;
    if (d->fault[a] && act->configured)
      releve_warn("%s: its files will wait in incoming/: %s", act->id, d->fault[a]);
  }
  rc = releve_plugin_fault_clear(&d->store, &d->cfg, served, &cleared);
  if (rc == 0 && cleared)
    releve_info("%d actor%s served again by %s plugin: %s waiting files are taken", cleared,
                cleared > 1 ? "s" : "", cleared > 1 ? "their" : "its",
                cleared > 1 ? "their" : "its");
  free(served);
  return rc;
}

/* ---- the queue ---------------------------------------------------------- */

static int same(const item *it, size_t actor, int processing, const char *name) {
  return it->actor == actor && it->processing == processing && strcmp(it->name, name) == 0;
}

static void enqueue(daemon_state *d, size_t actor, int processing, const char *name) {
  item *it;

  if (d->stopping || !releve_claim_name_ok(name) || releve_spool_ignored_name(name))
    return;
  /* The file in hand is in processing/ under a name a pool thread may be
   * choosing right now: leave that actor's processing/ to a later scan. */
  if (processing && d->busy && d->cur.it && d->cur.it->actor == actor)
    return;
  for (it = d->head; it; it = it->next)
    if (same(it, actor, processing, name))
      return;
  it = calloc(1, sizeof *it);
  if (it == NULL || (it->name = strdup(name)) == NULL) {
    free(it);
    releve_err("out of memory queueing %s", name);
    return;
  }
  it->actor = actor;
  it->processing = processing;
  if (d->tail)
    d->tail->next = it;
  else
    d->head = it;
  d->tail = it;
}

static void free_item(item *it) {
  if (it) {
    free(it->name);
    free(it);
  }
}

static void clear_queue(daemon_state *d) {
  while (d->head) {
    item *it = d->head;
    d->head = it->next;
    free_item(it);
  }
  d->tail = NULL;
}

static size_t queue_length(const daemon_state *d) {
  const item *it;
  size_t n = 0;
  for (it = d->head; it; it = it->next)
    n++;
  return n;
}

static void scan_dir(daemon_state *d, size_t actor, int processing) {
  const char *dir = processing ? d->processing[actor] : d->incoming[actor];
  char **names;
  size_t n, i;
  int rc = releve_spool_list(dir, &names, &n);

  if (rc) {
    releve_warn("cannot list %s: %s", dir, strerror(-rc));
    return;
  }
  for (i = 0; i < n; i++)
    enqueue(d, actor, processing, names[i]);
  releve_spool_names_free(names);
}

/* processing/ first (left by a crash or a system failure), then incoming/. */
/* Personal-data files kept past their keeping period are deleted. */
static void prune_personal(daemon_state *d) {
  size_t a;
  for (a = 0; a < d->cfg.n_actors; a++) {
    const releve_actor *act = &d->cfg.actors[a];
    char *dir;
    int n;
    if (!act->personal_data || act->keep_days <= 0)
      continue;
    if ((dir = releve_spool_personal_path(&d->cfg, act->id)) == NULL)
      return;
    n = releve_spool_prune_personal(dir, act->keep_days);
    if (n > 0)
      releve_info("%s: %d personal-data file%s deleted after %d days", act->id, n,
                  n > 1 ? "s" : "", act->keep_days);
    else if (n < 0)
      releve_err("%s: cannot prune %s: %s", act->id, dir, strerror(-n));
    free(dir);
  }
}

static void scan_all(daemon_state *d) {
  size_t a;
  prune_personal(d);
  for (a = 0; a < d->cfg.n_actors; a++)
    scan_dir(d, a, 1);
  for (a = 0; a < d->cfg.n_actors; a++)
    scan_dir(d, a, 0);
}

static void on_watch(void *data, size_t slot, const char *name) {
  daemon_state *d = data;
  if (name == NULL)
    scan_all(d);
  else if (slot < d->cfg.n_actors)
    enqueue(d, slot, 0, name);
  pump(d);
}

static void on_rescan(uv_timer_t *t) {
  daemon_state *d = t->data;
  scan_all(d);
  pump(d);
}

/* ---- files that cannot be opened ------------------------------------------ */

static unreadable **find_unreadable(daemon_state *d, size_t actor, const char *name) {
  unreadable **u;
  for (u = &d->unreadable; *u; u = &(*u)->next)
    if ((*u)->actor == actor && strcmp((*u)->name, name) == 0)
      break;
  return u;
}

static void count_unreadable(daemon_state *d, size_t actor, const char *name) {
  unreadable **u = find_unreadable(d, actor, name);
  if (*u == NULL) {
    if ((*u = calloc(1, sizeof **u)) == NULL || ((*u)->name = strdup(name)) == NULL) {
      free(*u);
      *u = NULL;
      return;
    }
    (*u)->actor = actor;
  }
  (*u)->tries++;
}

/* Forgets the tries of a name once it has left processing/. */
static void forget_unreadable(daemon_state *d, size_t actor, const char *name) {
  unreadable **u = find_unreadable(d, actor, name), *gone = *u;
  if (gone) {
    *u = gone->next;
    free(gone->name);
    free(gone);
  }
}

static void clear_unreadable(daemon_state *d) {
  while (d->unreadable) {
    unreadable *u = d->unreadable;
    d->unreadable = u->next;
    free(u->name);
    free(u);
  }
}

/* ---- status ------------------------------------------------------------- */

static void send_status(daemon_state *d) {
  releve_notifyf("STATUS=%lu accepted, %lu refused, %lu already received, %lu to retry%s%s",
                 d->accepted, d->refused, d->duplicates, d->failures,
                 d->last[0] ? "; last: " : "", d->last);
}

static void on_watchdog(uv_timer_t *t) {
  (void)t;
  releve_notify("WATCHDOG=1");
}

/* ---- one file: prepare (thread pool) ------------------------------------ */

static const char bad_name[] =
    "nom de fichier refusé : il contient un caractère de contrôle (retour à la ligne, "
    "tabulation…) ou des octets qui ne sont pas du texte UTF-8 ; renommez le fichier avec des "
    "lettres, des chiffres, « . », « - » ou « _ » et déposez-le à nouveau";
static const char unreadable_file[] =
    "le serveur ne peut pas lire ce fichier (droits d'accès) ; déposez-le à nouveau, lisible "
    "par le service relevé";

static void prepare_work(uv_work_t *w) {
  daemon_state *d = w->data;
  current *c = &d->cur;
  const item *it = c->it;
  const char *actor = d->cfg.actors[it->actor].id;
  releve_ingest_request req;
  char *safe = NULL;
  int rc;

  if (d->fault[it->actor]) {
    /* The server cannot read it: the file waits in incoming/. */
    if (it->processing) {
      char *back = NULL;
      rc = releve_claim_move(d->processing[it->actor], it->name, d->incoming[it->actor], &back);
      free(back);
      if (rc) {
        c->result = rc == -ENOENT ? R_GONE : R_FAILED;
        c->rc = rc;
        return;
      }
    }
    c->result = R_HELD;
    if (!d->held[it->actor]) {
      c->rc = releve_plugin_fault_hold(&d->store, &d->cfg, &d->cfg.actors[it->actor],
                                       d->fault_plugin[it->actor], d->fault[it->actor], it->name,
                                       &c->new_fault);
      d->held[it->actor] = c->rc == 0;
    }
    return;
  }
  if (!it->processing) {
    struct stat st;
    char *p = releve_aprintf("%s/%s", d->incoming[it->actor], it->name);
    rc = p && lstat(p, &st) == 0 ? 0 : -errno;
    free(p);
    if (rc == 0) {
      /* An empty file is most often an upload that has just begun: it
       * gets a short quiet period even when none is configured. */
      double quiet = st.st_size == 0 && d->cfg.quiet_seconds < EMPTY_QUIET_SECONDS
                         ? EMPTY_QUIET_SECONDS
                         : d->cfg.quiet_seconds;
      double age = difftime(time(NULL), st.st_mtime);
      if (age < quiet) {
        c->result = R_LATER;
        c->wait = quiet - age;
        return;
      }
    }
    /* A name that cannot be logged, reported or mailed as it is: kept
     * under a safe name, refused with the original escaped in the report. */
    if (!releve_log_clean_name(it->name)) {
      if ((safe = releve_log_safe_name(it->name)) == NULL) {
        c->result = R_FAILED;
        c->rc = -ENOMEM;
        return;
      }
      c->refusal = bad_name;
    }
    rc = releve_claim_move_as(d->incoming[it->actor], it->name, d->processing[it->actor], safe,
                              NAME_MAX, NULL, NULL, &c->name);
    free(safe);
    if (rc) {
      c->result = rc == -ENOENT ? R_GONE : R_FAILED;
      c->rc = rc;
      return;
    }
  } else if ((c->name = strdup(it->name)) == NULL) {
    c->result = R_FAILED;
    c->rc = -ENOMEM;
    return;
  }
  if (c->unreadable) {
    c->refusal = unreadable_file;
  } else if (c->refusal == NULL) {
    rc = releve_claim_check(d->processing[it->actor], c->name);
    if (rc < 0) {
      c->result = rc == -ENOENT ? R_GONE : R_RETRY;
      c->rc = rc;
      return;
    }
    c->refusal = releve_claim_reason((releve_claim_kind)rc);
  }
  c->path = releve_aprintf("%s/%s", d->processing[it->actor], c->name);
  if (c->path == NULL || lstat(c->path, &c->claimed) != 0) {
    c->result = c->path == NULL ? R_RETRY : R_GONE;
    c->rc = c->path == NULL ? -ENOMEM : -errno;
    return;
  }
  memset(&req, 0, sizeof req);
  req.actor = actor;
  req.path = c->path;
  req.name = it->name; /* as the partner named it */
  req.channel = "spool";
  req.receipt = 1;
  req.retry = it->processing;
  req.refusal = c->refusal;
  rc = releve_ingest_begin(&d->env, &req, &c->in);
  if (rc == 0 && releve_ingest_wants_reader(c->in)) {
    if ((rc = releve_ingest_open_spool(&d->env, &c->spool)) != 0) {
      releve_ingest_abort(c->in);
      c->in = NULL;
    }
    c->spooled = rc == 0;
  }
  c->result = rc ? R_RETRY : R_INGEST;
  c->rc = rc;
}

/* Whether the file was written to after it was claimed (a partner writing
 * it in place, without a temporary name): then it is not complete yet. */
static int still_written(const current *c) {
  struct stat st;
  return lstat(c->path, &st) == 0 &&
         (st.st_size != c->claimed.st_size || st.st_mtim.tv_sec != c->claimed.st_mtim.tv_sec ||
          st.st_mtim.tv_nsec != c->claimed.st_mtim.tv_nsec);
}

/* ---- one file: finish (thread pool) ------------------------------------- */

static void finish_work(uv_work_t *w) {
  daemon_state *d = w->data;
  current *c = &d->cur;
  size_t a = c->it->actor;
  int rc = 0;

  if (c->refusal == NULL && still_written(c)) {
    /* Nothing stored: the file waits in incoming/ again, for its quiet
     * period, and is read whole once its writer is done. */
    char *back = NULL;
    releve_ingest_abort(c->in);
    c->in = NULL;
    c->changed = 1;
    c->finish_rc = releve_claim_move(d->processing[a], c->name, d->incoming[a], &back);
    free(back);
    return;
  }
  if (c->spooled && (rc = releve_ingest_replay(c->in, &c->spool, &c->decode_rc)) != 0) {
    releve_ingest_abort(c->in); /* nothing decided: the file stays in processing/ */
    c->in = NULL;
    c->finish_rc = rc;
    return;
  }
  rc = releve_ingest_finish(c->in, c->decode_rc, c->failure, &c->res);
  c->in = NULL;
  c->finish_rc = rc;
  if (rc)
    return; /* nothing stored: the file stays in processing/ for a retry */
  if (d->cfg.actors[a].personal_data) {
    /* Never archived as is: the report alone goes to archive/ or
     * rejected/, the file is deleted or kept in personal/. */
    const releve_actor *act = &d->cfg.actors[a];
    char *kept = act->keep_days > 0 ? releve_spool_personal_path(&d->cfg, act->id) : NULL;
    rc = act->keep_days > 0 && kept == NULL
             ? -ENOMEM
             : releve_spool_settle_personal(
                   d->processing[a], c->name,
                   c->res.outcome == RELEVE_REFUSED ? d->rejected[a] : d->archive[a], kept,
                   c->res.report, &c->final_name);
    free(kept);
  } else {
    rc = releve_spool_settle(d->processing[a], c->name,
                             c->res.outcome == RELEVE_REFUSED ? d->rejected[a] : d->archive[a],
                             c->res.report, &c->final_name);
  }
  c->settle_rc = rc;
}

static void file_done(daemon_state *d) {
  current *c = &d->cur;
  if (c->spooled)
    releve_rowspool_close(&c->spool);
  free_item(c->it);
  free(c->name);
  free(c->path);
  free(c->failure);
  free(c->final_name);
  releve_ingest_result_free(&c->res);
  memset(c, 0, sizeof *c);
  d->busy = 0;
  pump(d);
}

static const char *outcome_word(releve_outcome o) {
  return o == RELEVE_ACCEPTED ? "accepted" : o == RELEVE_DUPLICATE ? "already received" : "refused";
}

static void after_finish(uv_work_t *w, int status) {
  daemon_state *d = w->data;
  current *c = &d->cur;
  const char *actor = d->cfg.actors[c->it->actor].id;
  (void)status;

  if (c->changed) {
    if (c->finish_rc)
      releve_err("%s/%s: written to while it was read; moving it back to incoming/ failed (%s): "
                 "retried at the next rescan", actor, c->name, strerror(-c->finish_rc));
    else
      releve_warn("%s/%s: written to while it was read: nothing stored, back in incoming/ "
                  "until it is complete", actor, c->it->name);
  } else if (c->finish_rc) {
    d->failures++;
    releve_err("%s/%s: not stored (%s); left in processing/, retried at the next rescan", actor,
               c->name, strerror(-c->finish_rc));
  } else if (c->settle_rc) {
    /* Found again at each rescan, settled with its recorded outcome: no
     * second receipt, however long it takes. */
    d->failures++;
    releve_err("%s/%s: recorded (submission %lld, %s) but it cannot leave processing/ (%s); "
               "moved at a later rescan, without a second receipt",
               actor, c->name, c->res.submission, outcome_word(c->res.outcome),
               strerror(-c->settle_rc));
    releve_mailer_kick(d->mailer);
  } else {
    if (c->res.outcome == RELEVE_ACCEPTED)
      d->accepted++;
    else if (c->res.outcome == RELEVE_DUPLICATE)
      d->duplicates++;
    else
      d->refused++;
    const releve_actor *act = &d->cfg.actors[c->it->actor];
    releve_info("%s/%s: %s (submission %lld: %d added, %d changed, %d unchanged, %d refused, "
                "%d warnings) -> %s/%s%s",
                actor, c->it->name, outcome_word(c->res.outcome), c->res.submission,
                c->res.added, c->res.changed, c->res.unchanged, c->res.refused, c->res.warnings,
                c->res.outcome == RELEVE_REFUSED ? "rejected" : "archive",
                c->final_name ? c->final_name : c->name,
                !act->personal_data  ? ""
                : act->keep_days > 0 ? ".rapport.txt (personal data: file kept in personal/)"
                                     : ".rapport.txt (personal data: file deleted)");
    snprintf(d->last, sizeof d->last, "%s/%s %s", actor, c->it->name,
             outcome_word(c->res.outcome));
    send_status(d);
    releve_mailer_kick(d->mailer); /* the receipt */
    forget_unreadable(d, c->it->actor, c->name);
  }
  file_done(d);
}

/* ---- one file: decode (child) -------------------------------------------- */

/* The child's choice of reader; the ingest resolves its options. */
static int on_chosen(void *data, const releve_reader_choice *choice, const char *why) {
  daemon_state *d = data;
  return releve_ingest_set_reader(d->cur.in, choice, why);
}

static void on_decoded(void *data, int decode_rc, const char *failure) {
  daemon_state *d = data;
  if (decode_rc == -ENOPKG) {
    /* The actor's options do not fit its reader: the configuration's
     * fault, not the file's; it stays in processing/ for a retry. */
    releve_ingest_abort(d->cur.in);
    d->cur.in = NULL;
    d->failures++;
    releve_err("%s/%s: cannot be ingested now (%s); retried at the next rescan",
               d->cfg.actors[d->cur.it->actor].id, d->cur.it->name, strerror(-decode_rc));
    file_done(d);
    return;
  }
  d->cur.decode_rc = decode_rc;
  if (failure && (d->cur.failure = strdup(failure)) == NULL)
    d->cur.decode_rc = -ENOMEM;
  uv_queue_work(&d->loop, &d->work, finish_work, after_finish);
}

static void start_decode(daemon_state *d) {
  current *c = &d->cur;
  releve_decode_spec spec;
  int rc;

  if (!releve_ingest_wants_reader(c->in)) { /* refused already, or recorded */
    uv_queue_work(&d->loop, &d->work, finish_work, after_finish);
    return;
  }
  memset(&spec, 0, sizeof spec);
  spec.plugins = d->env.plugins;
  spec.actor = releve_ingest_actor(c->in);
  spec.forced = releve_ingest_forced(c->in);
  /* A duplicate is not decoded, but its report names its reader. */
  spec.choose_only = releve_ingest_is_duplicate(c->in);
  spec.chosen = on_chosen;
  spec.chosen_ctx = d;
  spec.fd = releve_ingest_fd(c->in);
  spec.file_name = c->it->name;
  spec.timeout_seconds = d->cfg.decode_timeout_seconds;
  spec.memory_mb = d->cfg.decode_memory_mb;
  spec.host = releve_rowspool_services();
  spec.host_ctx = &c->spool;
  spec.sheet = releve_rowspool_sheet;
  rc = releve_decode_start(&d->loop, &spec, on_decoded, d);
  if (rc) {
    /* No decoder (fork failed, out of memory): nothing was decided about the
     * file, so give up without an outcome and leave it in processing/ for
     * the next rescan. */
    releve_ingest_abort(c->in);
    c->in = NULL;
    d->failures++;
    releve_err("%s/%s: the decoder could not be started (%s); retried at the next rescan",
               d->cfg.actors[c->it->actor].id, c->it->name, strerror(-rc));
    file_done(d);
  }
}

static void after_prepare(uv_work_t *w, int status) {
  daemon_state *d = w->data;
  current *c = &d->cur;
  const char *actor = d->cfg.actors[c->it->actor].id;
  (void)status;

  switch (c->result) {
  case R_INGEST:
    start_decode(d);
    return;
  case R_LATER:
    releve_debug("%s/%s: too recent, taken after the quiet period", actor, c->it->name);
    if (!d->opts->once && (!uv_is_active((uv_handle_t *)&d->quiet) ||
                           uv_timer_get_due_in(&d->quiet) > (uint64_t)(c->wait * 1000) + 100))
      uv_timer_start(&d->quiet, on_rescan, (uint64_t)(c->wait * 1000) + 100, 0);
    break;
  case R_GONE:
    releve_debug("%s/%s: gone before it was claimed", actor, c->it->name);
    break;
  case R_HELD:
    if (c->rc)
      releve_err("%s/%s: waits in incoming/ (%s); recording why failed: %s", actor, c->it->name,
                 d->fault[c->it->actor], strerror(-c->rc));
    else if (c->new_fault)
      releve_warn("%s/%s: waits in incoming/ (%s); the coordinator is told", actor, c->it->name,
                  d->fault[c->it->actor]);
    else
      releve_debug("%s/%s: waits in incoming/ (%s)", actor, c->it->name, d->fault[c->it->actor]);
    if (c->new_fault)
      releve_mailer_kick(d->mailer);
    break;
  case R_RETRY:
    if (c->rc == -EACCES || c->rc == -EPERM)
      count_unreadable(d, c->it->actor, c->name);
    /* fall through */
  case R_FAILED:
    d->failures++;
    releve_err("%s/%s: %s (%s); retried at the next rescan", actor, c->it->name,
               c->result == R_RETRY ? "cannot be ingested now" : "cannot be claimed",
               strerror(-c->rc));
    break;
  case R_NONE:
    break;
  }
  file_done(d);
}

/* ---- scheduling, reload, stop ---------------------------------------------- */

static void close_handles(daemon_state *d);
static void reload(daemon_state *d);

static void pump(daemon_state *d) {
  if (d->busy || d->closing)
    return;
  if (d->reload_pending && !releve_mailer_busy(d->mailer)) {
    d->reload_pending = 0;
    reload(d);
  }
  if (d->stopping || (d->opts->once && d->head == NULL)) {
    close_handles(d);
    return;
  }
  if (d->head == NULL)
    return;
  d->busy = 1;
  d->cur.it = d->head;
  d->head = d->head->next;
  if (d->head == NULL)
    d->tail = NULL;
  d->cur.it->next = NULL;
  if (d->cur.it->processing) {
    unreadable *u = *find_unreadable(d, d->cur.it->actor, d->cur.it->name);
    d->cur.unreadable = u && u->tries >= UNREADABLE_TRIES;
  }
  d->work.data = d;
  uv_queue_work(&d->loop, &d->work, prepare_work, after_prepare);
}

static void close_if(uv_handle_t *h) {
  if (h->loop && !uv_is_closing(h))
    uv_close(h, NULL);
}

static void close_handles(daemon_state *d) {
  if (d->closing)
    return;
  d->closing = 1;
  close_if((uv_handle_t *)&d->sigterm);
  close_if((uv_handle_t *)&d->sigint);
  close_if((uv_handle_t *)&d->sighup);
  close_if((uv_handle_t *)&d->rescan);
  close_if((uv_handle_t *)&d->watchdog);
  close_if((uv_handle_t *)&d->quiet);
  releve_mailer_close(d->mailer);
  if (d->poller)
    releve_scheduler_close(d->poller, NULL, NULL);
  d->poller = NULL;
  releve_watch_close(d->watch);
  d->watch = NULL;
}

static void on_stop_signal(uv_signal_t *h, int signum) {
  daemon_state *d = h->data;
  if (d->stopping) {
    releve_info("received %s again: still finishing the file in hand", strsignal(signum));
    return;
  }
  releve_info("received %s, stopping%s", strsignal(signum),
              d->busy ? " after the file in hand" : "");
  releve_notify("STOPPING=1");
  d->stopping = 1;
  clear_queue(d);
  pump(d);
}

static void start_watch(daemon_state *d) {
  int rc;
  if (d->opts->once || !d->cfg.watch)
    return;
  rc = releve_watch_start(&d->loop, d->incoming, d->cfg.n_actors, on_watch, d, &d->watch);
  if (rc)
    releve_warn("cannot watch the spool folders (%s): relying on rescans every %d s",
                strerror(-rc), d->cfg.rescan_seconds);
}

/* Loads configuration, plugins and the database link into the given
 * slots; everything or nothing. */
static int load(const releve_daemon_options *o, releve_config *cfg, releve_plugins *plugins) {
  releve_diags diags = {0};
  const char *path, *why;
  int rc;

  releve_config_locate(o->config, &path, &why);
  if (path == NULL)
    releve_log(RELEVE_NOTICE, "no configuration file: using the built-in default (database "
                              "and outbox in ./var, spool in ./spool)");
  rc = releve_config_load(cfg, path, &diags);
  /* State a command run as root made first: say which piece and whose,
   * before anything fails on it with a bare errno. */
  if (rc == 0 && releve_state_check(cfg, &diags)) {
    size_t i;
    for (i = 0; i < diags.n; i++)
      if (diags.items[i].severity == RELEVE_DIAG_ERROR)
        releve_err("state: %s", diags.items[i].message);
    releve_diags_free(&diags);
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    return -EACCES;
  }
  if (rc == 0)
    releve_config_check_environment(cfg, &diags);
  if (releve_diags_count(&diags, RELEVE_DIAG_ERROR)) {
    size_t i;
    for (i = 0; i < diags.n; i++)
      if (diags.items[i].severity == RELEVE_DIAG_ERROR) {
        char *line = releve_diag_text(&diags.items[i]);
        releve_err("config %s", line ? line : "error (out of memory)");
        free(line);
      }
    releve_diags_free(&diags);
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    return rc ? rc : -EINVAL;
  }
  releve_diags_free(&diags);
  releve_info("configuration %s (%s): %zu indicators, %zu actors", path ? path : "built-in", why,
              cfg->ref.n_indicators, cfg->n_actors);
  rc = releve_plugins_load(plugins, cfg->plugins);
  if (rc) {
    releve_err("plugin folder %s: %s", cfg->plugins ? cfg->plugins : "(none)", strerror(-rc));
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    memset(plugins, 0, sizeof *plugins);
    return rc;
  }
  if (releve_privacy_enforce(cfg, plugins, &diags, RELEVE_DIAG_WARNING)) {
    size_t i;
    for (i = 0; i < diags.n; i++)
      releve_warn("config %s: %s", diags.items[i].file, diags.items[i].message);
    releve_diags_free(&diags);
  }
  rc = releve_spool_prepare(cfg);
  if (rc) {
    releve_plugins_unload(plugins);
    releve_config_free(cfg);
    memset(cfg, 0, sizeof *cfg);
    memset(plugins, 0, sizeof *plugins);
  }
  return rc;
}

/* Scheduled pulls drop what they fetch into incoming/, where the watch and
 * the rescans find it. The poller keeps a copy of its configuration; on
 * reload the new one starts once the old one has released its files. */
static int start_poller(daemon_state *d) {
  int rc = releve_scheduler_start(&d->loop, &d->cfg, &d->poller);
  if (rc)
    releve_err("cannot start the scheduled pulls: %s", strerror(-rc));
  return rc;
}

static void on_poller_closed(void *data) {
  daemon_state *d = data;
  d->poller_closing = 0;
  if (!d->stopping && !d->closing)
    start_poller(d);
}

static void restart_poller(daemon_state *d) {
  if (d->poller) {
    d->poller_closing = 1;
    releve_scheduler_close(d->poller, on_poller_closed, d);
    d->poller = NULL;
  } else if (!d->poller_closing) {
    start_poller(d);
  }
}

static void reload(daemon_state *d) {
  releve_config cfg;
  releve_plugins plugins;
  char qva_pattern[16];
  int rc;

  /* Loading sets the process's QVA spelling: a refused configuration must
   * not leave its own behind. */
  snprintf(qva_pattern, sizeof qva_pattern, "%s", releve_geo_qva_pattern());

  memset(&cfg, 0, sizeof cfg);
  memset(&plugins, 0, sizeof plugins);
  releve_notify("RELOADING=1");
  releve_info("reloading the configuration, référentiel and plugins");
  rc = load(d->opts, &cfg, &plugins);
  if (rc == 0 && (rc = releve_store_sync(&d->store, &cfg, NULL)) != 0) {
    releve_plugins_unload(&plugins);
    releve_config_free(&cfg);
  }
  /* A failed sync rolled back: the database still mirrors the running
   * configuration. */
  if (rc) {
    releve_geo_set_qva_pattern(qva_pattern);
    releve_err("reload refused (%s): keeping the running configuration", strerror(-rc));
    releve_notify("READY=1");
    return;
  }
  releve_watch_close(d->watch);
  d->watch = NULL;
  clear_queue(d);
  free_dirs(d);
  free_faults(d);
  releve_plugins_unload(&d->plugins);
  releve_config_free(&d->cfg);
  d->cfg = cfg;
  d->plugins = plugins;
  if (make_dirs(d) != 0 || find_faults(d) == -ENOMEM) {
    releve_err("out of memory after reload: stopping");
    d->stopping = 1;
    return;
  }
  start_watch(d);
  restart_poller(d);
  uv_timer_start(&d->rescan, on_rescan, (uint64_t)d->cfg.rescan_seconds * 1000,
                 (uint64_t)d->cfg.rescan_seconds * 1000);
  scan_all(d);
  releve_info("reloaded: %zu actors, plugins from %s", d->cfg.n_actors, d->cfg.plugins);
  releve_notify("READY=1");
  send_status(d);
}

static void on_hup(uv_signal_t *h, int signum) {
  daemon_state *d = h->data;
  (void)signum;
  d->reload_pending = 1;
  if (d->busy)
    releve_info("SIGHUP: reloading after the file in hand");
  pump(d);
}

static void on_mailer_idle(void *data) { pump(data); }

/* Before anything is taken: the spool's settled files against the
 * database (recover.h). */
static int recover_spool(daemon_state *d) {
  releve_recover_result res;
  int rc = releve_recover_spool(&d->cfg, &d->store, &res);

  if (rc) {
    releve_err("cannot check the spool against the database: %s", strerror(-rc));
    return rc;
  }
  if (res.removed)
    releve_info("removed %d temporary report%s left by a crash", res.removed,
                res.removed > 1 ? "s" : "");
  if (res.unknown) {
    releve_err("%d file%s in the spool's archive/ and rejected/ (first: %s) %s not recorded in "
               "the database %s: it lost history (a truncated WAL, or a new empty database "
               "beside a spool that has some). Not starting, so that nothing is taken or mailed "
               "again. Restore the database with its -wal file from a backup and start again; "
               "or, to record those files anew, move them (without their .rapport.txt) from "
               "archive/ and rejected/ back into incoming/ and start again",
               res.unknown, res.unknown > 1 ? "s" : "", res.example,
               res.unknown > 1 ? "are" : "is", d->cfg.database);
    rc = -EUCLEAN;
  }
  releve_recover_result_free(&res);
  return rc;
}

static int start(daemon_state *d) {
  uint64_t wd;
  int rc = load(d->opts, &d->cfg, &d->plugins);

  if (rc)
    return rc;
  rc = releve_store_open(&d->store, d->cfg.database, RELEVE_STORE_RW);
  if (rc == 0)
    rc = releve_store_sync(&d->store, &d->cfg, NULL);
  if (rc == 0)
    rc = recover_spool(d);
  if (rc == 0)
    rc = make_dirs(d);
  if (rc == 0)
    rc = find_faults(d);
  if (rc)
    return rc;
  d->env.cfg = &d->cfg;
  d->env.store = &d->store;
  d->env.plugins = &d->plugins;

  if ((rc = uv_loop_init(&d->loop)) != 0)
    return rc;
  d->loop_started = 1;
  uv_signal_init(&d->loop, &d->sigterm);
  uv_signal_init(&d->loop, &d->sigint);
  uv_signal_init(&d->loop, &d->sighup);
  uv_timer_init(&d->loop, &d->rescan);
  uv_timer_init(&d->loop, &d->watchdog);
  uv_timer_init(&d->loop, &d->quiet);
  d->sigterm.data = d->sigint.data = d->sighup.data = d;
  d->rescan.data = d->watchdog.data = d->quiet.data = d;
  uv_signal_start(&d->sigterm, on_stop_signal, SIGTERM);
  uv_signal_start(&d->sigint, on_stop_signal, SIGINT);
  if (!d->opts->once) {
    uv_signal_start(&d->sighup, on_hup, SIGHUP);
    uv_timer_start(&d->rescan, on_rescan, (uint64_t)d->cfg.rescan_seconds * 1000,
                   (uint64_t)d->cfg.rescan_seconds * 1000);
    wd = releve_notify_watchdog_usec();
    if (wd)
      uv_timer_start(&d->watchdog, on_watchdog, wd / 2000 ? wd / 2000 : 1,
                     wd / 2000 ? wd / 2000 : 1);
  }
  if (!d->opts->once && (rc = releve_mailer_start(&d->loop, &d->cfg, on_mailer_idle, d,
                                                  &d->mailer)) != 0) {
    releve_err("cannot start the mail work: %s", strerror(-rc));
    return rc;
  }
  if (!d->opts->once && (rc = start_poller(d)) != 0)
    return rc;
  start_watch(d);
  scan_all(d);
  releve_info("ready: database %s, spool %s, %zu files waiting", d->cfg.database, d->cfg.spool,
              queue_length(d));
  if (!d->opts->once)
    releve_notify("READY=1");
  send_status(d);
  return 0;
}

int releve_daemon_run(const releve_daemon_options *o) {
  daemon_state *d = calloc(1, sizeof *d);
  int rc;

  if (d == NULL)
    return -ENOMEM;
  d->opts = o;
  rc = start(d);
  if (rc) {
    releve_err("start-up failed: %s", strerror(-rc));
    if (d->loop_started)
      close_handles(d);
  } else {
    pump(d);
  }
  if (d->loop_started) {
    uv_run(&d->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&d->loop) != 0)
      releve_warn("the loop still had handles at exit");
  }
  if (rc == 0)
    releve_info("stopped: %lu accepted, %lu refused, %lu already received, %lu to retry",
                d->accepted, d->refused, d->duplicates, d->failures);
  clear_queue(d);
  clear_unreadable(d);
  free_dirs(d);
  free_faults(d);
  releve_mailer_free(d->mailer);
  releve_store_close(&d->store);
  releve_plugins_unload(&d->plugins);
  releve_config_free(&d->cfg);
  free(d);
  return rc;
}
