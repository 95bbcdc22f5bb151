/* timers.h -- one wall-clock timer per entry of a scheduled set (the
 * sources pulled, the mailboxes polled), on the loop, closed together.
 *
 * Each timer is one-shot: armed for a moment in seconds since the epoch,
 * it calls tick(ud, i) once then, and is armed again by its owner. */
#ifndef RELEVE_TIMERS_H
#define RELEVE_TIMERS_H

#include <stddef.h>
#include <time.h>
#include <uv.h>

typedef struct releve_timers releve_timers;

/* n timers, not yet on a loop: what can fail is done here, before the
 * owner opens anything that must be closed. Returns 0 or -ENOMEM (*out is
 * then NULL). releve_timers_free() lets go of them before they start. */
int releve_timers_new(size_t n, void (*tick)(void *ud, size_t i), void *ud, releve_timers **out);
void releve_timers_free(releve_timers *t);
/* The timers on loop, none armed; cannot fail. */
void releve_timers_start(releve_timers *t, uv_loop_t *loop);
/* Timer i fires at due (at once when due is past). Ignored once closing. */
void releve_timers_arm(releve_timers *t, size_t i, time_t due);
/* Closes every timer: no tick from then on, and done(ud) once the loop has
 * let go of them all; t is freed before done runs. */
void releve_timers_close(releve_timers *t, void (*done)(void *ud));

#endif
