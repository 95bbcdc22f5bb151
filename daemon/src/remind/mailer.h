/* mailer.h -- releved's mail work: the reminder ladder (remind.h) at
 * start-up and then once a day, and the mail queue sender (mail_queue.h) every
 * minute and whenever a receipt is queued.
 *
 * The work runs on the libuv thread pool, one job at a time, so that SMTP
 * never blocks the loop. It uses its own SQLite connection: the daemon's
 * connection belongs to the file in hand (daemon.c runs one file step at a
 * time on it), and a second connection lets mail go out while a file is
 * being decoded. The two connections meet only at SQLite's write lock,
 * which the mail work takes briefly (no transaction is held across an SMTP
 * exchange) and waits for as long as a file's transaction may last (the
 * ingest holds it while the plugin decodes). */
#ifndef RELEVE_MAILER_H
#define RELEVE_MAILER_H

#include <uv.h>

#include "config/config.h"

typedef struct releve_mailer releve_mailer;

/* Opens the mail connection to cfg->database and starts the timer; cfg
 * must stay valid, and unchanged while releve_mailer_busy(). idle (may be
 * NULL) is called on the loop after each job. Returns 0 or a negative
 * errno value. */
int releve_mailer_start(uv_loop_t *loop, const releve_config *cfg, void (*idle)(void *ud), void *ud,
                        releve_mailer **out);
/* Runs the sender soon (a receipt was queued). */
void releve_mailer_kick(releve_mailer *m);
/* Whether a job is running on the thread pool (it reads cfg). */
int releve_mailer_busy(const releve_mailer *m);
/* Stops the timer; a job in progress stops after the message in hand. */
void releve_mailer_close(releve_mailer *m);
/* Frees everything, once the loop has run to its end. NULL is fine. */
void releve_mailer_free(releve_mailer *m);

#endif
