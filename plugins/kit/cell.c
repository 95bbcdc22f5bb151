/* cell.c -- figures written the French way, secrecy markers, names. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* Byte length of the blank at p (space, tab, NBSP, narrow NBSP, thin space),
 * or 0. */
static size_t blank_at(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  if (u[0] == ' ' || u[0] == '\t')
    return 1;
  if (u[0] == 0xC2 && u[1] == 0xA0)
    return 2;
  if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89))
    return 3;
  return 0;
}

static const char *skip_blanks(const char *p) {
  size_t n;
  while ((n = blank_at(p)) > 0)
    p += n;
  return p;
}

const char *releve_kit_cell_excerpt(const char *text, releve_kit_excerpt *out) {
  size_t len = strlen(text);
  if (len <= RELEVE_KIT_EXCERPT_MAX)
    return text;
  size_t keep = releve_kit_utf8_cut(text, RELEVE_KIT_EXCERPT_MAX);
  memcpy(out->text, text, keep);
  memcpy(out->text + keep, "\xE2\x80\xA6", 4); /* "…" and its NUL */
  return out->text;
}

int releve_kit_cell_blank(const char *text) { return *skip_blanks(text) == '\0'; }

char *releve_kit_cell_trim(char *text) {
  char *start = (char *)skip_blanks(text);
  char *end = start;
  for (char *p = start; *p;) {
    size_t n = blank_at(p);
    if (n == 0) {
      p++;
      end = p;
    } else {
      p += n;
    }
  }
  *end = '\0';
  return start;
}

char *releve_kit_cell_squeeze(char *text) {
  char *start = releve_kit_cell_trim(text);
  char *out = text;
  for (const char *p = start; *p;) {
    size_t n = blank_at(p);
    if (n == 0) {
      *out++ = *p++;
      continue;
    }
    p = skip_blanks(p); /* before writing: out may still be p */
    *out++ = ' ';
  }
  *out = '\0';
  return text;
}

/* ---- numbers ---- */

static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define MAX_SIGNIFICANT 19
#define MAX_FRACTION 40

typedef struct number {
  uint64_t mantissa;
  int significant;
  int fraction;
} number;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int add_digit(number *n, char c, int in_fraction) {
  if (n->mantissa == 0 && c == '0') {
    /* a leading zero carries no precision */
  } else {
    if (++n->significant > MAX_SIGNIFICANT)
      return -EINVAL;
    n->mantissa = n->mantissa * 10 + (uint64_t)(c - '0');
  }
  if (in_fraction && ++n->fraction > MAX_FRACTION)
    return -EINVAL;
  return 0;
}

/* Integer part with optional thousands groups; returns the end or NULL. */
static const char *integer_part(const char *p, number *n) {
  int lead = 0;
  while (is_digit(*p)) {
    if (add_digit(n, *p++, 0) < 0)
      return NULL;
    lead++;
  }
  if (lead == 0)
    return NULL;
  for (;;) {
    size_t b = blank_at(p);
    const char *g = p + b;
    if (b == 0 || lead > 3 || !is_digit(g[0]) || !is_digit(g[1]) || !is_digit(g[2]) ||
        is_digit(g[3]))
      return p;
    for (int k = 0; k < 3; k++)
      if (add_digit(n, g[k], 0) < 0)
        return NULL;
    lead = 3;
    p = g + 3;
  }
}

static double scale(const number *n) {
  if (n->mantissa <= (UINT64_C(1) << 53) && n->fraction <= 22)
    return (double)n->mantissa / exact_pow10[n->fraction];
  long double d = 1.0L;
  for (int k = 0; k < n->fraction; k++)
    d *= 10.0L;
  return (double)((long double)n->mantissa / d);
}

int releve_kit_cell_number(const char *text, double *out) {
  const char *p = skip_blanks(text);
  int negative = 0;
  if (*p == '-' || *p == '+') {
    negative = *p == '-';
    p++;
  } else if (strncmp(p, "\xE2\x88\x92", 3) == 0) { /* U+2212 MINUS SIGN */
    negative = 1;
    p += 3;
  }
  number n = {0, 0, 0};
  p = integer_part(p, &n);
  if (p == NULL)
    return -EINVAL;
  if ((*p == ',' || *p == '.') && is_digit(p[1])) {
    for (p++; is_digit(*p); p++)
      if (add_digit(&n, *p, 1) < 0)
        return -EINVAL;
  }
  p = skip_blanks(p);
  if (*p == '%')
    p = skip_blanks(p + 1);
  if (*p != '\0')
    return -EINVAL;
  double v = scale(&n);
  *out = negative ? -v : v;
  return 0;
}

/* ---- dates ---- */

/* Reads exactly n digits at *p; returns the value or -1. */
static int fixed_digits(const char **p, int n) {
  int v = 0;
  for (int k = 0; k < n; k++) {
    if (!is_digit((*p)[k]))
      return -1;
    v = v * 10 + ((*p)[k] - '0');
  }
  if (is_digit((*p)[n]))
    return -1;
  *p += n;
  return v;
}

int releve_kit_cell_date(const char *text, int *year, int *month, int *day) {
  const char *p = skip_blanks(text);
  int y = -1, m = 0, d = 0;
  if (is_digit(p[0]) && is_digit(p[1]) && p[2] == '/') {
    int first = fixed_digits(&p, 2);
    p++;
    if (is_digit(p[0]) && is_digit(p[1]) && p[2] == '/') {
      d = first;
      m = fixed_digits(&p, 2);
      p++;
    } else {
      m = first;
    }
    y = fixed_digits(&p, 4);
  } else {
    y = fixed_digits(&p, 4);
    if (y >= 0 && *p == '-') {
      p++;
      m = fixed_digits(&p, 2);
      if (m >= 0 && *p == '-') {
        p++;
        d = fixed_digits(&p, 2);
        if (d >= 0 && (*p == 'T' || (*p == ' ' && is_digit(p[1]))))
          p += strlen(p); /* a time of day */
      }
    }
  }
  if (y < 1900 || y > 2199 || m < 0 || m > 12 || d < 0 || d > 31 || (d > 0 && m == 0) ||
      *skip_blanks(p) != '\0')
    return -EINVAL;
  *year = y;
  *month = m;
  *day = d;
  return 0;
}

/* ---- names ---- */

size_t releve_kit_cell_normalize(const char *text, char *out, size_t size) {
  size_t o = 0;
  int gap = 0;
  const char *s = text;
  while (*s) {
    unsigned cp;
    size_t len = releve_kit_utf8_decode(s, 4, &cp);
    if (len == 0) { /* not UTF-8: a separator */
      len = 1;
      cp = 0xFFFD;
    }
    s += len;
    char ascii[2] = {0, 0};
    const char *piece;
    if (cp < 0x80) {
      int alnum = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
      if (cp >= 'A' && cp <= 'Z') {
        cp += 'a' - 'A';
        alnum = 1;
      }
      ascii[0] = (char)cp;
      piece = alnum ? ascii : "";
    } else {
      piece = releve_kit_utf8_ascii(cp);
    }
    if (*piece == '\0') {
      gap = 1;
      continue;
    }
    if (gap && o > 0) {
      if (o + 1 < size)
        out[o] = '_';
      o++;
    }
    gap = 0;
    for (; *piece; piece++, o++)
      if (o + 1 < size)
        out[o] = *piece;
  }
  if (size > 0)
    out[o < size ? o : size - 1] = '\0';
  return o;
}

char *releve_kit_cell_normalize_dup(const char *text) {
  size_t n = releve_kit_cell_normalize(text, NULL, 0);
  char *out = malloc(n + 1);
  if (out != NULL)
    releve_kit_cell_normalize(text, out, n + 1);
  return out;
}

int releve_kit_cell_same(const char *a, const char *b) {
  char na[256], nb[256];
  size_t la = releve_kit_cell_normalize(a, na, sizeof na);
  size_t lb = releve_kit_cell_normalize(b, nb, sizeof nb);
  return la == lb && la < sizeof na && strcmp(na, nb) == 0;
}

/* ---- markers and figures ---- */

static const char *const secret_words[] = {"s",  "secret", "secret_statistique",
                                           "nc", "n_c",    "non_communique"};
static const char *const absent_words[] = {"nd", "n_d", "na", "n_a", "non_disponible"};

static int in_list(const char *word, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(word, list[i]) == 0)
      return 1;
  return 0;
}

releve_cell_kind releve_kit_cell_marker(const char *text) {
  const char *p = skip_blanks(text);
  if (*p == '<') {
    p = skip_blanks(p + 1);
    if (!is_digit(*p))
      return RELEVE_CELL_EMPTY;
    while (is_digit(*p))
      p++;
    return *skip_blanks(p) == '\0' ? RELEVE_CELL_SUPPRESSED : RELEVE_CELL_EMPTY;
  }
  if (*p == '.' && *skip_blanks(p + 1) == '\0')
    return RELEVE_CELL_NOT_AVAILABLE;
  char word[32];
  if (releve_kit_cell_normalize(p, word, sizeof word) >= sizeof word)
    return RELEVE_CELL_EMPTY;
  if (in_list(word, secret_words, sizeof secret_words / sizeof secret_words[0]))
    return RELEVE_CELL_SUPPRESSED;
  if (in_list(word, absent_words, sizeof absent_words / sizeof absent_words[0]))
    return RELEVE_CELL_NOT_AVAILABLE;
  return RELEVE_CELL_EMPTY;
}

int releve_kit_cell_figure(releve_cell *cell, const char *text, unsigned flags) {
  cell->text = text;
  cell->number = 0.0;
  if (releve_kit_cell_blank(text)) {
    cell->kind = (flags & RELEVE_KIT_CELL_BLANK_SECRET) ? RELEVE_CELL_SUPPRESSED
                                                         : RELEVE_CELL_EMPTY;
    return 0;
  }
  releve_cell_kind marker = releve_kit_cell_marker(text);
  if (marker != RELEVE_CELL_EMPTY) {
    cell->kind = marker;
    return 0;
  }
  if (releve_kit_cell_number(text, &cell->number) == 0) {
    cell->kind = RELEVE_CELL_NUMBER;
    return 0;
  }
  cell->kind = RELEVE_CELL_TEXT;
  return (flags & RELEVE_KIT_CELL_TEXT_OK) ? 0 : -EINVAL;
}
