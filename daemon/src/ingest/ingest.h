/* ingest.h -- one partner file in, checked figures with provenance out:
 *
 *   claim (the caller) → decode (a plugin) → map → validate → store → report
 *
 * One file is one transaction: every figure is stored, or none. The file is
 * recorded as a submission (actor, channel, name, size, sha256, plugin,
 * counts, report); the same bytes sent again by the same actor are
 * recognised and change nothing. Every file gets a report in French that a
 * partner can act on: for a refused file every problem with its line,
 * column, value, reason and what is expected; for an accepted one what was
 * stored.
 *
 * The decode step is separate so that the daemon can run the plugin in a
 * child process. No transaction is open while the plugin runs (it may take
 * minutes, and the write lock would stop every other writer): what it
 * reports is kept in a rowspool (rowspool.h) and handed to the ingest
 * afterwards, under one short BEGIN IMMEDIATE … COMMIT:
 *
 *   releve_ingest_begin()          open, hash, recognise a file seen before
 *   releve_ingest_open_spool()     where the plugin's rows wait
 *   (choose, no lock held)         the reader is chosen (reader.h) where
 *   releve_ingest_set_reader()     the plugin runs, and told here
 *   (decode, no lock held)         the plugin writes into the rowspool
 *   releve_ingest_replay()         BEGIN IMMEDIATE at the first row; map,
 *                                  validate and write every figure
 *   releve_ingest_finish()         commit or roll back, report
 *
 * releve_ingest_file() does it all, with the plugin in a supervised child
 * (supervise.h) under a loop of its own. */
#ifndef RELEVE_INGEST_H
#define RELEVE_INGEST_H

#include "config/config.h"
#include "decode/plugin_host.h"
#include "decode/reader.h"
#include "decode/rowspool.h"
#include "store/store.h"

typedef struct releve_ingest_env {
  const releve_config *cfg;
  releve_store *store;          /* the writer connection */
  const releve_plugins *plugins;
} releve_ingest_env;

struct releve_ingest_result;

typedef struct releve_ingest_request {
  const char *actor;
  const char *path;    /* the file to read (opened O_NOFOLLOW|O_NONBLOCK) */
  const char *name;    /* the name to record and report, NULL: base name of path */
  const char *channel; /* "spool", "poll" or "cli"; "mail" is found, as "poll" */
  /* The plugin to read the file with whatever it holds (`releve ingest
   * --plugin`); NULL: the first of the actor's plugins that recognises the
   * file (reader.h). */
  const char *plugin;
  int dry_run;         /* check everything, store nothing */
  /* Called in the transaction that records the outcome, just before its
   * COMMIT (never for a dry run), with the result as it will be returned:
   * what must be committed with the outcome or not at all, such as the
   * partner's receipt (receipt.h). A file is then never stored
   * without it, and a crash before the COMMIT leaves neither. A negative
   * errno value rolls everything back: the file has no outcome and is
   * retried. NULL: nothing more is written. */
  int (*on_outcome)(void *ud, const releve_ingest_env *env, const char *actor,
                    const char *name, const struct releve_ingest_result *res);
  void *on_outcome_ud;
  /* A file found in processing/ (a retry): the daemon died, or could not
   * move it out, after recording it. When a submission of this actor
   * recorded these same bytes under this name (or the name it was claimed
   * under, "name~2.csv"), that outcome and report are given back: nothing
   * is recorded or mailed twice, however many times the file is retried.
   * (The same file sent again under the same name and caught by a crash
   * before its "déjà reçu" is recorded gets no second receipt either.) */
  int retry;
  /* Refuse the file without opening it, for this French reason (a link, a
   * FIFO, a file the server cannot read, a name that cannot be kept): it
   * is recorded as refused with its receipt like any refused file. */
  const char *refusal;
  /* Optional, for a terminal: called as the file is read by
   * releve_ingest_file, first at the first row, with the bytes read so far
   * and the file's size. Never called by the daemon's decoding. */
  void (*progress)(void *ud, unsigned long long done, unsigned long long size);
  void *progress_ud;
} releve_ingest_request;

typedef enum releve_outcome {
  RELEVE_ACCEPTED = 1,
  RELEVE_REFUSED = 2,
  RELEVE_DUPLICATE = 3 /* these bytes were already stored for this actor */
} releve_outcome;

typedef struct releve_ingest_result {
  releve_outcome outcome;
  long long submission; /* its id, 0 for a dry run or a duplicate */
  int added, changed, unchanged, refused, warnings;
  /* Of the figures read: those that fill a cell the référentiel expects
   * (added, changed or unchanged), and those for a geography no cell
   * expects, kept for information (context). */
  int filled, context;
  char sha256[65];
  unsigned long long size;
  char *report; /* French, for the partner; malloc'ed */
  char *message_id; /* channel "mail": the partner's Message-ID, malloc'ed; else NULL */
} releve_ingest_result;

typedef struct releve_ingest releve_ingest;

/* Opens and hashes the file and looks for the same bytes seen before; no
 * transaction is opened yet and no plugin code runs (the reader is chosen
 * afterwards, where the plugin runs: releve_ingest_set_reader). On success
 * *out is the ingest to feed; when the file cannot be taken at all (not a
 * regular file, empty) the ingest is still returned and finish() refuses
 * it with the reason. Returns a negative errno value when the system
 * failed (database busy or broken, out of memory) and -ENOPKG when a
 * plugin the actor names is not loaded (plugin_fault.h says why): the file
 * must then be left where it is and retried. */
int releve_ingest_begin(const releve_ingest_env *env, const releve_ingest_request *req,
                        releve_ingest **out);
/* Whether the file's reader is still to be chosen: it is neither refused
 * already nor a file the last submission recorded. A duplicate is still
 * given its reader, which its report names. */
int releve_ingest_wants_reader(const releve_ingest *in);
/* The actor whose file this is, and the plugin the request forces (NULL:
 * the actor's order decides), for choosing the reader. */
const releve_actor *releve_ingest_actor(const releve_ingest *in);
const char *releve_ingest_forced(const releve_ingest *in);
/* The reader chosen for the file (releve_reader_choose_file), c->plugin
 * one of the ingest's plugins; or, with why (French) not NULL, the reason
 * none could be: the file is then refused with it. Adds the choice's note
 * to the report and resolves the reader's options. Returns 0; -ENOPKG when
 * the actor's options do not fit the plugin (configuration's fault: abort,
 * the file is retried); -ENOMEM. */
int releve_ingest_set_reader(releve_ingest *in, const releve_reader_choice *c, const char *why);
/* Whether the file can be decoded: its reader is set, it is not refused
 * nor a duplicate already. */
int releve_ingest_wants_rows(const releve_ingest *in);
/* Whether these bytes were already stored for this actor (as far as can
 * be told before the write lock, which checks again): the file is then
 * not decoded. */
int releve_ingest_is_duplicate(const releve_ingest *in);
/* The open file descriptor of the file, positioned at its start. */
int releve_ingest_fd(const releve_ingest *in);
/* Host services that take rows, with releve_ingest* as ctx; the first
 * row or column list opens the transaction (BEGIN IMMEDIATE). */
const releve_host_services *releve_ingest_services(void);
/* The rows that follow come from this sheet of a workbook: the report then
 * locates problems as "Feuil1!E12". ctx is the ingest; the replay of a
 * rowspool calls it. 0 or -ENOMEM. */
int releve_ingest_sheet(void *ctx, const char *name);
/* Opens s, an empty rowspool in the database's folder, for the rows the
 * decoding child relays. Returns 0 or a negative errno value (logged). */
int releve_ingest_open_spool(const releve_ingest_env *env, releve_rowspool *s);
/* Hands what the plugin left in s to the ingest (the transaction opens
 * here). When a service asked to stop, *decode_rc gets its value. Returns
 * 0, or a negative errno value when s could not be written or read back:
 * a system failure (abort, the file is retried). */
int releve_ingest_replay(releve_ingest *in, releve_rowspool *s, int *decode_rc);
/* Ends the ingest: decode_rc is what decode() returned (or, from a child,
 * -ECHILD); failure, when not NULL, is a French sentence saying why decoding
 * stopped ("le module caf a échoué : signal 11", "délai dépassé"). Commits
 * or rolls back, fills res, and frees in. Returns 0 when the file has an
 * outcome, a negative errno value when the system failed (nothing stored,
 * file to retry). */
int releve_ingest_finish(releve_ingest *in, int decode_rc, const char *failure,
                         releve_ingest_result *res);

/* Gives up without an outcome: rolls back, records nothing, frees in. For
 * a system failure after begin (the decoder could not be started): the file
 * stays where it is and is tried again later. */
void releve_ingest_abort(releve_ingest *in);

/* begin + choose and decode in a supervised child, with the
 * configuration's decode limits + finish. Returns as finish(), or a
 * negative errno value when no child could be run (-ENOPKG when the actor's
 * options do not fit the reader). */
int releve_ingest_file(const releve_ingest_env *env, const releve_ingest_request *req,
                       releve_ingest_result *res);
void releve_ingest_result_free(releve_ingest_result *res);

#endif
