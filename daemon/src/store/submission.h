/* submission.h -- the submissions table as a file's ingest and the
 * spool's recovery use it: one row per file taken (actor, channel, name,
 * size, sha256, plugin, outcome, counts, report). The statements are in
 * store_sql.h. Errors are returned as negative errno values and never
 * logged here: the caller knows which file failed and what happens next. */
#ifndef RELEVE_SUBMISSION_H
#define RELEVE_SUBMISSION_H

#include <stddef.h>

#include "store/store.h"

typedef struct releve_submission {
  const char *actor, *channel, *name, *sha256, *plugin;
  const char *outcome;     /* "accepted" or "refused" */
  const char *received_at; /* UTC text, shared by the file's figures */
  const char *report;      /* NULL: empty */
  const char *message_id;  /* channel "mail": the message it came in; else NULL */
  unsigned long long size;
  int added, changed, unchanged, refused, warnings;
} releve_submission;

/* Inside a write transaction, before anything of actor's is read for
 * it: waits until no other transaction on the database writes actor's
 * cells (PostgreSQL, where several daemons write at once; on SQLite the
 * transaction already holds the database). Released by its end. 0 or a
 * negative errno value (-EBUSY: a lock timeout or deadlock, try again). */
int releve_submission_lock_actor(releve_store *s, const char *actor);
/* Records sub; *id gets its id. 0 or a negative errno value. */
int releve_submission_insert(releve_store *s, const releve_submission *sub, long long *id);
/* Sets the counts (sub's added, changed, unchanged, refused, warnings) and
 * the report of submission id, once its figures are in. */
int releve_submission_set_counts(releve_store *s, long long id, const releve_submission *sub);
/* The accepted submission of actor with these bytes, in *id; 0 when none. */
int releve_submission_find_accepted(releve_store *s, const char *actor, const char *sha256,
                                    long long *id);
/* Whether a scheduled pull dropped these bytes in the actor's spool
 * (pull.c notes each body before it lands): 1 or 0, or a negative errno. */
int releve_submission_pulled(releve_store *s, const char *actor, const char *sha256);
/* Whether a partner's mail brought these bytes into the actor's spool
 * (inbox/ notes each attachment before it lands): 1 with *message_id (the
 * newest such message's, malloc'ed), 0, or a negative errno value. */
int releve_submission_mailed(releve_store *s, const char *actor, const char *sha256,
                             char **message_id);

/* Whether actor ever sent a file by dropping it into its spool folder
 * (channel "spool"): 1 or 0, or a negative errno value. Mails name the
 * folder only to actors that use it. */
int releve_submission_spool_used(releve_store *s, const char *actor);

/* What a submission recorded, as found again. */
typedef struct releve_submission_found {
  long long id;
  int accepted; /* else refused */
  int added, changed, unchanged, refused, warnings;
  char *report; /* malloc'ed */
} releve_submission_found;

/* The newest submission of actor that recorded these bytes under name or
 * one of its variants of at most max_len bytes (name.h), or under any name
 * when name is NULL. Returns 1 with *out filled (free out->report), 0 when
 * there is none, or a negative errno value. */
int releve_submission_recorded(releve_store *s, const char *actor, const char *sha256,
                               const char *name, size_t max_len, releve_submission_found *out);

#endif
