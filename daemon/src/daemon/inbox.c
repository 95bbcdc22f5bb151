/* inbox.c -- the daemon's polled IMAP mailboxes (inbox/imap.h): each new
 * message is handed to the mail intake (inbox/inbox.h) as `releve receive`
 * hands it one piped by an MTA, and marked on the server once the intake
 * has durably taken or quarantined it.
 *
 * The intake runs on the thread pool while the loop may reload the
 * configuration: it works on a configuration, plugins and database
 * connection of its own, loaded when the poller starts and released once
 * it has closed. */
#include "daemon/daemon_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inbox/imap.h"
#include "inbox/inbox.h"
#include "util/log.h"

struct daemon_inbox {
  releve_imap *imap;
  releve_config cfg;
  releve_plugins plugins;
  releve_store store;
  void (*closed)(void *data);
  void *closed_data;
};

static void inbox_free(daemon_inbox *in) {
  releve_store_close(&in->store);
  releve_plugins_unload(&in->plugins);
  releve_config_free(&in->cfg);
  free(in);
}

/* On the thread pool (imap.h): the intake's outcome, logged. */
static int take(void *ud, const releve_mailbox *m, unsigned long uid, const char *message,
                size_t len) {
  daemon_inbox *in = ud;
  releve_inbox_envelope env = {NULL, NULL}; /* IMAP gives no envelope */
  releve_inbox_result res;
  int rc;

  memset(&res, 0, sizeof res);
  rc = releve_inbox_receive(&in->store, &in->cfg, &in->plugins, message, len, len, &env, &res);
  if (rc)
    return rc;
  if (res.outcome == RELEVE_INBOX_TAKEN)
    releve_info("mailbox %s: UID %lu, message %s of %s: %d file(s) dropped into incoming/", m->id,
                uid, res.key, res.actor, res.dropped);
  else if (res.outcome == RELEVE_INBOX_QUARANTINED)
    releve_info("mailbox %s: UID %lu, message %s quarantined: %s", m->id, uid, res.key, res.why);
  else
    releve_info("mailbox %s: UID %lu, message %s was taken before: nothing new", m->id, uid,
                res.key);
  return 0;
}

int releve__daemon_inbox_start(daemon_state *d, daemon_inbox **out) {
  releve_diags diags = {0};
  daemon_inbox *in;
  int rc;

  *out = NULL;
  if (d->cfg.mailboxes.n == 0)
    return 0;
  if ((in = calloc(1, sizeof *in)) == NULL)
    return -ENOMEM;
  /* The file the running configuration came from, checked already. */
  rc = releve_config_load(&in->cfg, d->cfg.file, &diags);
  releve_diags_free(&diags);
  if (rc == 0)
    rc = releve_plugins_load(&in->plugins, in->cfg.plugins);
  if (rc == 0)
    rc = releve_store_open(&in->store, in->cfg.database, RELEVE_STORE_RW);
  if (rc == 0)
    rc = releve_imap_start(&d->loop, &in->cfg, take, in, &in->imap);
  if (rc) {
    inbox_free(in);
    return rc;
  }
  *out = in;
  return 0;
}

static void on_imap_closed(void *data) {
  daemon_inbox *in = data;
  void (*closed)(void *) = in->closed;
  void *closed_data = in->closed_data;
  inbox_free(in);
  if (closed)
    closed(closed_data);
}

void releve__daemon_inbox_close(daemon_inbox *in, void (*closed)(void *data), void *data) {
  in->closed = closed;
  in->closed_data = data;
  if (in->imap)
    releve_imap_close(in->imap, on_imap_closed, in);
  else
    on_imap_closed(in);
}
