/* scheduler.h -- the daemon's scheduled pulls: every configured source is
 * pulled (pull.h) when its schedule says, on the daemon's loop.
 *
 * Transfers run together on one curl multi handle (util/transfer.h); the blocking
 * steps of a pull (reading secrets, fsync, sha256, the move into
 * incoming/, the pulls table) run on the thread pool, one at a time, with
 * the poller's own database connection, so that they never hold up the
 * loop nor use the ingest's connection. A body that lands in incoming/ is
 * then taken by the daemon like any dropped file.
 *
 * A failed pull is retried after retry_seconds, then twice that, four
 * times… but never later than the next scheduled run. When a source's
 * consecutive failures reach its notify_after_failures, the coordinator is
 * mailed through the outbox (once per run of failures). At start-up, a run
 * missed while the daemon was down is done at once. */
#ifndef RELEVE_SCHEDULER_H
#define RELEVE_SCHEDULER_H

#include <uv.h>

#include "config/config.h"

typedef struct releve_scheduler releve_scheduler;

/* Starts pulling cfg's sources on loop. *out is NULL when there are none.
 * Nothing of cfg is kept: it may be freed once this returns. Returns 0 or a
 * negative errno value. */
int releve_scheduler_start(uv_loop_t *loop, const releve_config *cfg, releve_scheduler **out);

/* Stops: transfers are abandoned (their staging files removed, nothing
 * recorded), the step running on the thread pool is let finish. closed
 * (may be NULL) is called on the loop once everything is released. */
void releve_scheduler_close(releve_scheduler *p, void (*closed)(void *data), void *data);

#endif
