#include "decode/child.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Registered last, so run first by exit(): nothing registered by the
 * parent runs in the child, and the exit status is kept (on_exit, unlike
 * atexit, is given it). */
static void leave_now(int status, void *unused) {
  (void)unused;
  _exit(status);
}

void releve_child_setup(void) {
  /* The fatal ones too: a handler inherited from the parent (a test
   * harness, a sanitizer) would turn the plugin's crash into something
   * else, or carry on running the parent's code in the child. */
  static const int sigs[] = {SIGTERM, SIGINT, SIGHUP,  SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2,
                             SIGSEGV, SIGBUS, SIGFPE, SIGILL,  SIGABRT, SIGTRAP};
  struct rlimit nocore = {0, 0};
  sigset_t all;
  size_t i;

  for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    signal(sigs[i], SIG_DFL);
  signal(SIGPIPE, SIG_IGN);
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  setrlimit(RLIMIT_CORE, &nocore);
  on_exit(leave_now, NULL);
}
