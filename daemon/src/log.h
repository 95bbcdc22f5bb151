/* log.h -- administrator logs on stderr.
 *
 * Every line starts with a syslog priority prefix ("<3>", "<4>", "<6>",
 * "<7>") so that journald keeps the level when relevé runs under systemd;
 * on a terminal the prefix is replaced by a readable word. Logs are English;
 * partner-facing texts live in reports and mails, never here. */
#ifndef RELEVE_LOG_H
#define RELEVE_LOG_H

#include <stdarg.h>

enum releve_log_level {
  RELEVE_ERR = 3,
  RELEVE_WARNING = 4,
  RELEVE_NOTICE = 5,
  RELEVE_INFO = 6,
  RELEVE_DEBUG = 7
};

/* Messages above this level are dropped (default RELEVE_INFO). */
void releve_log_set_level(int level);
int releve_log_get_level(void);

void releve_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void releve_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define releve_err(...) releve_log(RELEVE_ERR, __VA_ARGS__)
#define releve_warn(...) releve_log(RELEVE_WARNING, __VA_ARGS__)
#define releve_info(...) releve_log(RELEVE_INFO, __VA_ARGS__)
#define releve_debug(...) releve_log(RELEVE_DEBUG, __VA_ARGS__)

#endif
