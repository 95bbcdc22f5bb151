#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int max_level = RELEVE_INFO;

void releve_log_set_level(int level) { max_level = level; }
int releve_log_get_level(void) { return max_level; }

void releve_vlog(int level, const char *fmt, va_list ap) {
  static const char *const words[] = {"emerg", "alert", "crit", "error",
                                      "warning", "notice", "info", "debug"};
  char line[2048];
  int n;

  if (level > max_level)
    return;
  if (level < 0 || level > 7)
    level = RELEVE_ERR;
  /* Format first and write once: lines from the daemon and its decoder
   * children must not interleave mid-line on the shared stderr. */
  if (isatty(STDERR_FILENO))
    n = snprintf(line, sizeof line, "%s: ", words[level]);
  else
    n = snprintf(line, sizeof line, "<%d>", level);
  n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
  if (n > (int)sizeof line - 2)
    n = (int)sizeof line - 2;
  line[n++] = '\n';
  line[n] = '\0';
  fputs(line, stderr);
}

void releve_log(int level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  releve_vlog(level, fmt, ap);
  va_end(ap);
}
