/* utf8.c -- decoding, checking, encoding and cutting UTF-8; Latin letters
 * spelled in ASCII. */
#include "kit.h"

size_t releve_kit_utf8_decode(const char *text, size_t n, unsigned *cp) {
  const unsigned char *s = (const unsigned char *)text;
  unsigned c = s[0];
  size_t len;
  unsigned min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (len > n)
    return 0;
  unsigned v = c & (0xFFu >> (len + 1));
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return len;
}

int releve_kit_utf8_valid(const char *text, size_t n, int *ascii) {
  int only_ascii = 1;
  for (size_t i = 0; i < n;) {
    unsigned cp;
    size_t len = releve_kit_utf8_decode(text + i, n - i, &cp);
    if (len == 0)
      return 0;
    only_ascii &= len == 1;
    i += len;
  }
  if (ascii != NULL)
    *ascii = only_ascii;
  return 1;
}

size_t releve_kit_utf8_encode(char out[4], unsigned cp) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t releve_kit_utf8_cut(const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  size_t start = len;
  while (start > 0 && len - start < 4 && (u[start - 1] & 0xC0) == 0x80)
    start--;
  if (start == 0 || u[start - 1] < 0x80)
    return start == len ? len : start; /* only continuation bytes: drop them */
  unsigned lead = u[start - 1];
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return len - (start - 1) >= need ? len : start - 1;
}

/* ASCII transliteration of U+00C0..U+00FF; "" for the two signs. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

/* U+0100..U+017F by ranges. */
static const struct {
  unsigned short last;
  const char *ascii;
} latin_ext_a[] = {{0x0105, "a"},  {0x010D, "c"}, {0x0111, "d"}, {0x011B, "e"}, {0x0123, "g"},
                   {0x0127, "h"},  {0x0131, "i"}, {0x0133, "ij"}, {0x0135, "j"}, {0x0138, "k"},
                   {0x0142, "l"},  {0x014B, "n"}, {0x0151, "o"}, {0x0153, "oe"}, {0x0159, "r"},
                   {0x0161, "s"},  {0x0167, "t"}, {0x0173, "u"}, {0x0175, "w"}, {0x0178, "y"},
                   {0x017E, "z"},  {0x017F, "s"}};

const char *releve_kit_utf8_ascii(unsigned cp) {
  if (cp >= 0xC0 && cp <= 0xFF)
    return latin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F)
    for (size_t i = 0; i < sizeof latin_ext_a / sizeof latin_ext_a[0]; i++)
      if (cp <= latin_ext_a[i].last)
        return latin_ext_a[i].ascii;
  return "";
}
