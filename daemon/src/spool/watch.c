#include "spool/watch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "util/fd.h"
#include "util/log.h"

struct releve_watch {
  uv_poll_t poll;
  int fd;
  int *wds; /* one per slot, -1 when not watched */
  size_t n;
  releve_watch_cb cb;
  void *data;
};

static void on_closed(uv_handle_t *h) {
  releve_watch *w = h->data;
  close(w->fd);
  free(w->wds);
  free(w);
}

static void on_events(uv_poll_t *h, int status, int events) {
  releve_watch *w = h->data;
  char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
  (void)events;

  if (status < 0) {
    releve_warn("inotify poll: %s", uv_strerror(status));
    w->cb(w->data, 0, NULL);
    return;
  }
  for (;;) {
    ssize_t len = releve_fd_read(w->fd, buf, sizeof buf);
    char *p;
    if (len <= 0)
      break;
    for (p = buf; p < buf + len;) {
      const struct inotify_event *e = (const struct inotify_event *)p;
      p += sizeof *e + e->len;
      if (e->mask & (IN_Q_OVERFLOW | IN_IGNORED)) {
        if (e->mask & IN_IGNORED)
          releve_warn("a watched spool folder went away; relying on rescans");
        else
          releve_info("inotify queue overflow: rescanning");
        w->cb(w->data, 0, NULL);
        continue;
      }
      if (e->len == 0 || (e->mask & IN_ISDIR))
        continue;
      for (size_t i = 0; i < w->n; i++)
        if (w->wds[i] == e->wd) {
          w->cb(w->data, i, e->name);
          break;
        }
    }
  }
}

int releve_watch_start(uv_loop_t *loop, char *const *dirs, size_t n, releve_watch_cb cb,
                       void *data, releve_watch **out) {
  releve_watch *w = calloc(1, sizeof *w);
  size_t i;
  int rc;

  *out = NULL;
  if (w == NULL || (w->wds = calloc(n ? n : 1, sizeof *w->wds)) == NULL) {
    free(w);
    return -ENOMEM;
  }
  w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w->fd < 0) {
    rc = -errno;
    free(w->wds);
    free(w);
    return rc;
  }
  w->n = n;
  w->cb = cb;
  w->data = data;
  for (i = 0; i < n; i++) {
    w->wds[i] = inotify_add_watch(w->fd, dirs[i],
                                  IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR);
    if (w->wds[i] < 0)
      releve_warn("cannot watch %s (%s): relying on rescans", dirs[i], strerror(errno));
  }
  rc = uv_poll_init(loop, &w->poll, w->fd);
  if (rc) {
    close(w->fd);
    free(w->wds);
    free(w);
    return rc;
  }
  w->poll.data = w;
  rc = uv_poll_start(&w->poll, UV_READABLE, on_events);
  if (rc) {
    uv_close((uv_handle_t *)&w->poll, on_closed);
    return rc;
  }
  *out = w;
  return 0;
}

void releve_watch_close(releve_watch *w) {
  if (w)
    uv_close((uv_handle_t *)&w->poll, on_closed);
}
