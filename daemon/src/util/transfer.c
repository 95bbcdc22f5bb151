#include "util/transfer.h"

#include <errno.h>
#include <stdlib.h>

/* A socket curl asked us to watch. */
typedef struct watched {
  uv_poll_t poll;
  curl_socket_t fd;
  releve_transfer *f;
  struct watched *prev, *next;
} watched;

typedef struct transfer {
  CURL *easy;
  releve_transfer_cb cb;
  void *data;
  struct transfer *prev, *next;
} transfer;

struct releve_transfer {
  uv_loop_t *loop;
  CURLM *multi;
  uv_timer_t timer;
  watched *sockets;
  transfer *transfers;
  unsigned running;
};

static void on_watched_closed(uv_handle_t *h) { free(h->data); }

static void unwatch(watched *w) {
  if (w->prev)
    w->prev->next = w->next;
  else
    w->f->sockets = w->next;
  if (w->next)
    w->next->prev = w->prev;
  /* Closed now, before curl closes the descriptor: a socket opened next
   * may get the same number and needs a fresh poll handle. */
  uv_close((uv_handle_t *)&w->poll, on_watched_closed);
}

static void forget(releve_transfer *f, transfer *t) {
  if (t->prev)
    t->prev->next = t->next;
  else
    f->transfers = t->next;
  if (t->next)
    t->next->prev = t->prev;
  f->running--;
}

/* Hands every finished transfer to its callback. */
static void reap(releve_transfer *f) {
  CURLMsg *m;
  int left;

  while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
    transfer *t = NULL;
    CURL *easy = m->easy_handle;
    CURLcode result = m->data.result;
    if (m->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
    curl_multi_remove_handle(f->multi, easy);
    if (t == NULL)
      continue;
    forget(f, t);
    t->cb(t->data, easy, result);
    free(t);
  }
}

static void on_socket_event(uv_poll_t *p, int status, int events) {
  watched *w = p->data;
  releve_transfer *f = w->f;
  int flags = 0, running;

  if (status < 0)
    flags = CURL_CSELECT_ERR;
  if (events & UV_READABLE)
    flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE)
    flags |= CURL_CSELECT_OUT;
  curl_multi_socket_action(f->multi, w->fd, flags, &running);
  reap(f);
}

static void on_timer(uv_timer_t *t) {
  releve_transfer *f = t->data;
  int running;
  curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  reap(f);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
  releve_transfer *f = userp;
  watched *w = socketp;
  int events = 0;
  (void)easy;

  if (what == CURL_POLL_REMOVE) {
    if (w) {
      curl_multi_assign(f->multi, fd, NULL);
      unwatch(w);
    }
    return 0;
  }
  if (w == NULL) {
    w = calloc(1, sizeof *w);
    if (w == NULL)
      return -1;
    if (uv_poll_init_socket(f->loop, &w->poll, fd) != 0) {
      free(w);
      return -1;
    }
    w->fd = fd;
    w->f = f;
    w->poll.data = w;
    w->next = f->sockets;
    if (w->next)
      w->next->prev = w;
    f->sockets = w;
    curl_multi_assign(f->multi, fd, w);
  }
  if (what != CURL_POLL_IN)
    events |= UV_WRITABLE;
  if (what != CURL_POLL_OUT)
    events |= UV_READABLE;
  return uv_poll_start(&w->poll, events, on_socket_event) == 0 ? 0 : -1;
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
  releve_transfer *f = userp;
  (void)multi;
  if (timeout_ms < 0)
    uv_timer_stop(&f->timer);
  else
    uv_timer_start(&f->timer, on_timer, (uint64_t)timeout_ms, 0);
  return 0;
}

int releve_transfer_init(uv_loop_t *loop, releve_transfer **out) {
  releve_transfer *f = calloc(1, sizeof *f);
  int rc;

  *out = NULL;
  if (f == NULL)
    return -ENOMEM;
  f->loop = loop;
  f->multi = curl_multi_init();
  if (f->multi == NULL) {
    free(f);
    return -ENOMEM;
  }
  rc = uv_timer_init(loop, &f->timer);
  if (rc) {
    curl_multi_cleanup(f->multi);
    free(f);
    return rc;
  }
  f->timer.data = f;
  curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
  curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
  curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
  curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
  *out = f;
  return 0;
}

int releve_transfer_add(releve_transfer *f, CURL *easy, releve_transfer_cb cb, void *data) {
  transfer *t = calloc(1, sizeof *t);

  if (t == NULL)
    return -ENOMEM;
  t->easy = easy;
  t->cb = cb;
  t->data = data;
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
  /* curl arms the timer from inside add_handle; the transfer starts when
   * it fires on the loop. */
  if (curl_multi_add_handle(f->multi, easy) != CURLM_OK) {
    curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
    free(t);
    return -EINVAL;
  }
  t->next = f->transfers;
  if (t->next)
    t->next->prev = t;
  f->transfers = t;
  f->running++;
  return 0;
}

unsigned releve_transfer_running(const releve_transfer *f) { return f->running; }

static void on_timer_closed(uv_handle_t *h) { free(h->data); }

void releve_transfer_close(releve_transfer *f, void (*abandoned)(void *data, CURL *easy)) {
  while (f->transfers) {
    transfer *t = f->transfers;
    forget(f, t);
    curl_multi_remove_handle(f->multi, t->easy);
    curl_easy_setopt(t->easy, CURLOPT_PRIVATE, NULL);
    abandoned(t->data, t->easy);
    free(t);
  }
  /* Cleaning up closes the cached connections, telling on_curl_socket to
   * stop watching them; whatever it did not mention is closed after. */
  curl_multi_cleanup(f->multi);
  f->multi = NULL;
  while (f->sockets)
    unwatch(f->sockets);
  uv_close((uv_handle_t *)&f->timer, on_timer_closed);
}
