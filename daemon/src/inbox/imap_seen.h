/* imap_seen.h -- what the database keeps of each polled IMAP mailbox
 * (tables imap_folders and imap_taken, store_sql.h): the folder's
 * UIDVALIDITY, its failures in a row, and the UIDs already taken.
 *
 * A UID means a message only under one UIDVALIDITY: when the server
 * announces another, the UIDs taken before are forgotten and every message
 * of the folder is offered again; the intake's Message-ID check keeps each
 * one taken once. Blocking: called on the thread pool or by the CLI. */
#ifndef RELEVE_IMAP_SEEN_H
#define RELEVE_IMAP_SEEN_H

#include <stddef.h>
#include <time.h>

#include "store/store.h"

typedef struct releve_imap_seen_state {
  unsigned long long uidvalidity; /* 0: never polled */
  time_t last_attempt;            /* 0: never */
  int failures;                   /* in a row */
} releve_imap_seen_state;

/* Reads mailbox's row (all zero when it has none). Returns 0 or an errno. */
int releve_imap_seen_get(releve_store *s, const char *mailbox, releve_imap_seen_state *out);

/* Records the UIDVALIDITY the server announced, forgetting the UIDs taken
 * under another one (*changed says so), then removes from uids[0..*n) those
 * already taken, keeping the order. Returns 0 or an errno. */
int releve_imap_seen_filter(releve_store *s, const char *mailbox, unsigned long long uidvalidity,
                            int *changed, unsigned long *uids, size_t *n);

/* Records uid as done, with outcome "taken" or "too large". Returns 0 or an
 * errno. */
int releve_imap_seen_add(releve_store *s, const char *mailbox, unsigned long uid,
                         const char *outcome);

/* Records how a poll ended: error NULL for success (failures reset), else
 * one more failure, whose count is put in *failures. Returns 0 or an
 * errno. */
int releve_imap_seen_attempt(releve_store *s, const char *mailbox, time_t when, const char *error,
                             int *failures);

#endif
