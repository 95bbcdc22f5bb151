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

/* s with every byte a reader must not take as is escaped: control
 * characters (newline, tab, escape…, C1 too), DEL and bytes that are not
 * valid UTF-8 become \xNN, the backslash \\, so that an escape cannot be
 * forged; printable UTF-8 (accents) is kept. Every log line goes through
 * it; reports use it for names. Malloc'ed, NULL when out of memory. */
char *releve_log_escape(const char *s);
/* Whether s is printable UTF-8 throughout (releve_log_escape() would only
 * double its backslashes): a file name relevé may keep as it is. */
int releve_log_clean_name(const char *s);
/* s with each byte releve_log_escape() would write as \xNN made '_': the
 * name a refused file keeps in the spool. Malloc'ed. */
char *releve_log_safe_name(const char *s);

void releve_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void releve_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define releve_err(...) releve_log(RELEVE_ERR, __VA_ARGS__)
#define releve_warn(...) releve_log(RELEVE_WARNING, __VA_ARGS__)
#define releve_info(...) releve_log(RELEVE_INFO, __VA_ARGS__)
#define releve_debug(...) releve_log(RELEVE_DEBUG, __VA_ARGS__)

#endif
