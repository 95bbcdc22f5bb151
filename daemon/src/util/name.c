#include "util/name.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

int releve_name_ok(const char *name) {
  return name != NULL && name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
         strcmp(name, "..") != 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

int releve_name_ignored(const char *name) {
  return name[0] == '.' || ends_with(name, ".part") || ends_with(name, ".filepart") ||
         ends_with(name, ".tmp");
}

/* The start of the last whole UTF-8 character of s[0..n), so that a name
 * cut at n - 1 bytes never ends inside a character. */
static size_t utf8_cut(const char *s, size_t n) {
  while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
    n--;
  return n;
}

char *releve_name_variant(const char *name, int n, size_t max_len) {
  const char *dot = strrchr(name, '.');
  size_t len = strlen(name), ext, stem, room;
  char mark[16];

  if (n == 1 && len <= max_len)
    return strdup(name);
  /* An extension longer than a few bytes is part of the name, not a type. */
  ext = dot == NULL || dot == name || len - (size_t)(dot - name) > 16 ? 0 : len - (size_t)(dot - name);
  stem = len - ext;
  snprintf(mark, sizeof mark, "~%d", n);
  if (max_len < ext + strlen(mark) + 1)
    return NULL;
  room = max_len - ext - strlen(mark);
  if (stem > room)
    stem = utf8_cut(name, room);
  return releve_str_printf("%.*s%s%s", (int)stem, name, mark, name + len - ext);
}

int releve_name_variant_of(const char *base, const char *name, size_t max_len) {
  const char *tilde = strrchr(name, '~');
  char *v, *end;
  long n;
  int same;

  if (strcmp(base, name) == 0)
    return 1;
  if (tilde == NULL || tilde[1] < '1' || tilde[1] > '9')
    return 0;
  n = strtol(tilde + 1, &end, 10);
  if (n < 1 || n > 100000 || (*end != '\0' && *end != '.'))
    return 0;
  v = releve_name_variant(base, (int)n, max_len);
  same = v != NULL && strcmp(v, name) == 0;
  free(v);
  return same;
}
