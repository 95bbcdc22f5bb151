/* host.c -- checks of the decode arguments and calls to the host services. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

#define MESSAGE_MAX 1024

int releve_kit_host_check(const releve_decode_args *args) {
  if (args == NULL ||
      args->struct_size < offsetof(releve_decode_args, options) + sizeof(args->options))
    return -EINVAL;
  const releve_host_services *h = args->host;
  if (h == NULL || h->struct_size < offsetof(releve_host_services, log) + sizeof(h->log))
    return -EINVAL;
  if (h->columns == NULL || h->row == NULL || h->error == NULL || h->log == NULL ||
      args->read == NULL)
    return -EINVAL;
  return 0;
}

static int host_verror(const releve_decode_args *args, unsigned long line, unsigned column,
                       const char *value, const char *fmt, va_list ap) RELEVE_PRINTF(5, 0);

static int host_verror(const releve_decode_args *args, unsigned long line, unsigned column,
                       const char *value, const char *fmt, va_list ap) {
  char text[MESSAGE_MAX];
  int n = vsnprintf(text, sizeof text, fmt, ap);
  if (n >= (int)sizeof text)
    text[releve_kit_utf8_cut(text, sizeof text - 1)] = '\0';
  int rc = args->host->error(args->host_ctx, line, column, value, "%s", text);
  return rc < 0 ? rc : 0;
}

int releve_kit_host_error(const releve_decode_args *args, unsigned long line, unsigned column,
                          const char *value, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = host_verror(args, line, column, value, fmt, ap);
  va_end(ap);
  return rc;
}

int releve_kit_host_fail(const releve_decode_args *args, int rc, unsigned long line,
                         unsigned column, const char *fmt, ...) {
  if (rc == -ECANCELED)
    return rc;
  va_list ap;
  va_start(ap, fmt);
  int host_rc = host_verror(args, line, column, NULL, fmt, ap);
  va_end(ap);
  return host_rc < 0 ? host_rc : rc;
}

void releve_kit_host_log(const releve_decode_args *args, int level, const char *fmt, ...) {
  char text[MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof text)
    text[releve_kit_utf8_cut(text, sizeof text - 1)] = '\0';
  args->host->log(args->host_ctx, level, "%s", text);
}

static const releve_option_value *host_option(const releve_decode_args *args, size_t index) {
  if (args->options == NULL || !args->options[index].is_set)
    return NULL;
  return &args->options[index];
}

const char *releve_kit_host_option_str(const releve_decode_args *args,
                                       const releve_option *table, size_t index) {
  const releve_option_value *v = host_option(args, index);
  if (v != NULL && v->str != NULL)
    return v->str;
  return table[index].default_value != NULL ? table[index].default_value : "";
}

long long releve_kit_host_option_int(const releve_decode_args *args,
                                     const releve_option *table, size_t index) {
  const releve_option_value *v = host_option(args, index);
  if (v != NULL)
    return v->num;
  return table[index].default_value != NULL ? strtoll(table[index].default_value, NULL, 10) : 0;
}

int releve_kit_host_option_bool(const releve_decode_args *args, const releve_option *table,
                                size_t index) {
  const releve_option_value *v = host_option(args, index);
  if (v != NULL)
    return v->flag != 0;
  const char *d = table[index].default_value;
  return d != NULL && (strcmp(d, "true") == 0 || strcmp(d, "1") == 0 || strcmp(d, "yes") == 0);
}
