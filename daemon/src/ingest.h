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
 * child process and feed its rows here through the same services:
 *
 *   releve_ingest_begin()          open, hash, recognise a file seen before
 *   releve_ingest_services()       columns / row / error / log, ctx = the ingest
 *   releve_ingest_finish()         validate, commit or roll back, report
 *
 * releve_ingest_file() does all three with the plugin in this process. */
#ifndef RELEVE_INGEST_H
#define RELEVE_INGEST_H

#include "config.h"
#include "plugin_host.h"
#include "store.h"

typedef struct releve_ingest_env {
  const releve_config *cfg;
  releve_store *store;          /* the writer connection */
  const releve_plugins *plugins;
} releve_ingest_env;

typedef struct releve_ingest_request {
  const char *actor;
  const char *path;    /* the file to read (opened O_NOFOLLOW|O_NONBLOCK) */
  const char *name;    /* the name to record and report, NULL: base name of path */
  const char *channel; /* "spool", "poll" or "cli" */
  /* The plugin to read the file with whatever it holds (`releve ingest
   * --plugin`); NULL: the first of the actor's plugins that recognises the
   * file (reader.h). */
  const char *plugin;
  int dry_run;         /* check everything, store nothing */
  /* Queue the partner's receipt (receipt.h) in the transaction that records
   * the outcome: a file is never stored without its mail, and a crash
   * before the COMMIT leaves neither. */
  int receipt;
  /* For a file found in processing/ (a retry): the submission the daemon
   * recorded last before it started, 0 if none. When that submission is
   * this actor's, these same bytes under this same name, the daemon died
   * after recording the file and before moving it: that outcome and report
   * are given back, nothing is recorded or mailed twice. */
  long long last_recorded;
  /* Optional, for a terminal: called as the file is read in this process
   * (releve_ingest_file), first at the first row, with the bytes read so far
   * and the file's size. Never called when decoding happens elsewhere. */
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
} releve_ingest_result;

typedef struct releve_ingest releve_ingest;

/* Opens and hashes the file, picks its reader among the actor's plugins
 * (reader.h) with its options, and starts the transaction. On success *out
 * is the ingest to feed; when the file cannot be taken at all (not a
 * regular file, unknown actor, no plugin recognises it, bad options) the ingest is still returned and finish() refuses
 * it with the reason. Returns a negative errno value only when the system
 * failed (database busy or broken, out of memory): the file must then be
 * left where it is and retried. */
int releve_ingest_begin(const releve_ingest_env *env, const releve_ingest_request *req,
                        releve_ingest **out);
/* Whether the file can be decoded (not refused nor a duplicate already). */
int releve_ingest_wants_rows(const releve_ingest *in);
/* The plugin to decode with and its option values (valid until finish). */
const releve_plugin *releve_ingest_plugin(const releve_ingest *in);
const releve_option_value *releve_ingest_options(const releve_ingest *in);
/* The open file descriptor of the file, positioned at its start. */
int releve_ingest_fd(const releve_ingest *in);
/* Host services to give the plugin, with releve_ingest* as ctx. */
const releve_host_services *releve_ingest_services(void);
/* The rows that follow come from this sheet of a workbook: the report then
 * locates problems as "Feuil1!E12". ctx is the ingest. 0 or -ENOMEM. */
int releve_ingest_sheet(void *ctx, const char *name);
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

/* begin + decode in this process + finish. */
int releve_ingest_file(const releve_ingest_env *env, const releve_ingest_request *req,
                       releve_ingest_result *res);
void releve_ingest_result_free(releve_ingest_result *res);

#endif
