/* export_xlsx.c -- the evaluation table as an XLSX workbook, written by
 * libxlsxwriter: a sheet with every row, then one per theme, each with its
 * header frozen, filters, and printed on A4 landscape one page wide with
 * the header repeated; figures are numbers (a spreadsheet can sum them),
 * progress and completeness percentages, "secret" and "nd" text. Then the
 * completeness per actor and per theme, and a chart sheet of it. The
 * library writes to a private temporary file (xlsx_file.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "util/buf.h"
#include "util/xlsx_file.h"

#define MAX_SHEETS 8
#define PAPER_A4 9
#define DONE_SHEET "Complétude"
#define LINE_POINTS 12.75 /* the height of a line of text */

typedef struct sheet {
  const releve_node *theme; /* NULL: the sheet with every row */
  lxw_worksheet *ws;
  lxw_row_t next;
} sheet;

typedef struct xlsx_writer {
  export_writer w;
  const export_context *ctx;
  releve_xlsx_file file;
  lxw_workbook *wb;
  lxw_format *head, *top, *wrap, *percent; /* every cell at the top of its row */
  sheet sheets[MAX_SHEETS];
  int n_sheets;
} xlsx_writer;

/* Narrow codes, wrapped texts: the whole row fits one printed page width. */
static const double widths[EXPORT_COLUMNS] = {
    6, 8, 8, 12, 7, 28, 10, 36, 10, 22, 10, 10, 28, 10,
    10, 9, 11, 8, 11, 9, 9, 11, 8, 12, 12, 11, 11, 20, 24};
static const int wrapped[] = {COL_ACTION_LABEL, COL_LABEL, COL_ACTOR_NAME, COL_TARGET,
                              COL_GEOGRAPHY_NAME, COL_NOTE};

static void note(xlsx_writer *x, lxw_error e) { releve_xlsx_file_note(&x->file, e); }

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

/* Landscape A4, one page wide, as many long as needed, the header on each. */
static void printable(xlsx_writer *x, lxw_worksheet *ws, int header_row) {
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, PAPER_A4);
  worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
  worksheet_fit_to_pages(ws, 1, 0);
  if (header_row)
    note(x, worksheet_repeat_rows(ws, 0, 0));
  note(x, worksheet_set_footer(ws, "&L&A&RPage &P / &N"));
}

static int wraps(int col) {
  for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++)
    if (wrapped[i] == col)
      return 1;
  return 0;
}

static sheet *add_sheet(xlsx_writer *x, const releve_node *theme) {
  char name[128], title[96];
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
    note(x, worksheet_set_column(s->ws, c, c, widths[c], wraps(c) ? x->wrap : x->top));
    note(x, worksheet_write_string(s->ws, 0, c, export_column_title(x->ctx, c, title), x->head));
  }
  note(x, worksheet_set_row(s->ws, 0, LINE_POINTS * 4, NULL)); /* titles wrap */
  worksheet_freeze_panes(s->ws, 1, COL_LABEL);
  printable(x, s->ws, 1);
  s->next = 1;
  return s;
}

static sheet *theme_sheet(xlsx_writer *x, const releve_node *theme) {
  for (int i = 0; i < x->n_sheets; i++)
    if (x->sheets[i].theme == theme)
      return &x->sheets[i];
  return add_sheet(x, theme);
}

/* Lines a wrapped text takes in column col: spreadsheets do not all fit
 * a row's height to its wrapped cells when they open a file
 * (LibreOffice keeps the default height), so the writer sets it. */
static size_t lines_of(const char *text, int col) {
  size_t chars = 0, per_line = (size_t)(widths[col] * 1.1);
  for (const char *p = text; *p; p++)
    chars += ((unsigned char)*p & 0xc0) != 0x80;
  return chars / per_line + 1;
}

static void put_row(xlsx_writer *x, sheet *s, const export_row *r) {
  size_t lines = 1;
  for (lxw_col_t c = 0; c < EXPORT_COLUMNS; c++) {
    export_cell cell;
    export_row_cell(r, c, &cell);
    if (cell.kind == CELL_TEXT && wraps(c) && lines_of(cell.text, c) > lines)
      lines = lines_of(cell.text, c);
    if (cell.kind == CELL_NUMBER)
      note(x, worksheet_write_number(s->ws, s->next, c, cell.number, x->top));
    else if (cell.kind == CELL_PERCENT)
      note(x, worksheet_write_number(s->ws, s->next, c, cell.number, x->percent));
    else if (cell.kind == CELL_TEXT)
      note(x, worksheet_write_string(s->ws, s->next, c, cell.text, wraps(c) ? x->wrap : x->top));
  }
  note(x, worksheet_set_row(s->ws, s->next, LINE_POINTS * (double)lines, NULL));
  s->next++;
}

static int xlsx_row(export_writer *w, const export_row *r) {
  xlsx_writer *x = (xlsx_writer *)w;
  sheet *s = theme_sheet(x, r->ind->theme);
  put_row(x, &x->sheets[0], r);
  if (s)
    put_row(x, s, r);
  return x->file.error == LXW_NO_ERROR ? 0 : -EIO;
}

static void tally_line(xlsx_writer *x, lxw_worksheet *ws, lxw_row_t row, const char *name,
                       const char *full, const export_tally *t) {
  note(x, worksheet_write_string(ws, row, 0, name, NULL));
  if (full)
    note(x, worksheet_write_string(ws, row, 1, full, NULL));
  note(x, worksheet_write_number(ws, row, 2, t->due, NULL));
  note(x, worksheet_write_number(ws, row, 3, t->given, NULL));
  if (t->due)
    note(x, worksheet_write_number(ws, row, 4, (double)t->given / t->due, x->percent));
}

/* Completeness per actor (the chart's data) then per theme and in all. */
static void completeness(xlsx_writer *x) {
  static const char *const heads[] = {"Acteur", "Nom complet", "Cellules dues",
                                      "Cellules reçues", "Complétude"};
  const releve_config *cfg = x->ctx->cfg;
  lxw_worksheet *ws = workbook_add_worksheet(x->wb, DONE_SHEET);
  lxw_chartsheet *cs;
  lxw_chart *chart;
  lxw_chart_series *series;
  lxw_chart_font small = {.size = 8};
  lxw_row_t row = 1, last_actor;
  char name[128];

  if (ws == NULL) {
    note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return;
  }
  note(x, worksheet_set_column(ws, 0, 0, 32, NULL));
  note(x, worksheet_set_column(ws, 1, 1, 70, NULL));
  note(x, worksheet_set_column(ws, 2, 4, 14, NULL));
  for (lxw_col_t c = 0; c < 5; c++)
    note(x, worksheet_write_string(ws, 0, c, heads[c], x->head));
  for (size_t i = 0; i < cfg->n_actors; i++) {
    const releve_ref_actor *ra = releve_referentiel_actor(&cfg->ref, cfg->actors[i].id);
    const char *full = ra ? ra->name : cfg->actors[i].id;
    if (x->ctx->actors[i].due == 0)
      continue;
    export_short_name(full, name);
    tally_line(x, ws, row++, name, full, &x->ctx->actors[i]);
  }
  last_actor = row - 1;
  row++;
  note(x, worksheet_write_string(ws, row++, 0, "Thème", x->head));
  for (size_t i = 0; i < cfg->ref.n_themes; i++)
    tally_line(x, ws, row++, cfg->ref.nodes[i].name, NULL, &x->ctx->nodes[i]);
  tally_line(x, ws, row, "Ensemble", NULL, &x->ctx->total);
  worksheet_freeze_panes(ws, 1, 0);
  printable(x, ws, 1);
  if (last_actor < 1)
    return; /* no actor owes anything: no chart */

  cs = workbook_add_chartsheet(x->wb, "Graphique complétude");
  chart = workbook_add_chart(x->wb, LXW_CHART_BAR);
  if (cs == NULL || chart == NULL) {
    note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return;
  }
  series = chart_add_series(chart, NULL, NULL);
  chart_series_set_categories(series, DONE_SHEET, 1, 0, last_actor, 0);
  chart_series_set_values(series, DONE_SHEET, 1, 4, last_actor, 4);
  chart_series_set_name(series, "Complétude");
  chart_series_set_labels(series);
  chart_series_set_labels_num_format(series, "0%");
  chart_title_set_name(chart, "Complétude par acteur (cellules reçues / dues)");
  /* In a bar chart the values run along x, the actors along y. */
  chart_axis_set_min(chart->x_axis, 0);
  chart_axis_set_max(chart->x_axis, 1);
  chart_axis_set_num_format(chart->x_axis, "0%");
  chart_axis_set_reverse(chart->y_axis); /* the first actor on top */
  chart_axis_set_interval_unit(chart->y_axis, 1); /* every actor named */
  chart_axis_set_num_font(chart->y_axis, &small);
  chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
  note(x, chartsheet_set_chart(cs, chart));
  chartsheet_set_landscape(cs);
  chartsheet_set_paper(cs, PAPER_A4);
}

static int xlsx_finish(export_writer *w, releve_buf *out) {
  xlsx_writer *x = (xlsx_writer *)w;

  for (int i = 0; i < x->n_sheets; i++)
    note(x, worksheet_autofilter(x->sheets[i].ws, 0, 0, x->sheets[i].next - 1,
                                 EXPORT_COLUMNS - 1));
  completeness(x);
  x->wb = NULL;
  return releve_xlsx_file_close(&x->file, out);
}

static void xlsx_free(export_writer *w) {
  xlsx_writer *x = (xlsx_writer *)w;
  releve_xlsx_file_discard(&x->file);
  free(x);
}

export_writer *export_xlsx_new(const export_context *ctx) {
  xlsx_writer *x = calloc(1, sizeof *x);

  if (x == NULL)
    return NULL;
  x->ctx = ctx;
  x->w.row = xlsx_row;
  x->w.finish = xlsx_finish;
  x->w.free = xlsx_free;
  if (releve_xlsx_file_open(&x->file) != 0) {
    free(x);
    return NULL;
  }
  x->wb = x->file.wb;
  x->head = workbook_add_format(x->wb);
  x->wrap = workbook_add_format(x->wb);
  x->top = workbook_add_format(x->wb);
  x->percent = workbook_add_format(x->wb);
  if (x->percent == NULL) {
    xlsx_free(&x->w);
    return NULL;
  }
  format_set_bold(x->head);
  format_set_bg_color(x->head, 0xDDDDDD);
  format_set_text_wrap(x->head);
  format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
  format_set_text_wrap(x->wrap);
  format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
  format_set_align(x->top, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format(x->percent, "0%");
  format_set_align(x->percent, LXW_ALIGN_VERTICAL_TOP);
  if (add_sheet(x, NULL) == NULL) {
    xlsx_free(&x->w);
    return NULL;
  }
  return &x->w;
}
