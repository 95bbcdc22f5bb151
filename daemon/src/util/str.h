/* str.h -- printf into a fresh string. */
#ifndef RELEVE_STR_H
#define RELEVE_STR_H

#include <stdarg.h>

/* malloc'ed printf; NULL on allocation failure. */
char *releve_str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *releve_str_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
