/* reader.c -- lines from the byte source: BOM, signatures, encodings, EOLs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* Windows-1252 bytes 0x80..0x9F; 0 where the code page defines nothing. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

int releve_kit_reader_init(releve_kit_reader *r, const releve_decode_args *args) {
  *r = (releve_kit_reader){0};
  r->raw = malloc(1024);
  r->line = malloc(1024);
  if (r->raw == NULL || r->line == NULL) {
    free(r->raw);
    free(r->line);
    return -ENOMEM;
  }
  r->raw_cap = r->line_cap = 1024;
  r->line[0] = '\0';
  return releve_kit_source_init(&r->src, args);
}

void releve_kit_reader_free(releve_kit_reader *r) {
  releve_kit_source_free(&r->src);
  free(r->raw);
  free(r->line);
  r->raw = NULL;
  r->line = NULL;
}

/* Grows buf to hold need bytes; returns the buffer, or NULL (buf kept). */
static void *grow(void *buf, size_t *cap, size_t need) {
  if (need <= *cap)
    return buf;
  size_t ncap = *cap ? *cap : 256;
  while (ncap < need)
    ncap *= 2;
  void *nbuf = realloc(buf, ncap);
  if (nbuf != NULL)
    *cap = ncap;
  return nbuf;
}

static int reserve_line(releve_kit_reader *r, size_t need) {
  char *p = grow(r->line, &r->line_cap, need);
  if (p == NULL)
    return -ENOMEM;
  r->line = p;
  return 0;
}

static int convert_cp1252(releve_kit_reader *r, const unsigned char *s, size_t n) {
  if (reserve_line(r, n * 3 + 1) < 0)
    return -ENOMEM;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned c = s[i];
    if (c >= 0x80 && c < 0xA0)
      c = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
    o += releve_kit_utf8_encode(r->line + o, c);
  }
  r->line[o] = '\0';
  r->len = o;
  return 0;
}

static int set_line(releve_kit_reader *r, const unsigned char *s, size_t n) {
  int ascii;
  if (releve_kit_utf8_valid((const char *)s, n, &ascii) &&
      (ascii || r->encoding != RELEVE_KIT_ENC_CP1252)) {
    if (!ascii && r->encoding == RELEVE_KIT_ENC_UNKNOWN)
      r->encoding = RELEVE_KIT_ENC_UTF8;
    if (reserve_line(r, n + 1) < 0)
      return -ENOMEM;
    memcpy(r->line, s, n);
    r->line[n] = '\0';
    r->len = n;
    return 0;
  }
  if (r->encoding == RELEVE_KIT_ENC_UNKNOWN) {
    r->encoding = RELEVE_KIT_ENC_CP1252;
    releve_kit_host_log(r->src.args, RELEVE_LOG_INFO,
                        "no valid UTF-8 at line %lu: reading the file as Windows-1252",
                        r->lineno);
  } else if (r->encoding == RELEVE_KIT_ENC_UTF8 && !r->warned_mixed) {
    r->warned_mixed = 1;
    releve_kit_host_log(r->src.args, RELEVE_LOG_WARNING,
                        "line %lu is not valid UTF-8 in a UTF-8 file: read as Windows-1252 "
                        "(mixed encodings; later such lines are not logged)",
                        r->lineno);
  }
  return convert_cp1252(r, s, n);
}

/* Refuses what is plainly not a text export, judging by the first bytes. */
static int check_signature(releve_kit_reader *r) {
  const unsigned char *s = r->raw;
  size_t n = r->raw_len;
  const releve_decode_args *args = r->src.args;
  if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
    return releve_kit_host_fail(args, -EILSEQ, 1, 0,
                                "fichier en UTF-16, encodage non pris en charge ; enregistrez-le "
                                "en « CSV UTF-8 » ou en « CSV (séparateur : point-virgule) »");
  if (n >= 4 && memcmp(s, "PK\3\4", 4) == 0)
    return releve_kit_host_fail(args, -EBADMSG, 1, 0,
                                "le fichier est une archive ZIP ou un classeur (.xlsx, .ods) ; "
                                "exportez la feuille au format CSV");
  if (n >= 4 && memcmp(s, "\xD0\xCF\x11\xE0", 4) == 0)
    return releve_kit_host_fail(args, -EBADMSG, 1, 0,
                                "le fichier est un classeur Excel 97-2003 (.xls) ; exportez la "
                                "feuille au format CSV");
  if (n >= 5 && memcmp(s, "%PDF-", 5) == 0)
    return releve_kit_host_fail(args, -EBADMSG, 1, 0,
                                "le fichier est un document PDF ; un export CSV est attendu");
  if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
    r->bom = 1;
    r->encoding = RELEVE_KIT_ENC_UTF8;
    memmove(r->raw, r->raw + 3, n - 3);
    r->raw_len -= 3;
  }
  return 0;
}

/* Appends src bytes [pos, end) to the raw line. */
static int take(releve_kit_reader *r, size_t end) {
  size_t count = end - r->src.pos;
  size_t keep = count;
  if (r->raw_len + keep > RELEVE_KIT_MAX_LINE + 1)
    keep = RELEVE_KIT_MAX_LINE + 1 - r->raw_len;
  unsigned char *p = grow(r->raw, &r->raw_cap, r->raw_len + keep);
  if (p == NULL)
    return -ENOMEM;
  r->raw = p;
  memcpy(r->raw + r->raw_len, r->src.buf + r->src.pos, keep);
  r->raw_len += keep;
  r->src.pos = end;
  return 0;
}

/* Collects the raw bytes of the next line. Returns 1, 0 at the end, <0. */
static int collect(releve_kit_reader *r) {
  int any = 0;
  r->raw_len = 0;
  for (;;) {
    int rc = releve_kit_source_fill(&r->src);
    if (rc < 0)
      return rc;
    if (rc == 0)
      return any;
    any = 1;
    releve_kit_source *s = &r->src;
    size_t i = s->pos;
    while (i < s->len && s->buf[i] != '\n' && s->buf[i] != '\r')
      i++;
    if (take(r, i) < 0)
      return -ENOMEM;
    if (r->raw_len > RELEVE_KIT_MAX_LINE)
      return 1; /* too long: the caller refuses the file */
    if (i == s->len)
      continue;
    unsigned char eol = s->buf[s->pos++];
    if (eol == '\r') {
      rc = releve_kit_source_fill(s);
      if (rc < 0)
        return rc;
      if (rc == 1 && s->buf[s->pos] == '\n')
        s->pos++;
    }
    return 1;
  }
}

int releve_kit_reader_next(releve_kit_reader *r) {
  const releve_decode_args *args = r->src.args;
  int rc = collect(r);
  if (rc <= 0)
    return rc == -ENOMEM ? releve_kit_host_fail(args, rc, 0, 0, "mémoire insuffisante") : rc;
  r->lineno++;
  if (!r->started) {
    r->started = 1;
    rc = check_signature(r);
    if (rc < 0)
      return rc;
  }
  if (r->raw_len > RELEVE_KIT_MAX_LINE)
    return releve_kit_host_fail(args, -EBADMSG, r->lineno, 0,
                                "ligne de plus de %u octets : ce n'est pas un export CSV lisible "
                                "(fins de ligne manquantes ?)",
                                RELEVE_KIT_MAX_LINE);
  const unsigned char *nul = memchr(r->raw, 0, r->raw_len);
  if (nul != NULL)
    return releve_kit_host_fail(args, -EILSEQ, r->lineno, 0,
                                "octet nul à la position %zu : le fichier n'est pas un texte "
                                "(un export CSV est attendu, pas un classeur ni une image)",
                                (size_t)(nul - r->raw) + 1);
  rc = set_line(r, r->raw, r->raw_len);
  if (rc < 0)
    return releve_kit_host_fail(args, rc, r->lineno, 0, "mémoire insuffisante");
  return 1;
}
