/* daemon.c -- releved: one libuv loop that owns the spool folders, the
 * decoding children and the database writer; its start, its signals and
 * the pump that hands found files to jobs.
 *
 * Files are taken in the order found (processing/ first: what a crash
 * left there is run again, and the sha256 record turns a file already
 * committed into a duplicate, so every file counts exactly once). Each
 * file is a job (spool/job.h); up to daemon.max_jobs run at once, never
 * two of one actor, so an actor's files keep their order while a hung
 * plugin holds back only its own actor's.
 *
 * Folder listings (the scan) run on the loop: they are short local
 * readdir() calls. The queue is queue.c's; what a configuration brings
 * (plugins, per-actor folders, plugin faults, the scheduled pulls) is
 * reload.c's, and a reload waits until no job is in flight.
 *
 * Mail (reminders, receipts, the mail queue) is mailer.c's, on the thread
 * pool with its own SQLite connection. A file's receipt is queued by the
 * ingest, in the transaction that stores its outcome, on this connection;
 * a reload also waits until no mail job reads the configuration. */
#include "daemon/daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "daemon/daemon_int.h"
#include "spool/recover.h"
#include "spool/spool.h"
#include "util/log.h"
#include "util/notify.h"

/* ---- finding files ---------------------------------------------------------- */

static void on_watch(void *data, size_t slot, const char *name) {
  daemon_state *d = data;
  if (name == NULL)
    releve__queue_scan_all(d);
  else if (slot < d->cfg.n_actors)
    releve__queue_add(d, slot, 0, name);
  releve__daemon_pump(d);
}

static void on_rescan(uv_timer_t *t) {
  daemon_state *d = t->data;
  releve__queue_scan_all(d);
  releve__daemon_pump(d);
}

void releve__daemon_start_watch(daemon_state *d) {
  int rc;
  if (d->opts->once || !d->cfg.watch)
    return;
  rc = releve_watch_start(&d->loop, d->incoming, d->cfg.n_actors, on_watch, d, &d->watch);
  if (rc)
    releve_warn("cannot watch the spool folders (%s): relying on rescans every %d s",
                strerror(-rc), d->cfg.rescan_seconds);
}

/* ---- status ------------------------------------------------------------- */

void releve__daemon_status(daemon_state *d) {
  releve_notifyf("STATUS=%lu accepted, %lu refused, %lu already received, %lu to retry%s%s",
                 d->accepted, d->refused, d->duplicates, d->failures,
                 d->last[0] ? "; last: " : "", d->last);
}

static void on_watchdog(uv_timer_t *t) {
  (void)t;
  releve_notify("WATCHDOG=1");
}

/* ---- jobs ------------------------------------------------------------------ */

static const char *outcome_word(releve_outcome o) {
  return o == RELEVE_ACCEPTED ? "accepted" : o == RELEVE_DUPLICATE ? "already received" : "refused";
}

static void on_job_done(void *ud, const releve_job_done_info *info) {
  daemon_state *d = ud;
  const char *actor = d->cfg.actors[info->actor].id;
  uint64_t wait;

  d->running[info->actor] = 0;
  d->n_jobs--;
  switch (info->state) {
  case RELEVE_JOB_LATER:
    /* One timer for every file still in its quiet period: the soonest. */
    wait = (uint64_t)(info->later_seconds * 1000) + 100;
    if (!d->opts->once &&
        (!uv_is_active((uv_handle_t *)&d->quiet) || uv_timer_get_due_in(&d->quiet) > wait))
      uv_timer_start(&d->quiet, on_rescan, wait, 0);
    break;
  case RELEVE_JOB_WAITING:
    break;
  case RELEVE_JOB_RETRY:
    d->failures++;
    if (info->could_not_open)
      releve__queue_count_unreadable(d, info->actor,
                                     info->claimed_name ? info->claimed_name : info->name);
    break;
  case RELEVE_JOB_SETTLED:
    if (info->stuck) {
      d->failures++;
      break;
    }
    if (info->outcome == RELEVE_ACCEPTED)
      d->accepted++;
    else if (info->outcome == RELEVE_DUPLICATE)
      d->duplicates++;
    else
      d->refused++;
    snprintf(d->last, sizeof d->last, "%s/%s %s", actor, info->name,
             outcome_word(info->outcome));
    releve__daemon_status(d);
    releve__queue_forget_unreadable(d, info->actor,
                                    info->claimed_name ? info->claimed_name : info->name);
    break;
  }
  if (info->mail)
    releve_mailer_kick(d->mailer); /* the receipt, or the coordinator's fault notice */
  releve__daemon_pump(d);
}

static void close_handles(daemon_state *d);

void releve__daemon_pump(daemon_state *d) {
  item *it;
  if (d->closing)
    return;
  if (d->reload_pending && d->n_jobs == 0 && !releve_mailer_busy(d->mailer)) {
    d->reload_pending = 0;
    releve__daemon_reload(d);
  }
  if (d->stopping || (d->opts->once && d->head == NULL)) {
    if (d->n_jobs == 0)
      close_handles(d);
    return;
  }
  if (d->reload_pending)
    return; /* the files found are taken with the new configuration */
  while (d->n_jobs < (size_t)d->cfg.max_jobs && (it = releve__queue_take(d)) != NULL) {
    releve_job_request req;
    int rc;
    memset(&req, 0, sizeof req);
    req.actor = it->actor;
    req.name = it->name;
    req.processing = it->processing;
    req.unreadable = it->processing && releve__queue_unreadable_tries(d, it->actor, it->name) >=
                                           RELEVE_DAEMON_UNREADABLE_TRIES;
    rc = releve_job_start(&d->jobs, &req, on_job_done, d);
    if (rc) {
      d->failures++;
      releve_err("%s/%s: cannot be taken now (%s); retried at the next rescan",
                 d->cfg.actors[it->actor].id, it->name, strerror(-rc));
    } else {
      d->running[it->actor] = 1;
      d->n_jobs++;
    }
    releve__queue_free_item(it);
  }
}

/* ---- stop, reload ------------------------------------------------------------ */

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
  releve__daemon_close_pollers(d, NULL, NULL);
  releve_watch_close(d->watch);
  d->watch = NULL;
}

static void on_stop_signal(uv_signal_t *h, int signum) {
  daemon_state *d = h->data;
  if (d->stopping) {
    releve_info("received %s again: still finishing the %zu file%s in hand", strsignal(signum),
                d->n_jobs, d->n_jobs > 1 ? "s" : "");
    return;
  }
  releve_info("received %s, stopping%s", strsignal(signum),
              d->n_jobs ? " after the files in hand" : "");
  releve_notify("STOPPING=1");
  d->stopping = 1;
  releve__queue_clear(d);
  releve__daemon_pump(d);
}

static void on_hup(uv_signal_t *h, int signum) {
  daemon_state *d = h->data;
  (void)signum;
  d->reload_pending = 1;
  if (d->n_jobs)
    releve_info("SIGHUP: reloading after the files in hand");
  releve__daemon_pump(d);
}

static void on_mailer_idle(void *data) { releve__daemon_pump(data); }

/* ---- start ---------------------------------------------------------------- */

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
               res.unknown > 1 ? "are" : "is", d->store.path);
    rc = -EUCLEAN;
  }
  releve_recover_result_free(&res);
  return rc;
}

/* One daemon per spool tree (spool.h): another one on it is named. */
static int lock_spool(daemon_state *d) {
  long holder;
  int rc = releve_spool_lock(&d->cfg, &d->spool_lock, &holder);

  if (rc == -EBUSY)
    releve_err("spool %s is served by another releved (pid %ld): two daemons cannot share a "
               "spool tree, each takes the other's files in processing/ for leftovers; give "
               "each daemon a spool of its own (\"spool\" in its configuration)",
               d->cfg.spool, holder);
  else if (rc)
    releve_err("cannot lock the spool %s: %s", d->cfg.spool, strerror(-rc));
  return rc;
}

static int start(daemon_state *d) {
  uint64_t wd;
  int rc = releve__daemon_load(d->opts, &d->cfg, &d->plugins);

  if (rc)
    return rc;
  if ((rc = lock_spool(d)) != 0)
    return rc;
  d->env.cfg = &d->cfg;
  d->env.store = &d->store;
  d->env.plugins = &d->plugins;
  rc = releve_store_open(&d->store, d->cfg.database, RELEVE_STORE_RW);
  if (rc == 0)
    rc = releve_store_sync(&d->store, &d->cfg, NULL);
  if (rc == 0)
    rc = recover_spool(d);
  if (rc == 0)
    rc = releve__daemon_make_actors(d);
  if (rc)
    return rc;

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
  if (!d->opts->once && (rc = releve__daemon_start_poller(d)) != 0)
    return rc;
  releve__daemon_start_watch(d);
  releve__queue_scan_all(d);
  releve_info("ready: database %s, spool %s, %zu files waiting, %d at a time", d->store.path,
              d->cfg.spool, releve__queue_length(d), d->cfg.max_jobs);
  if (!d->opts->once)
    releve_notify("READY=1");
  releve__daemon_status(d);
  return 0;
}

int releve_daemon_run(const releve_daemon_options *o) {
  daemon_state *d = calloc(1, sizeof *d);
  int rc;

  if (d == NULL)
    return -ENOMEM;
  d->opts = o;
  d->spool_lock = -1;
  rc = start(d);
  if (rc) {
    releve_err("start-up failed: %s", strerror(-rc));
    if (d->loop_started)
      close_handles(d);
  } else {
    releve__daemon_pump(d);
  }
  if (d->loop_started) {
    uv_run(&d->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&d->loop) != 0)
      releve_warn("the loop still had handles at exit");
  }
  if (rc == 0)
    releve_info("stopped: %lu accepted, %lu refused, %lu already received, %lu to retry",
                d->accepted, d->refused, d->duplicates, d->failures);
  releve__queue_clear(d);
  releve__queue_clear_unreadable(d);
  releve__daemon_free_actors(d);
  releve_mailer_free(d->mailer);
  releve_store_close(&d->store);
  releve_plugins_unload(&d->plugins);
  releve_config_free(&d->cfg);
  if (d->spool_lock >= 0)
    close(d->spool_lock);
  free(d);
  return rc;
}
