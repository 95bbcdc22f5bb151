/* notify.h -- the systemd notification protocol (sd_notify(3)), written
 * out here rather than linking libsystemd: one datagram of "KEY=value"
 * lines sent to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or an
 * abstract name when it starts with '@'). Without $NOTIFY_SOCKET every call
 * is a no-op, so the daemon runs the same outside systemd.
 *
 * The daemon sends READY=1 once the database is open and the first scan is
 * done, STATUS=… with its counts, RELOADING=1 on SIGHUP, STOPPING=1, and
 * WATCHDOG=1 from a loop timer at half of $WATCHDOG_USEC. */
#ifndef RELEVE_NOTIFY_H
#define RELEVE_NOTIFY_H

#include <stdint.h>

/* Sends state ("READY=1", "STATUS=…", several lines allowed). Returns 1
 * when sent, 0 when not under systemd, a negative errno value on failure. */
int releve_notify(const char *state);
int releve_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The watchdog interval asked by systemd in microseconds ($WATCHDOG_USEC,
 * when $WATCHDOG_PID is unset or this process), 0 when none. */
uint64_t releve_notify_watchdog_usec(void);

#endif
