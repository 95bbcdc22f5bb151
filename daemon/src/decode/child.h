/* child.h -- what every child forked to run plugin code does first.
 *
 * Plugin code runs in forked children (supervise.c decodes a file,
 * plugin_host.c probes a plugin before the daemon loads it). Such a child
 * inherits the parent's signal handlers (which write to the loop's signal
 * pipe), its signal mask, and its atexit() handlers: a plugin that calls
 * exit() would run the parent's clean-up code in the child, which can
 * crash there and turn an exit into a "signal 11". */
#ifndef RELEVE_CHILD_H
#define RELEVE_CHILD_H

/* Resets the usual and the fatal signals to their default action (a crash
 * is then seen as the signal it is) and unblocks every
 * signal, ignores SIGPIPE (a parent gone makes write() fail), asks for
 * SIGKILL when the parent dies, forbids core files, and makes exit() in
 * plugin code leave at once with its status, running no inherited
 * handler. Call it first thing after fork(), in the child. */
void releve_child_setup(void);

#endif
