/* export_xlsx.c -- the collection table as an XLSX workbook, written by
 * libxlsxwriter: a sheet with every row, then one per theme; figures are
 * numbers (a spreadsheet can sum them), "secret" and "nd" are text. The
 * library writes to a file: a private temporary one, read back whole. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "export.h"
#include "log.h"

#define MAX_SHEETS 8

typedef struct sheet {
  const releve_node *theme; /* NULL: the sheet with every row */
  lxw_worksheet *ws;
  lxw_row_t next;
} sheet;

typedef struct xlsx_writer {
  export_writer w;
  char path[64];
  lxw_workbook *wb;
  lxw_format *head;
  sheet sheets[MAX_SHEETS];
  int n_sheets;
  lxw_error error;
} xlsx_writer;

static const double widths[EXPORT_COLUMNS] = {7, 8, 40, 10, 60, 14, 8, 30,
                                             10, 11, 12, 12, 12, 12, 12};

static void note(xlsx_writer *x, lxw_error e) {
  if (x->error == LXW_NO_ERROR)
    x->error = e;
}

/* A sheet name: the theme's id and its name up to the first character
 * Excel forbids ([]:*?/\), at most 31 characters: "G Grandir". */
static void sheet_name(const releve_node *theme, char *out, size_t size) {
  size_t n, chars = 0;
  char full[256];
  snprintf(full, sizeof full, "%s %s", theme->id, theme->name);
  for (n = 0; full[n] && !strchr("[]:*?/\\", full[n]) && n + 1 < size; n++)
    if (((unsigned char)full[n] & 0xc0) != 0x80 && ++chars > 31)
      break;
  while (n && full[n - 1] == ' ')
    n--;
  memcpy(out, full, n);
  out[n] = '\0';
}

static sheet *add_sheet(xlsx_writer *x, const releve_node *theme) {
  char name[128];
  sheet *s;
  if (x->n_sheets == MAX_SHEETS)
    return NULL;
  s = &x->sheets[x->n_sheets];
  if (theme)
    sheet_name(theme, name, sizeof name);
  else
    snprintf(name, sizeof name, "Tableau complet");
  if (workbook_validate_sheet_name(x->wb, name) != LXW_NO_ERROR)
    snprintf(name, sizeof name, "%s", theme->id);
  if ((s->ws = workbook_add_worksheet(x->wb, name)) == NULL) {
    note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return NULL;
  }
  s->theme = theme;
  x->n_sheets++;
  for (lxw_col_t c = 0; c < EXPORT_COLUMNS; c++) {
    note(x, worksheet_set_column(s->ws, c, c, widths[c], NULL));
    note(x, worksheet_write_string(s->ws, 0, c, export_column_titles[c], x->head));
  }
  worksheet_freeze_panes(s->ws, 1, 4);
  s->next = 1;
  return s;
}

static sheet *theme_sheet(xlsx_writer *x, const releve_node *theme) {
  for (int i = 0; i < x->n_sheets; i++)
    if (x->sheets[i].theme == theme)
      return &x->sheets[i];
  return add_sheet(x, theme);
}

static void put_value(xlsx_writer *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const export_value *v) {
  if (v->kind == EXPORT_NUMBER)
    note(x, worksheet_write_number(ws, row, col, v->number, NULL));
  else if (v->kind == EXPORT_TEXT)
    note(x, worksheet_write_string(ws, row, col, v->text, NULL));
}

static void put_row(xlsx_writer *x, sheet *s, const export_row *r) {
  const char *fields[EXPORT_COLUMNS];
  char buf[3][32];
  const export_value *values[EXPORT_COLUMNS] = {NULL};
  values[11] = &r->start;
  values[12] = &r->mid;
  values[14] = &r->last;
  export_row_texts(r, fields, buf);
  for (lxw_col_t c = 0; c < EXPORT_COLUMNS; c++) {
    if (values[c])
      put_value(x, s->ws, s->next, c, values[c]);
    else if (fields[c][0])
      note(x, worksheet_write_string(s->ws, s->next, c, fields[c], NULL));
  }
  s->next++;
}

static int xlsx_row(export_writer *w, const export_row *r) {
  xlsx_writer *x = (xlsx_writer *)w;
  sheet *s = theme_sheet(x, r->ind->theme);
  put_row(x, &x->sheets[0], r);
  if (s)
    put_row(x, s, r);
  return x->error == LXW_NO_ERROR ? 0 : -EIO;
}

static int xlsx_finish(export_writer *w, releve_buf *out) {
  xlsx_writer *x = (xlsx_writer *)w;
  lxw_error e;
  size_t len;
  char *data;
  int rc;

  for (int i = 0; i < x->n_sheets; i++)
    note(x, worksheet_autofilter(x->sheets[i].ws, 0, 0, x->sheets[i].next - 1,
                                 EXPORT_COLUMNS - 1));
  e = workbook_close(x->wb);
  x->wb = NULL;
  note(x, e);
  if (x->error != LXW_NO_ERROR) {
    releve_err("xlsx: %s", lxw_strerror(x->error));
    return -EIO;
  }
  if ((rc = releve_read_file(x->path, &data, &len)) != 0)
    return rc;
  out->data = data;
  out->len = len;
  out->cap = len + 1;
  return 0;
}

static void xlsx_free(export_writer *w) {
  xlsx_writer *x = (xlsx_writer *)w;
  if (x->wb)
    workbook_close(x->wb);
  unlink(x->path);
  free(x);
}

export_writer *export_xlsx_new(void) {
  xlsx_writer *x = calloc(1, sizeof *x);
  const char *tmp = getenv("TMPDIR");
  int fd;

  if (x == NULL)
    return NULL;
  x->w.row = xlsx_row;
  x->w.finish = xlsx_finish;
  x->w.free = xlsx_free;
  snprintf(x->path, sizeof x->path, "%s/releve-export.XXXXXX",
           tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  if ((fd = mkstemp(x->path)) < 0) {
    releve_err("xlsx: cannot create a temporary file %s: %s", x->path, strerror(errno));
    free(x);
    return NULL;
  }
  close(fd);
  x->wb = workbook_new(x->path);
  x->head = x->wb ? workbook_add_format(x->wb) : NULL;
  if (x->head == NULL) {
    xlsx_free(&x->w);
    return NULL;
  }
  format_set_bold(x->head);
  format_set_bg_color(x->head, 0xDDDDDD);
  format_set_text_wrap(x->head);
  if (add_sheet(x, NULL) == NULL) {
    xlsx_free(&x->w);
    return NULL;
  }
  return &x->w;
}
