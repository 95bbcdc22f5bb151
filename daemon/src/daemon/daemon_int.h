/* daemon_int.h -- what the files of releved's loop share: its state, the
 * queue of names found in the spool (queue.c) and the loading of the
 * configuration (reload.c). Not for other stages. */
#ifndef RELEVE_DAEMON_INT_H
#define RELEVE_DAEMON_INT_H

#include <stddef.h>
#include <uv.h>

#include "daemon/daemon.h"
#include "decode/plugin_host.h"
#include "ingest/ingest.h"
#include "pull/scheduler.h"
#include "remind/mailer.h"
#include "spool/job.h"
#include "spool/watch.h"
#include "store/store.h"

/* A name waiting to be handled. */
typedef struct item {
  struct item *next;
  size_t actor;
  int processing; /* found in processing/ (a retry) rather than incoming/ */
  char *name;
} item;

/* A name in processing/ and how many times it could not be opened. */
typedef struct unreadable {
  struct unreadable *next;
  size_t actor;
  char *name;
  int tries;
} unreadable;

/* A file in processing/ that could not be opened: after this many tries it
 * is refused (the partner is told why) rather than retried and logged at
 * every rescan. */
#define RELEVE_DAEMON_UNREADABLE_TRIES 3

typedef struct daemon_inbox daemon_inbox;

typedef struct daemon_state {
  uv_loop_t loop;
  uv_signal_t sigterm, sigint, sighup;
  uv_timer_t rescan, watchdog, quiet;
  const releve_daemon_options *opts;
  releve_config cfg;
  releve_plugins plugins;
  releve_store store;
  releve_ingest_env env;
  releve_job_env jobs;
  char **incoming, **processing, **archive, **rejected; /* one per actor */
  char **fault;  /* per actor: why its plugins cannot serve, or NULL */
  const char **fault_plugin; /* per actor: the plugin at fault (the actor's string) */
  int *held;     /* per actor: its fault is recorded in the database */
  int *running;  /* per actor: a job of this actor's is in flight */
  size_t n_jobs; /* jobs in flight */
  releve_watch *watch;
  releve_mailer *mailer; /* NULL with --once */
  releve_scheduler *poller; /* scheduled pulls; NULL with --once or no sources */
  daemon_inbox *inbox;      /* polled mailboxes; NULL with --once or no mailboxes */
  int poller_closing;    /* a reload waits for the old pollers to let go: how many */
  item *head, *tail;
  unreadable *unreadable;
  int spool_lock; /* the spool tree's lock file (spool.h), -1 until taken */
  int stopping, closing, reload_pending, loop_started;
  unsigned long accepted, refused, duplicates, failures;
  char last[256];
} daemon_state;

/* daemon.c */
/* Hands queued names to jobs, runs a pending reload, closes when stopping. */
void releve__daemon_pump(daemon_state *d);
/* The counts for systemd's status line. */
void releve__daemon_status(daemon_state *d);
/* Watches every actor's incoming/ (unless --once or watch is off). */
void releve__daemon_start_watch(daemon_state *d);

/* queue.c: names found by the watch and the rescans, in order. */
void releve__queue_add(daemon_state *d, size_t actor, int processing, const char *name);
/* Takes the first name whose actor has no job in flight, or NULL. */
item *releve__queue_take(daemon_state *d);
void releve__queue_free_item(item *it);
void releve__queue_clear(daemon_state *d);
size_t releve__queue_length(const daemon_state *d);
/* Personal-data files past their keeping period pruned, then processing/
 * (left by a crash or a system failure) and incoming/ of every actor. */
void releve__queue_scan_all(daemon_state *d);
/* Tries of names in processing/ that could not be opened. */
int releve__queue_unreadable_tries(daemon_state *d, size_t actor, const char *name);
void releve__queue_count_unreadable(daemon_state *d, size_t actor, const char *name);
void releve__queue_forget_unreadable(daemon_state *d, size_t actor, const char *name);
void releve__queue_clear_unreadable(daemon_state *d);

/* reload.c: configuration, plugins, per-actor folders and faults. */
/* Loads configuration, plugins and the database link into the given
 * slots; everything or nothing. */
int releve__daemon_load(const releve_daemon_options *o, releve_config *cfg,
                        releve_plugins *plugins);
/* The per-actor tables of d (folders, plugin faults, jobs' view of them),
 * made for d->cfg; freed by releve__daemon_free_actors. */
int releve__daemon_make_actors(daemon_state *d);
void releve__daemon_free_actors(daemon_state *d);
/* Starts the scheduled pulls and the polled mailboxes. */
int releve__daemon_start_poller(daemon_state *d);
/* Stops both; closed (may be NULL) is called once for each that was
 * running, once it has let go. Returns how many were. */
int releve__daemon_close_pollers(daemon_state *d, void (*closed)(void *data), void *data);

/* inbox.c: the polled mailboxes, their messages taken by the mail intake.
 * *out is NULL when there are none. 0 or a negative errno value. */
int releve__daemon_inbox_start(daemon_state *d, daemon_inbox **out);
/* Stops; closed (may be NULL) is called on the loop once all is released. */
void releve__daemon_inbox_close(daemon_inbox *in, void (*closed)(void *data), void *data);
/* Runs when no job is in flight. */
void releve__daemon_reload(daemon_state *d);

#endif
