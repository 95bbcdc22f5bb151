/* workbook.c -- the archive, its sheets and the rows built from their cells,
 * shared by the .xlsx and .ods readers (workbook.h); their XML parts are
 * read by workbook_xml.c, their values written by workbook_value.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/workbook_int.h"
#include "report/report.h"
#include "util/buf.h"

const releve_workbook_limits releve_workbook_default_limits = {
    RELEVE_WORKBOOK_MAX_PART, RELEVE_WORKBOOK_MAX_TOTAL, RELEVE_WORKBOOK_MAX_RATIO};

int wb_fail(releve_workbook *wb, int rc, unsigned long row, unsigned column, const char *fmt,
            ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (rc < 0) {
    if (wb->err)
      return wb->err; /* the first reason is the one that counts */
    wb->err = rc;
  }
  wb->sink.problem(wb->sink.ud, row, column, msg);
  return rc;
}

int wb_add_sheet(releve_workbook *wb, const char *name) {
  if (wb->nsheets >= RELEVE_WORKBOOK_MAX_SHEETS)
    return wb_fail(wb, -EBADMSG, 0, 0, "plus de %u feuilles dans le classeur : il n'est pas lu",
                   RELEVE_WORKBOOK_MAX_SHEETS);
  char **v = realloc(wb->names, (wb->nsheets + 1) * sizeof *v);
  if (v == NULL)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  wb->names = v;
  if ((v[wb->nsheets] = strdup(name)) == NULL)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  wb->nsheets++;
  return 0;
}

/* ---- rows --------------------------------------------------------------- */

void wb_row_begin(releve_workbook *wb, unsigned long r) {
  wb->row = r;
  wb->ncells = 0;
  wb->text.len = 0;
}

static int reserve_cells(releve_workbook *wb, size_t n) {
  if (n <= wb->cells_cap)
    return 0;
  size_t cap = wb->cells_cap ? wb->cells_cap : 64;
  while (cap < n)
    cap *= 2;
  releve_cell *c = realloc(wb->cells, cap * sizeof *c);
  if (c != NULL)
    wb->cells = c;
  size_t *t = c ? realloc(wb->text_at, cap * sizeof *t) : NULL;
  if (c == NULL || t == NULL)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  wb->text_at = t;
  wb->cells_cap = cap;
  return 0;
}

int wb_row_cell(releve_workbook *wb, unsigned c, releve_cell_kind kind, double number,
                const char *text, size_t len) {
  char ref[24];
  if (c == 0 || c > RELEVE_WORKBOOK_MAX_COLUMNS)
    return wb_fail(wb, -EBADMSG, wb->row, 0,
                   "valeur au-delà de la dernière colonne permise (%s, cellule %s) : le classeur "
                   "semble fabriqué et n'est pas lu",
                   "XFD", releve_report_cell_ref(c ? c : RELEVE_WORKBOOK_MAX_COLUMNS + 1, wb->row, ref));
  if (wb->text.len + len > RELEVE_WORKBOOK_MAX_ROW_BYTES)
    return wb_fail(wb, -EBADMSG, wb->row, 0,
                   "ligne de plus de %u Mo de texte : le classeur n'est pas lu",
                   RELEVE_WORKBOOK_MAX_ROW_BYTES >> 20);
  if (reserve_cells(wb, c) < 0)
    return wb->err;
  for (size_t i = wb->ncells; i < c; i++) {
    wb->cells[i] = (releve_cell){RELEVE_CELL_EMPTY, "", 0, (unsigned)i + 1};
    wb->text_at[i] = 0;
  }
  if (wb->ncells < c)
    wb->ncells = c;
  size_t at = wb->text.len;
  /* Line breaks inside a cell read "\n", as a CSV field's do, whether the
   * tool wrote CR LF, CR or LF. */
  int rc = 0;
  for (const char *p = text, *end = text + len; rc == 0 && p < end;) {
    const char *cr = memchr(p, '\r', (size_t)(end - p));
    rc = releve_buf_add(&wb->text, p, (size_t)((cr ? cr : end) - p));
    if (cr == NULL)
      break;
    if (rc == 0)
      rc = releve_buf_add(&wb->text, "\n", 1);
    p = cr + 1 < end && cr[1] == '\n' ? cr + 2 : cr + 1;
  }
  if (rc < 0 || releve_buf_add(&wb->text, "", 1) < 0)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  wb->cells[c - 1] = (releve_cell){kind, NULL, number, c};
  wb->text_at[c - 1] = at + 1;
  return 0;
}

int wb_cell_text(wb_stream *s, unsigned col, const char *text, size_t len) {
  releve_workbook *wb = s->wb;
  int rc = 0;
  if (wb->cell.len + len > RELEVE_WORKBOOK_MAX_CELL) {
    char ref[24];
    rc = wb_fail(wb, -EBADMSG, wb->row, 0,
                 "cellule %s de plus de %u Kio de texte : le classeur n'est pas lu",
                 releve_report_cell_ref(col, wb->row, ref), RELEVE_WORKBOOK_MAX_CELL >> 10);
  } else if (releve_buf_add(&wb->cell, text, len) < 0) {
    rc = wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  }
  if (rc < 0)
    XML_StopParser(s->parser, XML_FALSE);
  return rc;
}

int wb_merge_add(releve_workbook *wb, unsigned long r1, unsigned c1, unsigned long r2,
                 unsigned c2) {
  if (r2 < r1 || c2 < c1 || (r1 == r2 && c1 == c2))
    return 0;
  if (wb->nmerges >= RELEVE_WORKBOOK_MAX_MERGES)
    return wb_fail(wb, -EBADMSG, 0, 0, "plus de %u plages fusionnées dans la feuille : elle "
                   "n'est pas lue", RELEVE_WORKBOOK_MAX_MERGES);
  if (wb->nmerges == wb->merges_cap) {
    size_t cap = wb->merges_cap ? wb->merges_cap * 2 : 16;
    wb_merge *m = realloc(wb->merges, cap * sizeof *m);
    if (m == NULL)
      return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
    wb->merges = m;
    wb->merges_cap = cap;
  }
  /* Kept sorted by first row (an insertion: ranges come nearly in order). */
  size_t i = wb->nmerges;
  while (i > wb->next_merge && wb->merges[i - 1].r1 > r1) {
    wb->merges[i] = wb->merges[i - 1];
    i--;
  }
  wb->merges[i] = (wb_merge){r1, r2, c1, c2, RELEVE_CELL_EMPTY, 0, NULL};
  wb->nmerges++;
  return 0;
}

void wb_merges_clear(releve_workbook *wb) {
  for (size_t i = 0; i < wb->nmerges; i++)
    free(wb->merges[i].text);
  wb->nmerges = wb->next_merge = 0;
}

/* Takes the top-left value of the ranges starting on this row, gives it to
 * the other cells of every active range, and forgets the ranges that end
 * here or above. Ranges [0, next_merge) are active. */
static int apply_merges(releve_workbook *wb) {
  while (wb->next_merge < wb->nmerges && wb->merges[wb->next_merge].r1 <= wb->row)
    wb->next_merge++;
  for (size_t i = 0; i < wb->next_merge; i++) {
    wb_merge *m = &wb->merges[i];
    if (m->r1 == wb->row && m->c1 <= wb->ncells && wb->text_at[m->c1 - 1]) {
      const releve_cell *c = &wb->cells[m->c1 - 1];
      m->kind = c->kind;
      m->number = c->number;
      free(m->text);
      if ((m->text = strdup(wb->text.data + wb->text_at[m->c1 - 1] - 1)) == NULL)
        return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
    }
    if (m->kind == RELEVE_CELL_EMPTY || m->r2 < wb->row)
      continue;
    for (unsigned col = m->c1; col <= m->c2; col++) {
      if (col - 1 < wb->ncells && wb->text_at[col - 1])
        continue; /* the top-left cell, or a value written under the range */
      int rc = wb_row_cell(wb, col, m->kind, m->number, m->text, strlen(m->text));
      if (rc < 0)
        return rc;
    }
  }
  /* Drop the ranges that are over. */
  size_t o = 0;
  for (size_t i = 0; i < wb->nmerges; i++) {
    if (i < wb->next_merge && wb->merges[i].r2 <= wb->row) {
      free(wb->merges[i].text);
      continue;
    }
    wb->merges[o++] = wb->merges[i];
  }
  wb->next_merge -= wb->nmerges - o;
  wb->nmerges = o;
  return 0;
}

int wb_row_end(releve_workbook *wb) {
  char a[RELEVE_NUMBER_SIZE];
  if (wb->nmerges > 0 && apply_merges(wb) < 0)
    return wb->err;
  while (wb->ncells > 0 && wb->cells[wb->ncells - 1].kind == RELEVE_CELL_EMPTY)
    wb->ncells--;
  if (wb->ncells == 0) {
    if (++wb->empty_run > RELEVE_WORKBOOK_MAX_EMPTY_RUN)
      return wb_fail(wb, -EBADMSG, 0, 0,
                     "feuille « %s » : plus de %s lignes vides à la suite (jusqu'à la ligne %lu) "
                     ": le classeur semble abîmé ou fabriqué et n'est pas lu ; supprimez ces "
                     "lignes et enregistrez-le de nouveau",
                     wb->names[wb->sheet], wb_count_text(RELEVE_WORKBOOK_MAX_EMPTY_RUN, a), wb->row);
    return 0;
  }
  if (wb->row > RELEVE_WORKBOOK_MAX_ROWS)
    return wb_fail(wb, -EBADMSG, 0, 0, "feuille « %s » : valeur au-delà de la ligne %lu, la "
                   "dernière permise ; le classeur n'est pas lu", wb->names[wb->sheet],
                   RELEVE_WORKBOOK_MAX_ROWS);
  wb->empty_run = 0;
  for (size_t i = 0; i < wb->ncells; i++)
    wb->cells[i].text = wb->text_at[i] ? wb->text.data + wb->text_at[i] - 1 : "";
  wb->row_ready = 1;
  XML_StopParser(wb->stream.parser, XML_TRUE);
  return 0;
}

/* ---- the archive -------------------------------------------------------- */

/* "EncryptedPackage" as a UTF-16LE directory entry name. */
static int ole_encrypted(int fd) {
  static const char name[] = "EncryptedPackage";
  unsigned char pat[32], buf[65536 + 32];
  for (size_t i = 0; i < 16; i++) {
    pat[2 * i] = (unsigned char)name[i];
    pat[2 * i + 1] = 0;
  }
  off_t at = 0;
  size_t keep = 0;
  for (;;) {
    ssize_t n = pread(fd, buf + keep, 65536, at);
    if (n <= 0)
      return 0;
    at += n;
    size_t len = keep + (size_t)n;
    for (size_t i = 0; i + sizeof pat <= len; i++)
      if (buf[i] == 'E' && memcmp(buf + i, pat, sizeof pat) == 0)
        return 1;
    keep = len < sizeof pat ? len : sizeof pat - 1;
    memmove(buf, buf + len - keep, keep);
  }
}

/* Checks every entry's declared sizes and encryption before reading any. */
static int check_archive(releve_workbook *wb) {
  zip_int64_t n = zip_get_num_entries(wb->zip, 0);
  uint64_t total = 0;
  char a[RELEVE_NUMBER_SIZE];
  for (zip_int64_t i = 0; i < n; i++) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(wb->zip, (zip_uint64_t)i, 0, &st) != 0)
      return wb_fail(wb, -EBADMSG, 0, 0, "archive du classeur abîmée : %s",
                     zip_strerror(wb->zip));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      return wb_fail(wb, -EBADMSG, 0, 0,
                     "le classeur est protégé par un mot de passe (partie « %s » chiffrée) : il "
                     "ne peut pas être lu ; enregistrez-le sans mot de passe, au format .xlsx "
                     "ou .ods",
                     st.name);
    int rc = wb_check_size(wb, st.name, st.size, st.comp_size);
    if (rc < 0)
      return rc;
    total += st.size;
  }
  if (total > wb->limits->max_total)
    return wb_fail(wb, -EFBIG, 0, 0,
                   "classeur de plus de %s Mo une fois décompressé : au-delà de la limite ; le "
                   "fichier ressemble à une « bombe zip » et n'est pas lu",
                   wb_count_text(wb->limits->max_total >> 20, a));
  return 0;
}

static int open_zip(releve_workbook *wb, int fd) {
  int dupfd = dup(fd), zerr = 0;
  if (dupfd < 0)
    return wb_fail(wb, -errno, 0, 0, "le fichier ne peut pas être relu");
  wb->zip = zip_fdopen(dupfd, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (wb->zip == NULL) {
    zip_error_t e;
    close(dupfd);
    zip_error_init_with_code(&e, zerr);
    int rc = wb_fail(wb, -EBADMSG, 0, 0,
                     "archive du classeur abîmée ou tronquée (%s) : enregistrez le classeur de "
                     "nouveau et renvoyez-le en entier",
                     zip_error_strerror(&e));
    zip_error_fini(&e);
    return rc;
  }
  int rc = check_archive(wb);
  if (rc < 0)
    return rc;
  if (zip_name_locate(wb->zip, "xl/workbook.xml", 0) >= 0)
    wb->format = &releve__workbook_xlsx;
  else if (zip_name_locate(wb->zip, "content.xml", 0) >= 0)
    wb->format = &releve__workbook_ods;
  else if (zip_name_locate(wb->zip, "EncryptedPackage", 0) >= 0)
    return wb_fail(wb, -EBADMSG, 0, 0, "le classeur est chiffré : il ne peut pas être lu");
  else
    return wb_fail(wb, -EBADMSG, 0, 0,
                   "archive ZIP qui n'est ni un classeur .xlsx ni un classeur .ods ; enregistrez "
                   "la feuille au format .xlsx, .ods ou CSV");
  rc = wb->format->load(wb);
  if (rc == 0 && wb->nsheets == 0)
    rc = wb_fail(wb, -EBADMSG, 0, 0, "le classeur ne contient aucune feuille");
  return rc;
}

int releve_workbook_open(int fd, const releve_workbook_sink *sink, releve_workbook **out) {
  unsigned char sig[8];
  *out = NULL;
  ssize_t n = pread(fd, sig, sizeof sig, 0);
  if (n < 4 || (memcmp(sig, "PK\3\4", 4) != 0 && memcmp(sig, "\xD0\xCF\x11\xE0", 4) != 0))
    return 0;
  releve_workbook *wb = calloc(1, sizeof *wb);
  if (wb == NULL)
    return -ENOMEM;
  wb->sink = *sink;
  wb->limits = sink->limits ? sink->limits : &releve_workbook_default_limits;
  wb->sheet = (size_t)-1;
  int rc;
  if (sig[0] == 0xD0) {
    if (ole_encrypted(fd))
      rc = wb_fail(wb, -EBADMSG, 0, 0,
                   "le classeur est protégé par un mot de passe (chiffré) : il ne peut pas être "
                   "lu ; enregistrez-le sans mot de passe, au format .xlsx ou .ods");
    else
      rc = wb_fail(wb, -EBADMSG, 0, 0,
                   "le fichier est un classeur Excel 97-2003 (.xls), format qui n'est pas lu : "
                   "enregistrez au format .xlsx ou .ods (Fichier > Enregistrer sous)");
  } else {
    rc = open_zip(wb, fd);
  }
  if (rc < 0) {
    releve_workbook_free(wb);
    return rc;
  }
  *out = wb;
  return 1;
}

size_t releve_workbook_count(const releve_workbook *wb) { return wb->nsheets; }

const char *releve_workbook_name(const releve_workbook *wb, size_t i) {
  return i < wb->nsheets ? wb->names[i] : NULL;
}

int releve_workbook_select(releve_workbook *wb, size_t i) {
  if (wb->err)
    return wb->err;
  if (i >= wb->nsheets)
    return -EINVAL;
  if (wb->streaming)
    wb_stream_close(&wb->stream);
  wb->streaming = 0;
  wb_merges_clear(wb);
  wb->sheet = i;
  wb->empty_run = 0;
  wb->row = 0;
  wb->row_ready = 0;
  wb->repeat = 0;
  wb->pending = 1; /* opened at the first row: a sheet passed over costs nothing */
  return 0;
}

static int open_sheet(releve_workbook *wb) {
  wb->pending = 0;
  int rc = wb->format->select(wb, wb->sheet);
  if (rc == 0)
    return wb_fail(wb, -EBADMSG, 0, 0, "feuille « %s » absente de l'archive du classeur",
                   wb->names[wb->sheet]);
  if (rc < 0)
    return rc;
  wb->streaming = 1;
  return 0;
}

int releve_workbook_next(releve_workbook *wb, releve_workbook_row *row) {
  if (wb->err)
    return wb->err;
  if (wb->repeat > 0) { /* the same row again (ODS number-rows-repeated) */
    wb->repeat--;
    if (++wb->row > RELEVE_WORKBOOK_MAX_ROWS)
      return wb_fail(wb, -EBADMSG, 0, 0, "feuille « %s » : valeur au-delà de la ligne %lu, la "
                     "dernière permise ; le classeur n'est pas lu", wb->names[wb->sheet],
                     RELEVE_WORKBOOK_MAX_ROWS);
    row->row = wb->row;
    return 1;
  }
  if (wb->pending && open_sheet(wb) < 0)
    return wb->err;
  if (!wb->streaming)
    return 0;
  wb->row_ready = 0;
  int rc = wb_stream_run(wb, &wb->stream);
  if (rc < 0)
    return rc;
  if (!wb->row_ready) { /* the end of the sheet */
    wb_stream_close(&wb->stream);
    wb->streaming = 0;
    return 0;
  }
  row->row = wb->row;
  row->cells = wb->cells;
  row->n = wb->ncells;
  return 1;
}

/* Appends text as one CSV field: quoted when it holds the separator, a
 * quote or a line break. */
static int add_field(releve_buf *b, const char *text) {
  if (strpbrk(text, ";\"\r\n") == NULL)
    return releve_buf_adds(b, text);
  int rc = releve_buf_add(b, "\"", 1);
  for (const char *p = text; rc == 0 && *p; p++)
    rc = *p == '"' ? releve_buf_add(b, "\"\"", 2) : releve_buf_add(b, p, 1);
  return rc ? rc : releve_buf_add(b, "\"", 1);
}

typedef struct heads_why {
  char **why;
} heads_why;

static void keep_reason(void *ud, unsigned long row, unsigned column, const char *message) {
  heads_why *h = ud;
  (void)row, (void)column;
  if (*h->why == NULL)
    *h->why = strdup(message);
}

int releve_workbook_heads(int fd, size_t max,
                          int (*each)(void *ud, const unsigned char *head, size_t n), void *ud,
                          char **why) {
  heads_why h = {why};
  releve_workbook_sink sink = {&h, keep_reason, NULL};
  releve_workbook *wb;
  releve_buf head = RELEVE_BUF_INIT;
  *why = NULL;
  int rc = releve_workbook_open(fd, &sink, &wb);
  if (rc <= 0)
    return rc;
  wb->heads_only = 1;
  for (size_t i = 0; rc == 1 && i < wb->nsheets && i < RELEVE_WORKBOOK_HEAD_SHEETS; i++) {
    releve_workbook_row row = {0}; /* -O2 cannot see that next() fills it before use */
    unsigned rows = 0;
    int r = releve_workbook_select(wb, i);
    head.len = 0;
    while (r == 0 && rows++ < RELEVE_WORKBOOK_HEAD_ROWS && (r = releve_workbook_next(wb, &row)) == 1) {
      size_t at = head.len;
      for (size_t c = 0; r == 1 && c < row.n; c++)
        if ((c && releve_buf_add(&head, ";", 1)) || add_field(&head, row.cells[c].text))
          r = -ENOMEM;
      if (r == 1 && releve_buf_add(&head, "\n", 1))
        r = -ENOMEM;
      if (r == 1 && head.len >= max) {
        head.len = at; /* whole lines only */
        break;
      }
      r = r == 1 ? 0 : r;
    }
    if (r < 0 && *why == NULL)
      r = -ENOMEM;
    if (r < 0) {
      rc = r;
      break;
    }
    rc = each(ud, (const unsigned char *)(head.data ? head.data : ""), head.len);
    rc = rc < 0 ? rc : 1;
  }
  if (rc >= 0) { /* a row's problem (a formula without value) is decode's to report */
    free(*why);
    *why = NULL;
  } else if (*why == NULL) {
    *why = strdup("mémoire insuffisante pour lire le classeur");
  }
  releve_buf_free(&head);
  releve_workbook_free(wb);
  return rc;
}

void releve_workbook_free(releve_workbook *wb) {
  if (wb == NULL)
    return;
  if (wb->streaming)
    wb_stream_close(&wb->stream);
  if (wb->format != NULL && wb->format->free != NULL)
    wb->format->free(wb);
  wb_merges_clear(wb);
  free(wb->merges);
  for (size_t i = 0; i < wb->nsheets; i++)
    free(wb->names[i]);
  free(wb->names);
  free(wb->cells);
  free(wb->text_at);
  releve_buf_free(&wb->text);
  releve_buf_free(&wb->cell);
  if (wb->zip != NULL)
    zip_discard(wb->zip);
  free(wb);
}
