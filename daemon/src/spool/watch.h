/* watch.h -- inotify on the actors' incoming/ folders, driven by a
 * uv_poll_t on the loop.
 *
 * Events are hints that a name may be ready (IN_CREATE covers SFTP servers
 * that link then unlink, IN_MOVED_TO the rename after an upload,
 * IN_CLOSE_WRITE a writer done with the final name). They are never the
 * authority: the start-up scan and the periodic rescan are. When the kernel
 * queue overflows (IN_Q_OVERFLOW) or a watched folder goes away, the
 * callback gets a NULL name: rescan everything. libuv's uv_fs_event_t is
 * not used because it drops IN_Q_OVERFLOW silently. */
#ifndef RELEVE_WATCH_H
#define RELEVE_WATCH_H

#include <stddef.h>
#include <uv.h>

/* slot is the index of the folder in the array given to start. */
typedef void (*releve_watch_cb)(void *data, size_t slot, const char *name);

typedef struct releve_watch releve_watch;

/* Watches every folder of dirs[0..n). A folder that cannot be watched is
 * logged and left to the rescan. Returns 0 or a negative errno value. */
int releve_watch_start(uv_loop_t *loop, char *const *dirs, size_t n, releve_watch_cb cb,
                       void *data, releve_watch **out);
/* Stops and frees (after the loop has closed the handle); NULL is ignored. */
void releve_watch_close(releve_watch *w);

#endif
