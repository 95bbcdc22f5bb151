#include "util/timers.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct slot {
  uv_timer_t timer;
  releve_timers *t;
  size_t i;
} slot;

struct releve_timers {
  slot *slots;
  size_t n, open;
  void (*tick)(void *ud, size_t i);
  void (*done)(void *ud);
  void *ud;
  int closing;
};

static void on_timer(uv_timer_t *h) {
  slot *s = h->data;
  if (!s->t->closing)
    s->t->tick(s->t->ud, s->i);
}

int releve_timers_new(size_t n, void (*tick)(void *ud, size_t i), void *ud, releve_timers **out) {
  releve_timers *t = calloc(1, sizeof *t);

  *out = NULL;
  if (t == NULL || (n && (t->slots = calloc(n, sizeof *t->slots)) == NULL)) {
    free(t);
    return -ENOMEM;
  }
  t->n = n;
  t->tick = tick;
  t->ud = ud;
  *out = t;
  return 0;
}

void releve_timers_free(releve_timers *t) {
  if (t) {
    free(t->slots);
    free(t);
  }
}

void releve_timers_start(releve_timers *t, uv_loop_t *loop) {
  size_t i;
  for (i = 0; i < t->n; i++) {
    uv_timer_init(loop, &t->slots[i].timer);
    t->slots[i].timer.data = &t->slots[i];
    t->slots[i].t = t;
    t->slots[i].i = i;
  }
  t->open = t->n;
}

void releve_timers_arm(releve_timers *t, size_t i, time_t due) {
  time_t now = time(NULL);
  uint64_t ms = due > now ? (uint64_t)(due - now) * 1000 : 0;
  if (!t->closing)
    uv_timer_start(&t->slots[i].timer, on_timer, ms, 0);
}

static void finish(releve_timers *t) {
  void (*done)(void *) = t->done;
  void *ud = t->ud;
  releve_timers_free(t);
  if (done)
    done(ud);
}

static void on_closed(uv_handle_t *h) {
  releve_timers *t = ((slot *)h->data)->t;
  if (--t->open == 0)
    finish(t);
}

void releve_timers_close(releve_timers *t, void (*done)(void *ud)) {
  size_t i;
  t->closing = 1;
  t->done = done;
  if (t->open == 0) {
    finish(t);
    return;
  }
  for (i = 0; i < t->n; i++)
    uv_close((uv_handle_t *)&t->slots[i].timer, on_closed);
}
