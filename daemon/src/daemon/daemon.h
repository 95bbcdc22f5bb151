/* daemon.h -- the long-running side of relevé (releved): start-up, the
 * libuv loop, signals and shutdown. */
#ifndef RELEVE_DAEMON_H
#define RELEVE_DAEMON_H

typedef struct releve_daemon_options {
  const char *config; /* -c, or NULL */
  int once;           /* scan, ingest, exit */
} releve_daemon_options;

/* Runs until SIGTERM/SIGINT (or, with once, until the spool is drained).
 * Returns 0 on a clean stop, a negative errno value when start-up failed. */
int releve_daemon_run(const releve_daemon_options *o);

#endif
