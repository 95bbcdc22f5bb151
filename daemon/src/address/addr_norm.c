/* addr_norm.c -- see addr_norm.h: the tokenizer (folding, parts and
 * clutter, number and suffix, street words); the word lists it consults
 * are addr_words.c. Works on one short string at a time in fixed buffers:
 * no allocation, so that matching stays fast. */
#include "address/addr_norm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit/kit.h"

#define MAX_TOKENS RELEVE_ADDR_WORDS_MAX
#define FOLD_MAX 512

typedef struct tokens {
  char buf[FOLD_MAX];
  const char *v[MAX_TOKENS];
  size_t n;
} tokens;

/* ---- folding to upper-case ASCII ----------------------------------------- */

/* Appends s upper-cased (s is ASCII). */
static size_t put(char *out, size_t k, const char *s) {
  for (; *s && k < FOLD_MAX - 2; s++)
    out[k++] = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
  return k;
}

/* One code point as ASCII: letters without accents (the kit's fold),
 * separators as space. */
static size_t put_cp(char *out, size_t k, unsigned long cp) {
  const char *ascii = releve_kit_utf8_ascii((unsigned)cp);
  if (*ascii)
    return put(out, k, ascii);
  if (cp == 0x8C || cp == 0x9C) /* Œ œ as Windows-1252 bytes */
    return put(out, k, "OE");
  if (cp < 0x100 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x2BC || cp == 0x2212)
    return put(out, k, " "); /* NBSP, °, quotes, dashes, apostrophes */
  return put(out, k, "~");   /* a letter we cannot spell: keeps the word unmatched */
}

/* Decodes UTF-8; a byte that does not start a valid sequence is read as
 * Latin-1 (partners' Windows-1252 exports). */
static unsigned long next_cp(const unsigned char **p) {
  unsigned cp;
  size_t len = releve_kit_utf8_decode((const char *)*p, 4, &cp);

  if (len == 0) {
    cp = **p;
    len = 1;
  }
  *p += len;
  return cp;
}

/* Upper-case ASCII words separated by spaces; ',' and ';' kept as ','
 * because they separate the parts of an address line. */
static void fold(const char *s, tokens *t) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t k = 0, i;
  char *out = t->buf;

  while (*p && k < FOLD_MAX - 2) {
    unsigned long cp = next_cp(&p);
    if (cp >= 'a' && cp <= 'z')
      out[k++] = (char)(cp - 'a' + 'A');
    else if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
      out[k++] = (char)cp;
    else if (cp == ',' || cp == ';') {
      out[k++] = ' ';
      out[k++] = ',';
      out[k++] = ' ';
    } else if (cp < 0x80)
      out[k++] = ' ';
    else
      k = put_cp(out, k, cp);
  }
  out[k] = '\0';
  t->n = 0;
  for (i = 0; i < k && t->n < MAX_TOKENS;) {
    while (i < k && out[i] == ' ')
      out[i++] = '\0';
    if (i >= k)
      break;
    t->v[t->n++] = &out[i];
    while (i < k && out[i] != ' ')
      i++;
  }
  if (i < k)
    out[i] = '\0';
}

static int all_digits(const char *w) {
  if (*w == '\0')
    return 0;
  for (; *w; w++)
    if (*w < '0' || *w > '9')
      return 0;
  return 1;
}

static int has_digit(const char *w) {
  for (; *w; w++)
    if (*w >= '0' && *w <= '9')
      return 1;
  return 0;
}

/* "3E", "3EME", "1ER", "1ERE": a floor number. */
static int ordinal(const char *w) {
  const char *p = w;
  while (*p >= '0' && *p <= '9')
    p++;
  return p > w && (!strcmp(p, "E") || !strcmp(p, "EME") || !strcmp(p, "ER") || !strcmp(p, "ERE"));
}

/* ---- parts and clutter ------------------------------------------------------ */

static int suffix_word(const char *w);
static int glued_suffix(const char *s);

/* A number as it starts an address: digits, maybe a glued suffix. */
static int number_word(const char *w) {
  const char *p = w;
  while (*p >= '0' && *p <= '9')
    p++;
  return p > w && p - w <= 5 && (*p == '\0' || glued_suffix(p));
}

/* Where, in the part [start, end) that opens with clutter, an address
 * starts: a number (and a suffix word) followed by a street type. 0 when
 * there is none. */
static size_t address_in(const tokens *t, size_t start, size_t end) {
  size_t i;
  for (i = start + 1; i + 1 < end; i++) {
    size_t j = i + 1;
    if (!number_word(t->v[i]))
      continue;
    if (j + 1 < end && suffix_word(t->v[j]))
      j++;
    if (releve_addr_words_type(t->v[j]))
      return i;
  }
  return 0;
}

/* Keeps the parts of the line (between commas) that can be the street;
 * a part that is a postcode and city gives *postcode when there is none.
 * A part opening with clutter is dropped, unless an address follows the
 * clutter in it. */
static void drop_parts(tokens *t, const char **postcode) {
  size_t i = 0, k = 0;
  while (i < t->n) {
    size_t start = i, end;
    int drop;
    while (i < t->n && strcmp(t->v[i], ",") != 0)
      i++;
    end = i;
    if (i < t->n)
      i++; /* the comma */
    if (end == start)
      continue;
    drop = (releve_addr_words_role(t->v[start]) & RELEVE_ADDR_WORD_PART) ||
           (ordinal(t->v[start]) && end > start + 1 &&
            (releve_addr_words_role(t->v[start + 1]) & RELEVE_ADDR_WORD_FLOOR));
    if (drop) {
      size_t at = address_in(t, start, end);
      if (at)
        start = at, drop = 0;
    }
    if (!drop && strlen(t->v[start]) == 5 && all_digits(t->v[start]) && start > 0) {
      drop = 1;
      if (*postcode == NULL)
        *postcode = t->v[start];
    }
    if (drop)
      continue;
    for (; start < end; start++)
      t->v[k++] = t->v[start];
  }
  t->n = k;
}

/* Clutter inside what is left: "Bât B", "BP 123", "3e étage", and a
 * trailing "75018 Paris". */
static void drop_words(tokens *t, const char **postcode) {
  size_t i, k = 0;
  for (i = 0; i < t->n; i++) {
    const char *w = t->v[i];
    const char *next = i + 1 < t->n ? t->v[i + 1] : NULL;
    unsigned r = releve_addr_words_role(w);
    if (r & RELEVE_ADDR_WORD_ROUTING) {
      if (next && has_digit(next))
        i++;
    } else if (r & RELEVE_ADDR_WORD_LABELLED) {
      if (next && (strlen(next) <= 3 || has_digit(next)))
        i++;
    } else if (r & RELEVE_ADDR_WORD_FLOOR) {
      if (k > 0 && ordinal(t->v[k - 1]))
        k--;
      if (next && all_digits(next))
        i++;
      if (i + 1 < t->n && (releve_addr_words_role(t->v[i + 1]) & RELEVE_ADDR_WORD_SIDE))
        i++; /* "3e étage gauche" */
    } else if (k > 1 && ordinal(w) && next &&
               ((releve_addr_words_role(next) & RELEVE_ADDR_WORD_SIDE) || !strcmp(next, "ET") ||
                !strcmp(next, "G") || !strcmp(next, "D"))) {
      i++; /* "3e gauche", "2e et" (étage cut short), "4e G" */
    } else if (!strcmp(w, "RDC")) {
      continue;
    } else if (k > 1 && !strcmp(w, "C") && next && !strcmp(next, "O")) {
      break; /* "c/o M. Dupont": the rest names the recipient */
    } else if (k > 1 && !strcmp(w, "PORTE") && next && all_digits(next) && i + 2 == t->n) {
      break; /* "… porte 5": a door number closing the line */
    } else if (k > 0 && strlen(w) == 5 && all_digits(w)) {
      if (*postcode == NULL)
        *postcode = w;
      break; /* "… 75018 Paris": the rest is the city */
    } else if (k > 1 && !strcmp(w, "PARIS") &&
               !(releve_addr_words_role(t->v[k - 1]) & RELEVE_ADDR_WORD_ARTICLE) &&
               (next == NULL || (i + 2 == t->n && (all_digits(next) || ordinal(next))))) {
      break; /* "… Paris 18e", but "Rue de Paris" keeps its name */
    } else {
      t->v[k++] = w;
    }
  }
  t->n = k;
}

/* ---- number and suffix --------------------------------------------------------- */

static void set_suffix(const char *s, char *out) {
  static const char *const words[][2] = {
      {"BIS", "B"}, {"TER", "T"}, {"QUATER", "Q"}, {"QUINQUIES", "C"}};
  size_t i;
  for (i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(s, words[i][0]) == 0) {
      strcpy(out, words[i][1]);
      return;
    }
  if (strlen(s) < RELEVE_ADDR_SUFFIX_MAX)
    strcpy(out, s);
}

/* A suffix written apart from the number: BIS…, or one letter. */
static int suffix_word(const char *w) {
  return !strcmp(w, "BIS") || !strcmp(w, "TER") || !strcmp(w, "QUATER") ||
         !strcmp(w, "QUINQUIES") || (w[0] >= 'A' && w[0] <= 'Z' && w[1] == '\0' && w[0] != 'R');
}

/* A suffix glued to the number: "6BIS", "6B", BAN Paris "34P1", "2BP1". */
static int glued_suffix(const char *s) {
  size_t letters = 0;
  if (suffix_word(s))
    return 1;
  while (s[letters] >= 'A' && s[letters] <= 'Z')
    letters++;
  return letters >= 1 && letters <= 2 && (s[letters] == '\0' || all_digits(s + letters)) &&
         strlen(s) < RELEVE_ADDR_SUFFIX_MAX;
}

/* Reads a leading number from t (from *at): "N° 12", "012", "6bis",
 * "6 B", a range "12-14" (number unknown). Returns how many words it took. */
static size_t take_number(const tokens *t, size_t at, int more_needed, unsigned *number,
                          char *suffix) {
  size_t i = at;
  const char *w, *p;
  unsigned long n = 0;

  *number = 0;
  suffix[0] = '\0';
  if (i < t->n &&
      (!strcmp(t->v[i], "N") || !strcmp(t->v[i], "NO") || !strcmp(t->v[i], "NUM") ||
       !strcmp(t->v[i], "NUMERO")) &&
      i + 1 < t->n && has_digit(t->v[i + 1]))
    i++;
  if (i >= t->n || t->v[i][0] < '0' || t->v[i][0] > '9')
    return 0;
  w = t->v[i];
  for (p = w; *p >= '0' && *p <= '9'; p++)
    if ((n = n * 10 + (unsigned long)(*p - '0')) > 99999)
      return 0;
  if (*p && !glued_suffix(p))
    return 0; /* "18E" is a street word ("Rue du 18e…"), not a number */
  i++;
  if (*p)
    set_suffix(p, suffix);
  else if (i < t->n && suffix_word(t->v[i]) && (i + 1 < t->n || !more_needed))
    set_suffix(t->v[i++], suffix);
  if (i < t->n && all_digits(t->v[i]) && i + 1 < t->n) {
    i++; /* a range: the building spans two numbers, none of them is the address */
    n = 0;
    suffix[0] = '\0';
  }
  *number = (unsigned)n;
  return i - at;
}

/* ---- street words ---------------------------------------------------------------- */

static int street_words(const tokens *t, size_t from, char *out, size_t size) {
  size_t i, len = 0;
  out[0] = '\0';
  for (i = from; i < t->n; i++) {
    const char *w = releve_addr_words_expand(t->v[i], i == from);
    size_t n = strlen(w);
    if (releve_addr_words_role(w) & RELEVE_ADDR_WORD_ARTICLE)
      continue;
    if (len + n + (len ? 1 : 0) + 1 > size)
      return -ENOSPC;
    if (len)
      out[len++] = ' ';
    memcpy(out + len, w, n + 1);
    len += n;
  }
  return len ? 0 : -EINVAL;
}

int releve_addr_norm_street(const char *s, char *out, size_t size) {
  tokens t;
  fold(s, &t);
  return street_words(&t, 0, out, size);
}

/* ---- commune ----------------------------------------------------------------------- */

int releve_addr_norm_commune(const char *postcode, const char *city, char *out, size_t size) {
  char digits[8];
  size_t k = 0;
  const char *p;

  out[0] = '\0';
  if (size < 6)
    return -ENOSPC;
  for (p = postcode ? postcode : ""; *p && k < sizeof digits - 1; p++)
    if (*p >= '0' && *p <= '9')
      digits[k++] = *p;
    else if (*p != ' ' && *p != '.')
      break; /* "75018 Paris": the digits before the city */
  digits[k] = '\0';
  if (k == 4) { /* a spreadsheet dropped the leading zero */
    memmove(digits + 1, digits, 5);
    digits[0] = '0';
    k = 5;
  }
  if (k == 5) {
    int arr = (digits[3] - '0') * 10 + (digits[4] - '0');
    if (strncmp(digits, "750", 3) == 0 && arr >= 1 && arr <= 20)
      digits[2] = '1';
    memcpy(out, digits, 6);
    return 0;
  }
  if (city && *city) {
    tokens t;
    size_t i;
    fold(city, &t);
    for (i = 0; i + 1 < t.n; i++)
      if (strcmp(t.v[i], "PARIS") == 0) {
        int arr = atoi(t.v[i + 1]);
        if ((all_digits(t.v[i + 1]) || ordinal(t.v[i + 1])) && arr >= 1 && arr <= 20) {
          snprintf(out, size, "751%02d", arr);
          return 0;
        }
      }
  }
  return -EINVAL;
}

/* ---- the whole address ------------------------------------------------------------------ */

int releve_addr_norm(const releve_addr_fields *f, releve_addr_key *key) {
  tokens t, num;
  const char *postcode = f->postcode && *f->postcode ? f->postcode : NULL;
  const char *found_postcode = NULL;
  char street_suffix[RELEVE_ADDR_SUFFIX_MAX];
  unsigned street_number;
  size_t used;
  int rc;

  memset(key, 0, sizeof *key);
  fold(f->street, &t);
  drop_parts(&t, &found_postcode);
  drop_words(&t, &found_postcode);
  /* A number in the street field: the only one, or a repeat of the number
   * field (then the number field wins). BAN's glued "34P1" goes the same way. */
  used = take_number(&t, 0, 1, &street_number, street_suffix);
  if (used == t.n)
    used = 0; /* nothing after it: "Rue du 8" is not a number */
  if (f->number && *f->number) {
    fold(f->number, &num);
    if (take_number(&num, 0, 0, &key->number, key->suffix) != num.n) {
      key->number = 0;
      key->suffix[0] = '\0';
    }
  } else if (used) {
    key->number = street_number;
    memcpy(key->suffix, street_suffix, sizeof key->suffix);
  }
  if (f->suffix && *f->suffix && key->suffix[0] == '\0') {
    tokens s;
    fold(f->suffix, &s);
    if (s.n == 1 && strlen(s.v[0]) < RELEVE_ADDR_SUFFIX_MAX)
      set_suffix(s.v[0], key->suffix);
  }
  if (releve_addr_norm_commune(postcode ? postcode : found_postcode, f->city, key->commune,
                               sizeof key->commune) != 0)
    key->commune[0] = '\0';
  rc = street_words(&t, used, key->street, sizeof key->street);
  if (rc)
    key->street[0] = '\0';
  return rc ? -EINVAL : 0;
}
