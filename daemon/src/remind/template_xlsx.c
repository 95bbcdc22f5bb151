/* template_xlsx.c -- the collection table as an XLSX workbook, written by
 * libxlsxwriter (see template.h for what it holds). The figures to fill are
 * plain numbers: "Part (%)" shows 12,5 % for the number 12.5, never Excel's
 * percent (which would store 0.125). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "remind/template.h"
#include "util/buf.h"
#include "util/xlsx_file.h"

#define GREY 0xE7E6E6
#define HEAD_GREY 0xBFBFBF

typedef struct formats {
  lxw_format *head, *ref, *ref_number, *fill, *fill_text, *part, *title, *line;
  lxw_format *value[4]; /* per releve_unit */
} formats;

static lxw_format *format_new(lxw_workbook *wb, int locked, int grey, const char *num) {
  lxw_format *f = workbook_add_format(wb);
  if (f == NULL)
    return NULL;
  if (!locked)
    format_set_unlocked(f);
  if (grey)
    format_set_bg_color(f, grey);
  if (num)
    format_set_num_format(f, num);
  format_set_border(f, LXW_BORDER_HAIR);
  format_set_border_color(f, 0xA6A6A6);
  format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  return f;
}

static int make_formats(lxw_workbook *wb, formats *f) {
  static const char *const value_formats[4] = {
      [RELEVE_UNIT_COUNT] = "#,##0", [RELEVE_UNIT_PERCENT] = "0.0\" %\"",
      [RELEVE_UNIT_AMOUNT] = "#,##0.00\" €\"", [RELEVE_UNIT_TEXT] = "@"};
  if ((f->head = format_new(wb, 1, HEAD_GREY, NULL)) == NULL ||
      (f->ref = format_new(wb, 1, GREY, NULL)) == NULL ||
      (f->ref_number = format_new(wb, 1, GREY, "#,##0.##")) == NULL ||
      (f->fill = format_new(wb, 0, 0, NULL)) == NULL ||
      (f->fill_text = format_new(wb, 0, 0, "@")) == NULL ||
      (f->part = format_new(wb, 0, 0, "0.0\" %\"")) == NULL ||
      (f->title = workbook_add_format(wb)) == NULL || (f->line = workbook_add_format(wb)) == NULL)
    return -ENOMEM;
  for (int u = 0; u < 4; u++)
    if ((f->value[u] = format_new(wb, 0, 0, value_formats[u])) == NULL)
      return -ENOMEM;
  format_set_bold(f->head);
  format_set_text_wrap(f->head);
  format_set_text_wrap(f->ref);
  format_set_text_wrap(f->fill_text);
  format_set_bold(f->title);
  format_set_font_size(f->title, 14);
  format_set_text_wrap(f->line);
  format_set_align(f->line, LXW_ALIGN_VERTICAL_TOP);
  return 0;
}

/* The page header: the actor on the left, the campaign on the right; "&"
 * starts a header code, so the name's own are doubled. */
static char *page_header(const releve_template *t) {
  releve_buf b = RELEVE_BUF_INIT;
  int rc = releve_buf_adds(&b, "&L");
  for (const char *p = t->actor->name; *p; p++)
    rc |= releve_buf_adds(&b, *p == '&' ? "&&" : (char[2]){*p, '\0'});
  rc |= releve_buf_addf(&b, "&RCollecte %d", t->year);
  if (rc) {
    releve_buf_free(&b);
    return NULL;
  }
  return releve_buf_steal(&b);
}

static void print_setup(lxw_worksheet *ws, const char *title) {
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9); /* A4 */
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
  worksheet_set_header(ws, title);
  worksheet_set_footer(ws, "&CPage &P / &N");
}

static void instructions(releve_xlsx_file *x, const formats *f, char **lines,
                         const char *header) {
  lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Mode d'emploi");
  if (ws == NULL) {
    releve_xlsx_file_note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return;
  }
  releve_xlsx_file_note(x, worksheet_set_column(ws, 0, 0, RELEVE_TEMPLATE_NOTE_WIDTH, NULL));
  for (lxw_row_t r = 0; lines[r]; r++) {
    int n = releve_template_lines(lines[r], RELEVE_TEMPLATE_NOTE_WIDTH);
    releve_xlsx_file_note(x, worksheet_set_row(ws, r * 2, r == 0 ? 20 : 15 * n, NULL));
    releve_xlsx_file_note(x, worksheet_write_string(ws, r * 2, 0, lines[r],
                                                    r == 0 ? f->title : f->line));
  }
  print_setup(ws, header);
}

static void cell(releve_xlsx_file *x, lxw_worksheet *ws, lxw_row_t row,
                 const releve_template_row *r, releve_template_column c, const formats *f) {
  const releve_template_value *v = releve_template_value_of(r, c);
  lxw_col_t col = (lxw_col_t)c;
  if (v && v->is_number)
    releve_xlsx_file_note(x, worksheet_write_number(ws, row, col, v->number, f->ref_number));
  else if (!releve_template_columns[c].fill)
    releve_xlsx_file_note(x,
                          worksheet_write_string(ws, row, col, releve_template_text(r, c), f->ref));
  else if (c == RELEVE_TC_VALEUR)
    releve_xlsx_file_note(x, worksheet_write_blank(ws, row, col, f->value[r->ind->unit]));
  else if (c == RELEVE_TC_PART)
    releve_xlsx_file_note(x, worksheet_write_blank(ws, row, col, r->ind->share ? f->part : f->fill));
  else
    releve_xlsx_file_note(x, worksheet_write_blank(ws, row, col, f->fill_text));
}

static void table(releve_xlsx_file *x, const releve_template *t, const formats *f,
                  const char *header) {
  char *statuses[8] = {NULL};
  lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Tableau");
  lxw_data_validation dv;
  lxw_protection protection;
  lxw_row_t last = t->n ? (lxw_row_t)t->n : 1;
  char title[64];

  if (ws == NULL) {
    releve_xlsx_file_note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return;
  }
  for (int c = 0; c < RELEVE_TC_COUNT; c++) {
    releve_template_title(t, c, 0, title, sizeof title);
    releve_xlsx_file_note(x, worksheet_set_column(ws, c, c, releve_template_columns[c].width,
                                                  NULL));
    releve_xlsx_file_note(x, worksheet_write_string(ws, 0, c, title, f->head));
  }
  releve_xlsx_file_note(x, worksheet_set_row(ws, 0, 30, NULL));
  for (size_t i = 0; i < t->n; i++) {
    releve_xlsx_file_note(x, worksheet_set_row(ws, (lxw_row_t)i + 1,
                                               13 * releve_template_row_lines(&t->rows[i]), NULL));
    for (int c = 0; c < RELEVE_TC_COUNT; c++)
      cell(x, ws, (lxw_row_t)i + 1, &t->rows[i], c, f);
  }
  for (size_t i = 0; releve_template_statuses[i] && i + 1 < 8; i++)
    statuses[i] = (char *)releve_template_statuses[i];
  memset(&dv, 0, sizeof dv);
  dv.validate = LXW_VALIDATION_TYPE_LIST;
  dv.value_list = statuses;
  dv.ignore_blank = LXW_VALIDATION_ON;
  dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
  dv.error_title = "Statut";
  dv.error_message = "Choisissez un statut dans la liste (ou laissez la case vide pour un "
                     "chiffre définitif).";
  dv.input_title = "Statut";
  dv.input_message = "Vide : définitif. Sinon provisoire, estimé, secret ou non disponible.";
  releve_xlsx_file_note(x, worksheet_data_validation_range(ws, 1, RELEVE_TC_STATUT, last,
                                                           RELEVE_TC_STATUT, &dv));
  worksheet_freeze_panes(ws, 1, 0);
  releve_xlsx_file_note(x, worksheet_autofilter(ws, 0, 0, last, RELEVE_TC_COUNT - 1));
  releve_xlsx_file_note(x, worksheet_repeat_rows(ws, 0, 0));
  print_setup(ws, header);
  /* Locked cells are the reference columns; no password: the lock guards
   * against slips, it is not a secret. */
  memset(&protection, 0, sizeof protection);
  protection.format_columns = 1;
  protection.format_rows = 1;
  protection.autofilter = 1;
  protection.sort = 1;
  worksheet_protect(ws, NULL, &protection);
}

int releve_template_xlsx(const releve_template *t, releve_buf *out) {
  releve_xlsx_file x;
  lxw_doc_properties props;
  formats f;
  char **lines = releve_template_instructions(t);
  char *header = page_header(t);
  int rc;

  if (lines == NULL || header == NULL) {
    rc = -ENOMEM;
    goto out;
  }
  if ((rc = releve_xlsx_file_open(&x)) != 0)
    goto out;
  if ((rc = make_formats(x.wb, &f)) != 0) {
    releve_xlsx_file_discard(&x);
    goto out;
  }
  memset(&props, 0, sizeof props);
  props.title = lines[0];
  props.author = "relevé";
  props.company = "Ville de Paris — contrat de ville";
  props.created = releve_template_stamp(t);
  releve_xlsx_file_note(&x, workbook_set_properties(x.wb, &props));
  instructions(&x, &f, lines, header);
  table(&x, t, &f, header);
  rc = releve_xlsx_file_close(&x, out);
out:
  releve_template_instructions_free(lines);
  free(header);
  return rc;
}
