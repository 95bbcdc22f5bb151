/* mailboxes.h -- the "mailboxes" of the configuration: IMAP folders the
 * daemon polls for partners' replies (inbox/imap.h).
 *
 *   {"id": "depot",
 *    "url": "imaps://imap.paris.fr/INBOX",   imaps://, or imap:// (STARTTLS
 *                                             required, unless the host is
 *                                             the loopback); the path names
 *                                             the folder, INBOX when empty
 *    "credentials_file": "secrets/depot.login", one line "user:password"
 *    "schedule": "5m"  (or a cron expression; see schedule.h),
 *    "move_to": "Traites",                   folder a taken message is moved
 *                                             to; without it, it is marked
 *                                             \Seen and stays
 *    "ca_file": "imap-ca.pem",               CA bundle for this server
 *    "max_bytes": 67108864,                  larger messages are left alone
 *    "timeout_seconds": 120, "retry_seconds": 60}
 *
 * Relative paths resolve against the configuration file's folder; the
 * credentials file is read at each poll and never logged. */
#ifndef RELEVE_MAILBOXES_H
#define RELEVE_MAILBOXES_H

#include <stddef.h>

#include "util/schedule.h"

typedef struct releve_mailbox {
  char *id;
  char *url;    /* as configured, for the logs */
  char *server; /* scheme://host[:port]/, the URL of commands on no folder */
  char *folder; /* the polled folder, decoded ("INBOX") */
  char *folder_url; /* server + the folder, URL-encoded */
  char *credentials_file;
  char *ca_file; /* NULL: the system's CAs */
  char *move_to; /* NULL: mark \Seen */
  char *schedule_text;
  releve_schedule schedule;
  long long max_bytes;
  int timeout_seconds;
  int retry_seconds;
  int require_tls; /* imaps://, or imap:// to another host than the loopback */
} releve_mailbox;

typedef struct releve_mailboxes {
  releve_mailbox *items;
  size_t n;
} releve_mailboxes;

/* The mailboxes are read and checked once, with the configuration (each
 * problem a diagnostic naming its key), into cfg->mailboxes (config.h).
 *
 * A deep copy of from, for the poller, which outlives a configuration
 * reloaded under it. 0 or -ENOMEM (then to is empty). */
int releve_mailboxes_copy(const releve_mailboxes *from, releve_mailboxes *to);
void releve_mailboxes_free(releve_mailboxes *m);

#endif
