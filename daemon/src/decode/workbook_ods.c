/* workbook_ods.c -- OpenDocument spreadsheets (.ods): the tables of
 * content.xml, their rows with repeats, spans and covered cells, typed
 * values and text paragraphs (OpenDocument 1.3, part 3, §9.1 and §19). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/workbook_int.h"

typedef struct ods {
  size_t target;         /* the table being read */
  size_t table;          /* tables opened so far */
  unsigned depth;        /* open table elements (sub-tables nest) */
  int in_target;
  int encrypted;
  /* the row */
  unsigned long next_row, rows_repeated;
  unsigned col;
  int in_row;
  unsigned stray;        /* rows and cells open inside a row or cell, passed over */
  /* the cell */
  int in_cell, in_p, paragraphs;
  unsigned annotation;   /* depth inside office:annotation (comments) */
  unsigned cols_repeated, cols_spanned;
  unsigned long rows_spanned;
  char type[16];
  char *value;           /* office:value, office:date-value or boolean-value */
  int has_formula;
} ods;

static unsigned long count_attr(const char **attrs, const char *local, unsigned long max) {
  const char *v = wb_attr(attrs, local);
  unsigned long n = v ? strtoul(v, NULL, 10) : 1;
  return n == 0 ? 1 : n > max ? max : n;
}

/* ---- META-INF/manifest.xml and the table names --------------------------- */

static void manifest_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  (void)attrs;
  wb_stream *s = data;
  ods *o = s->ud;
  if (strcmp(wb_local(name), "encryption-data") == 0) {
    o->encrypted = 1;
    wb_stream_done(s);
  }
}

static void names_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  wb_stream *s = data;
  ods *o = s->ud;
  if (strcmp(wb_local(name), "table") != 0)
    return;
  if (o->depth++ == 0) {
    const char *n = wb_attr(attrs, "name");
    char fallback[32];
    snprintf(fallback, sizeof fallback, "Feuille%zu", s->wb->nsheets + 1);
    if (wb_add_sheet(s->wb, n ? n : fallback) < 0)
      XML_StopParser(s->parser, XML_FALSE);
  }
}

static void names_end(void *data, const XML_Char *name) {
  wb_stream *s = data;
  ods *o = s->ud;
  if (strcmp(wb_local(name), "table") == 0 && o->depth > 0)
    o->depth--;
}

static int ods_load(releve_workbook *wb) {
  ods *o = calloc(1, sizeof *o);
  if (o == NULL)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  wb->fmt = o;
  int rc = wb_parse_part(wb, "META-INF/manifest.xml", o, manifest_start, NULL, NULL);
  if (rc < 0)
    return rc;
  if (o->encrypted)
    return wb_fail(wb, -EBADMSG, 0, 0,
                   "le classeur est protégé par un mot de passe (chiffré) : il ne peut pas être "
                   "lu ; enregistrez-le sans mot de passe, au format .ods ou .xlsx");
  rc = wb_parse_part(wb, "content.xml", o, names_start, names_end, NULL);
  return rc < 0 ? rc : 0;
}

static void ods_free(releve_workbook *wb) {
  ods *o = wb->fmt;
  if (o != NULL)
    free(o->value);
  free(o);
  wb->fmt = NULL;
}

/* ---- a table's rows ------------------------------------------------------ */

static int put_cell(wb_stream *s, ods *o) {
  releve_workbook *wb = s->wb;
  const char *p = wb->cell.data ? wb->cell.data : "";
  size_t len = wb->cell.len;
  const char *v = o->value;
  char text[64], ref[24];
  releve_cell_kind kind = RELEVE_CELL_TEXT;
  double d = 0;

  if (o->has_formula && o->type[0] == '\0') {
    wb_fail(wb, 0, wb->row, o->col,
            "formule sans valeur calculée (cellule %s) : ouvrez le classeur dans LibreOffice ou "
            "Excel et enregistrez-le, pour que la valeur y soit écrite",
            releve_report_cell_ref(o->col, wb->row, ref));
    return 0;
  }
  if ((strcmp(o->type, "float") == 0 || strcmp(o->type, "currency") == 0 ||
       strcmp(o->type, "percentage") == 0) && v != NULL) {
    char *end;
    d = strtod(v, &end);
    if (*end == '\0' && end != v) {
      if (o->type[0] == 'p') { /* 93,20 % is stored as 0.932 */
        snprintf(text, sizeof text, "%.15g", d * 100);
        d = strtod(text, NULL);
      }
      wb_number_text(d, text);
      p = text;
      len = strlen(text);
      kind = RELEVE_CELL_NUMBER;
    }
  } else if (strcmp(o->type, "date") == 0 && v != NULL) {
    p = v; /* "2019-12-31" or "2019-12-31T10:00:00": the kit reads both */
    len = strlen(v);
  } else if (strcmp(o->type, "string") == 0 && len == 0 && v != NULL) {
    p = v;
    len = strlen(v);
  } else if (strcmp(o->type, "boolean") == 0 && v != NULL) {
    p = strcmp(v, "true") == 0 ? "VRAI" : "FAUX";
    len = strlen(p);
  }
  if (len == 0)
    return 0;
  unsigned last = o->col + o->cols_repeated - 1;
  if (last > RELEVE_WORKBOOK_MAX_COLUMNS)
    return wb_row_cell(wb, last, kind, d, p, len); /* refused there */
  for (unsigned c = o->col; c <= last; c++) {
    int rc = wb_row_cell(wb, c, kind, d, p, len);
    if (rc < 0)
      return rc;
  }
  return 0;
}

static void cell_start(wb_stream *s, ods *o, const char **attrs, int covered) {
  releve_workbook *wb = s->wb;
  o->cols_repeated = (unsigned)count_attr(attrs, "number-columns-repeated",
                                          RELEVE_WORKBOOK_MAX_COLUMNS + 1ul);
  o->cols_spanned = covered ? 1 : (unsigned)count_attr(attrs, "number-columns-spanned",
                                                       RELEVE_WORKBOOK_MAX_COLUMNS);
  o->rows_spanned = covered ? 1 : count_attr(attrs, "number-rows-spanned",
                                             RELEVE_WORKBOOK_MAX_ROWS);
  const char *type = wb_attr(attrs, "value-type");
  snprintf(o->type, sizeof o->type, "%s", type ? type : "");
  const char *v = wb_attr(attrs, "date-value");
  if (v == NULL)
    v = wb_attr(attrs, "boolean-value");
  if (v == NULL)
    v = wb_attr(attrs, "value");
  if (v == NULL)
    v = wb_attr(attrs, "string-value"); /* a string given as an attribute, not a paragraph */
  free(o->value);
  o->value = v ? strdup(v) : NULL;
  o->has_formula = wb_attr(attrs, "formula") != NULL;
  o->in_cell = 1;
  o->paragraphs = 0;
  wb->cell.len = 0;
  if (wb->cell.data)
    wb->cell.data[0] = '\0';
  if ((v != NULL && o->value == NULL) ||
      ((o->cols_spanned > 1 || o->rows_spanned > 1) &&
       wb_merge_add(wb, wb->row, o->col, wb->row + o->rows_spanned - 1,
                    o->col + o->cols_spanned - 1) < 0)) {
    wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
    XML_StopParser(s->parser, XML_FALSE);
  }
}

static void add_text(wb_stream *s, const char *text, size_t len) {
  ods *o = s->ud;
  wb_cell_text(s, o->col, text, len);
}

static void rows_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  wb_stream *s = data;
  ods *o = s->ud;
  releve_workbook *wb = s->wb;
  const char *local = wb_local(name);
  if (strcmp(local, "table") == 0) {
    if (o->depth++ == 0)
      o->in_target = o->table++ == o->target;
    return;
  }
  if (!o->in_target || o->depth != 1)
    return;
  int is_row = strcmp(local, "table-row") == 0;
  int is_cell = strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0;
  /* A row inside a row, or a cell inside a cell or outside any row, is not
   * ODS; read as such it would end the enclosing row twice and give a row
   * number again. Its whole content is passed over instead. */
  if (o->stray > 0 || (is_row && o->in_row) || (is_cell && (o->in_cell || !o->in_row))) {
    o->stray += is_row || is_cell;
    return;
  }
  if (is_row) {
    o->in_row = 1;
    o->rows_repeated = count_attr(attrs, "number-rows-repeated", RELEVE_WORKBOOK_MAX_ROWS);
    wb_row_begin(wb, o->next_row);
    o->col = 1;
  } else if (is_cell) {
    cell_start(s, o, attrs, local[0] == 'c');
  } else if (!o->in_cell) {
    return;
  } else if (strcmp(local, "annotation") == 0) {
    o->annotation++;
  } else if (o->annotation) {
    return;
  } else if (strcmp(local, "p") == 0) {
    if (o->paragraphs++ > 0)
      add_text(s, "\n", 1);
    o->in_p = 1;
  } else if (strcmp(local, "s") == 0 && o->in_p) {
    unsigned long n = count_attr(attrs, "c", 1024);
    for (unsigned long i = 0; i < n; i++)
      add_text(s, " ", 1);
  } else if (strcmp(local, "tab") == 0 && o->in_p) {
    add_text(s, "\t", 1);
  } else if (strcmp(local, "line-break") == 0 && o->in_p) {
    add_text(s, "\n", 1);
  }
}

static void rows_end(void *data, const XML_Char *name) {
  wb_stream *s = data;
  ods *o = s->ud;
  releve_workbook *wb = s->wb;
  const char *local = wb_local(name);
  if (strcmp(local, "table") == 0) {
    if (--o->depth == 0 && o->in_target)
      wb_stream_done(s); /* the other tables are not needed */
    return;
  }
  if (!o->in_target || o->depth != 1)
    return;
  int is_row = strcmp(local, "table-row") == 0;
  int is_cell = strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0;
  if (o->stray > 0) {
    o->stray -= is_row || is_cell;
    return;
  }
  if (is_cell) {
    o->in_cell = 0;
    if (put_cell(s, o) < 0)
      XML_StopParser(s->parser, XML_FALSE);
    o->col += o->cols_repeated;
  } else if (strcmp(local, "annotation") == 0 && o->annotation) {
    o->annotation--;
  } else if (strcmp(local, "p") == 0) {
    o->in_p = 0;
  } else if (is_row) {
    o->in_row = 0;
    o->next_row += o->rows_repeated;
    if (wb_row_end(wb) < 0)
      XML_StopParser(s->parser, XML_FALSE);
    else if (wb->row_ready)
      wb->repeat = o->rows_repeated - 1;
  }
}

static void rows_text(void *data, const XML_Char *text, int len) {
  wb_stream *s = data;
  ods *o = s->ud;
  if (o->in_target && o->in_cell && o->in_p && !o->annotation && o->stray == 0)
    add_text(s, text, (size_t)len);
}

static int ods_select(releve_workbook *wb, size_t i) {
  ods *o = wb->fmt;
  o->target = i;
  o->table = o->depth = 0;
  o->in_target = o->in_row = o->in_cell = o->in_p = 0;
  o->annotation = o->stray = 0;
  o->next_row = 1;
  return wb_stream_open(wb, &wb->stream, "content.xml", o, rows_start, rows_end, rows_text);
}

const wb_format releve__workbook_ods = {ods_load, ods_select, ods_free};
