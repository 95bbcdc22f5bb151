/* workbook_xlsx.c -- Office Open XML workbooks (.xlsx): the sheet list, the
 * date system, the styles that make a number a date or a percentage, the
 * shared strings, then one sheet's rows (ECMA-376 part 1, §18). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/workbook_int.h"
#include "util/buf.h"
#include "util/str.h"

typedef struct xlsx {
  char **rid;             /* relationship id of each sheet */
  char **path;            /* its part, resolved */
  char *strings_part, *styles_part;
  /* custom number formats: id and kind */
  unsigned *fmt_id;
  unsigned char *fmt_kind;
  size_t nfmt;
  unsigned char *style;   /* WB_STYLE_* of each cellXfs entry */
  size_t nstyle;
  int in_cellxfs;
  /* shared strings */
  releve_buf ss;
  size_t *ss_at;
  size_t nss, ss_cap;
  int in_si, in_t, in_rph;
  /* the sheet */
  unsigned long next_row;
  unsigned next_col, col;
  char type[16];
  unsigned style_of_cell;
  int in_v, in_is, has_f, has_v, in_cell, in_row;
  unsigned stray; /* rows and cells open inside a row or cell, passed over */
} xlsx;

/* ---- workbook.xml and its relationships --------------------------------- */

static void wb_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  const char *local = wb_local(name);
  if (strcmp(local, "workbookPr") == 0) {
    const char *v = wb_attr(attrs, "date1904");
    s->wb->date1904 = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
  } else if (strcmp(local, "sheet") == 0) {
    const char *sheet = wb_attr(attrs, "name"), *rid = wb_attr(attrs, "id");
    if (sheet == NULL || rid == NULL) {
      wb_fail(s->wb, -EBADMSG, 0, 0, "xl/workbook.xml : feuille sans nom ni relation");
      XML_StopParser(s->parser, XML_FALSE);
      return;
    }
    size_t n = s->wb->nsheets;
    char **v = realloc(x->rid, (n + 1) * sizeof *v);
    if (v != NULL)
      x->rid = v;
    if (v == NULL || wb_add_sheet(s->wb, sheet) < 0 || (x->rid[n] = strdup(rid)) == NULL) {
      wb_fail(s->wb, -ENOMEM, 0, 0, "mémoire insuffisante");
      XML_StopParser(s->parser, XML_FALSE);
    }
  }
}

/* A relationship target, relative to xl/ unless absolute. */
static char *resolve(const char *target) {
  if (target[0] == '/')
    return strdup(target + 1);
  return releve_str_printf("xl/%s", target);
}

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && strcmp(s + n - m, tail) == 0;
}

static void rels_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  if (strcmp(wb_local(name), "Relationship") != 0)
    return;
  const char *id = wb_attr(attrs, "Id"), *type = wb_attr(attrs, "Type"),
             *target = wb_attr(attrs, "Target");
  if (id == NULL || type == NULL || target == NULL)
    return;
  char **slot = NULL;
  if (ends_with(type, "/sharedStrings"))
    slot = &x->strings_part;
  else if (ends_with(type, "/styles"))
    slot = &x->styles_part;
  else
    for (size_t i = 0; i < s->wb->nsheets; i++)
      if (strcmp(x->rid[i], id) == 0)
        slot = &x->path[i];
  if (slot == NULL || *slot != NULL)
    return;
  if ((*slot = resolve(target)) == NULL) {
    wb_fail(s->wb, -ENOMEM, 0, 0, "mémoire insuffisante");
    XML_StopParser(s->parser, XML_FALSE);
  }
}

/* ---- styles.xml ---------------------------------------------------------- */

/* What a format code shows: a date when it has d, m, y, h or s outside
 * quotes, brackets and escapes; a percentage when it has '%'. */
static unsigned char code_kind(const char *code) {
  int date = 0, percent = 0;
  for (const char *p = code; *p; p++) {
    if (*p == '"') {
      while (p[1] && p[1] != '"')
        p++;
      if (p[1])
        p++;
    } else if (*p == '[') {
      while (p[1] && p[1] != ']')
        p++;
    } else if (*p == '\\' && p[1]) {
      p++;
    } else if (*p == '%') {
      percent = 1;
    } else if (strchr("dmyhsDMYHS", *p)) {
      date = 1;
    }
  }
  return date ? WB_STYLE_DATE : percent ? WB_STYLE_PERCENT : WB_STYLE_PLAIN;
}

/* The built-in formats of ECMA-376 §18.8.30 (and the East Asian dates). */
static unsigned char builtin_kind(unsigned id) {
  if (id == 9 || id == 10)
    return WB_STYLE_PERCENT;
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58))
    return WB_STYLE_DATE;
  return WB_STYLE_PLAIN;
}

static void styles_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  const char *local = wb_local(name);
  if (strcmp(local, "numFmt") == 0) {
    const char *id = wb_attr(attrs, "numFmtId"), *code = wb_attr(attrs, "formatCode");
    if (id == NULL || code == NULL || x->nfmt >= 4096)
      return;
    unsigned *ids = realloc(x->fmt_id, (x->nfmt + 1) * sizeof *ids);
    if (ids != NULL)
      x->fmt_id = ids;
    unsigned char *kinds = ids ? realloc(x->fmt_kind, x->nfmt + 1) : NULL;
    if (kinds == NULL) {
      wb_fail(s->wb, -ENOMEM, 0, 0, "mémoire insuffisante");
      XML_StopParser(s->parser, XML_FALSE);
      return;
    }
    x->fmt_kind = kinds;
    x->fmt_id[x->nfmt] = (unsigned)strtoul(id, NULL, 10);
    x->fmt_kind[x->nfmt++] = code_kind(code);
  } else if (strcmp(local, "cellXfs") == 0) {
    x->in_cellxfs = 1;
  } else if (strcmp(local, "xf") == 0 && x->in_cellxfs && x->nstyle < 65536) {
    const char *id = wb_attr(attrs, "numFmtId");
    unsigned fmt = id ? (unsigned)strtoul(id, NULL, 10) : 0;
    unsigned char kind = builtin_kind(fmt);
    for (size_t i = 0; i < x->nfmt; i++)
      if (x->fmt_id[i] == fmt)
        kind = x->fmt_kind[i];
    unsigned char *v = realloc(x->style, x->nstyle + 1);
    if (v == NULL) {
      wb_fail(s->wb, -ENOMEM, 0, 0, "mémoire insuffisante");
      XML_StopParser(s->parser, XML_FALSE);
      return;
    }
    x->style = v;
    x->style[x->nstyle++] = kind;
  }
}

static void styles_end(void *data, const XML_Char *name) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  if (strcmp(wb_local(name), "cellXfs") == 0)
    x->in_cellxfs = 0;
}

/* ---- sharedStrings.xml -------------------------------------------------- */

static void ss_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  (void)attrs;
  wb_stream *s = data;
  xlsx *x = s->ud;
  const char *local = wb_local(name);
  if (strcmp(local, "si") == 0) {
    if (x->nss >= RELEVE_WORKBOOK_MAX_STRINGS) {
      wb_fail(s->wb, -EFBIG, 0, 0,
              "plus de %u textes distincts dans le classeur : au-delà de la limite, il n'est "
              "pas lu ; envoyez la feuille au format CSV",
              RELEVE_WORKBOOK_MAX_STRINGS);
      XML_StopParser(s->parser, XML_FALSE);
      return;
    }
    if (x->nss == x->ss_cap) {
      size_t cap = x->ss_cap ? x->ss_cap * 2 : 256;
      size_t *v = realloc(x->ss_at, cap * sizeof *v);
      if (v == NULL) {
        wb_fail(s->wb, -ENOMEM, 0, 0, "mémoire insuffisante");
        XML_StopParser(s->parser, XML_FALSE);
        return;
      }
      x->ss_at = v;
      x->ss_cap = cap;
    }
    x->ss_at[x->nss] = x->ss.len;
    x->in_si = 1;
  } else if (strcmp(local, "rPh") == 0) {
    x->in_rph = 1; /* phonetic reading: not part of the text */
  } else if (strcmp(local, "t") == 0 && x->in_si && !x->in_rph) {
    x->in_t = 1;
  }
}

static void ss_end(void *data, const XML_Char *name) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  const char *local = wb_local(name);
  if (strcmp(local, "si") == 0 && x->in_si) {
    x->in_si = 0;
    if (releve_buf_add(&x->ss, "", 1) < 0) {
      wb_fail(s->wb, -ENOMEM, 0, 0, "mémoire insuffisante");
      XML_StopParser(s->parser, XML_FALSE);
      return;
    }
    x->nss++;
  } else if (strcmp(local, "rPh") == 0) {
    x->in_rph = 0;
  } else if (strcmp(local, "t") == 0) {
    x->in_t = 0;
  }
}

static void ss_text(void *data, const XML_Char *text, int len) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  if (!x->in_t)
    return;
  if (x->ss.len + (size_t)len > RELEVE_WORKBOOK_MAX_STRING_BYTES) {
    wb_fail(s->wb, -EFBIG, 0, 0,
            "textes du classeur de plus de %u Mo : au-delà de la limite, il n'est pas lu",
            RELEVE_WORKBOOK_MAX_STRING_BYTES >> 20);
    XML_StopParser(s->parser, XML_FALSE);
  } else if (releve_buf_add(&x->ss, text, (size_t)len) < 0) {
    wb_fail(s->wb, -ENOMEM, 0, 0, "mémoire insuffisante");
    XML_StopParser(s->parser, XML_FALSE);
  }
}

/* ---- loading ------------------------------------------------------------ */

static int xlsx_load(releve_workbook *wb) {
  xlsx *x = calloc(1, sizeof *x);
  if (x == NULL)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  wb->fmt = x;
  int rc = wb_parse_part(wb, "xl/workbook.xml", x, wb_start, NULL, NULL);
  if (rc < 0)
    return rc;
  if (wb->nsheets == 0)
    return 0;
  if ((x->path = calloc(wb->nsheets, sizeof *x->path)) == NULL)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  rc = wb_parse_part(wb, "xl/_rels/workbook.xml.rels", x, rels_start, NULL, NULL);
  if (rc < 0)
    return rc;
  rc = wb_parse_part(wb, x->styles_part ? x->styles_part : "xl/styles.xml", x, styles_start,
                     styles_end, NULL);
  if (rc < 0)
    return rc;
  rc = wb_parse_part(wb, x->strings_part ? x->strings_part : "xl/sharedStrings.xml", x, ss_start,
                     ss_end, ss_text);
  return rc < 0 ? rc : 0;
}

static void xlsx_free(releve_workbook *wb) {
  xlsx *x = wb->fmt;
  if (x == NULL)
    return;
  for (size_t i = 0; i < wb->nsheets; i++) {
    if (x->rid)
      free(x->rid[i]);
    if (x->path)
      free(x->path[i]);
  }
  free(x->rid);
  free(x->path);
  free(x->strings_part);
  free(x->styles_part);
  free(x->fmt_id);
  free(x->fmt_kind);
  free(x->style);
  releve_buf_free(&x->ss);
  free(x->ss_at);
  free(x);
  wb->fmt = NULL;
}

/* ---- a sheet ------------------------------------------------------------ */

static void merge_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  wb_stream *s = data;
  if (strcmp(wb_local(name), "mergeCell") != 0)
    return;
  const char *ref = wb_attr(attrs, "ref");
  char a[24], b[24];
  const char *colon = ref ? strchr(ref, ':') : NULL;
  if (colon == NULL || (size_t)(colon - ref) >= sizeof a || strlen(colon + 1) >= sizeof b)
    return;
  memcpy(a, ref, (size_t)(colon - ref));
  a[colon - ref] = '\0';
  strcpy(b, colon + 1);
  unsigned c1, c2;
  unsigned long r1, r2;
  if (wb_parse_ref(a, &c1, &r1) == 0 && wb_parse_ref(b, &c2, &r2) == 0 &&
      wb_merge_add(s->wb, r1, c1, r2, c2) < 0)
    XML_StopParser(s->parser, XML_FALSE);
}

static void cell_done(wb_stream *s, xlsx *x) {
  releve_workbook *wb = s->wb;
  const char *v = wb->cell.data ? wb->cell.data : "";
  size_t len = wb->cell.len;
  char text[64], ref[24];
  int rc = 0;
  if (x->has_f && (!x->has_v || (len == 0 && strcmp(x->type, "str") != 0))) {
    wb_fail(wb, 0, wb->row, x->col,
            "formule sans valeur calculée (cellule %s) : ouvrez le classeur dans Excel ou "
            "LibreOffice et enregistrez-le, pour que la valeur y soit écrite",
            releve_report_cell_ref(x->col, wb->row, ref));
    return;
  }
  if (!x->has_v && strcmp(x->type, "inlineStr") != 0)
    return;
  if (strcmp(x->type, "s") == 0) {
    char *end;
    unsigned long i = strtoul(v, &end, 10);
    if (*v == '\0' || *end != '\0' || i >= x->nss) {
      wb_fail(wb, 0, wb->row, x->col,
              "cellule %s : renvoi vers le texte partagé n° %s, absent du classeur (abîmé ?)",
              releve_report_cell_ref(x->col, wb->row, ref), v);
      return;
    }
    const char *t = x->ss.data + x->ss_at[i];
    rc = wb_row_cell(wb, x->col, RELEVE_CELL_TEXT, 0, t, strlen(t));
  } else if (strcmp(x->type, "b") == 0) {
    const char *t = strcmp(v, "1") == 0 ? "VRAI" : "FAUX";
    rc = wb_row_cell(wb, x->col, RELEVE_CELL_TEXT, 0, t, strlen(t));
  } else if (strcmp(x->type, "n") == 0 || x->type[0] == '\0') {
    char *end;
    double d = strtod(v, &end);
    unsigned char kind = x->style_of_cell < x->nstyle ? x->style[x->style_of_cell] : 0;
    if (len == 0)
      return;
    if (*end != '\0') {
      rc = wb_row_cell(wb, x->col, RELEVE_CELL_TEXT, 0, v, len);
    } else if (kind == WB_STYLE_DATE && wb_serial_date(d, wb->date1904, text) == 0) {
      rc = wb_row_cell(wb, x->col, RELEVE_CELL_TEXT, 0, text, strlen(text));
    } else {
      if (kind == WB_STYLE_PERCENT) {
        d *= 100; /* 93,20 % is stored as 0.932; the référentiel counts 93.2 */
        snprintf(text, sizeof text, "%.15g", d);
        d = strtod(text, NULL);
      }
      wb_number_text(d, text);
      rc = wb_row_cell(wb, x->col, RELEVE_CELL_NUMBER, d, text, strlen(text));
    }
  } else if (len > 0) { /* str, inlineStr, e, d: the text as written */
    rc = wb_row_cell(wb, x->col, RELEVE_CELL_TEXT, 0, v, len);
  }
  if (rc < 0)
    XML_StopParser(s->parser, XML_FALSE);
}

static void sheet_start(void *data, const XML_Char *name, const XML_Char **attrs) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  releve_workbook *wb = s->wb;
  const char *local = wb_local(name);
  int is_row = strcmp(local, "row") == 0, is_cell = strcmp(local, "c") == 0;
  /* A row inside a row, or a cell inside a cell or outside any row, is not
   * SpreadsheetML; read as such it would end the enclosing row twice and
   * give a row number again. Its whole content is passed over instead. */
  if (x->stray > 0 || (is_row && x->in_row) || (is_cell && (x->in_cell || !x->in_row))) {
    x->stray += is_row || is_cell;
    return;
  }
  if (is_row) {
    const char *r = wb_attr(attrs, "r");
    unsigned long n = r ? strtoul(r, NULL, 10) : 0;
    if (n == 0 || n < x->next_row)
      n = x->next_row;
    wb_row_begin(wb, n);
    x->next_row = n + 1;
    x->next_col = 1;
    x->in_row = 1;
  } else if (is_cell) {
    const char *r = wb_attr(attrs, "r"), *t = wb_attr(attrs, "t"), *st = wb_attr(attrs, "s");
    unsigned col;
    unsigned long row;
    x->col = r != NULL && wb_parse_ref(r, &col, &row) == 0 ? col : x->next_col;
    x->next_col = x->col + 1;
    snprintf(x->type, sizeof x->type, "%s", t ? t : "");
    x->style_of_cell = st ? (unsigned)strtoul(st, NULL, 10) : 0;
    x->has_f = x->has_v = x->in_v = x->in_is = x->in_t = 0;
    x->in_cell = 1;
    x->in_rph = 0;
    wb->cell.len = 0;
    if (wb->cell.data)
      wb->cell.data[0] = '\0';
  } else if (!x->in_cell) {
    return;
  } else if (strcmp(local, "v") == 0) {
    x->in_v = x->has_v = 1;
  } else if (strcmp(local, "f") == 0) {
    x->has_f = 1;
  } else if (strcmp(local, "is") == 0) {
    x->in_is = 1;
  } else if (strcmp(local, "rPh") == 0) {
    x->in_rph = 1;
  } else if (strcmp(local, "t") == 0) {
    x->in_t = x->in_is;
  }
}

static void sheet_end(void *data, const XML_Char *name) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  const char *local = wb_local(name);
  int is_row = strcmp(local, "row") == 0, is_cell = strcmp(local, "c") == 0;
  if (x->stray > 0) {
    x->stray -= is_row || is_cell;
    return;
  }
  if (is_cell) {
    x->in_cell = 0;
    cell_done(s, x);
  } else if (strcmp(local, "v") == 0) {
    x->in_v = 0;
  } else if (strcmp(local, "is") == 0) {
    x->in_is = 0;
  } else if (strcmp(local, "rPh") == 0) {
    x->in_rph = 0;
  } else if (strcmp(local, "t") == 0) {
    x->in_t = 0;
  } else if (is_row) {
    x->in_row = 0;
    if (wb_row_end(s->wb) < 0)
      XML_StopParser(s->parser, XML_FALSE);
  } else if (strcmp(local, "sheetData") == 0) {
    wb_stream_done(s); /* what follows (merged ranges) was read beforehand */
  }
}

static void sheet_text(void *data, const XML_Char *text, int len) {
  wb_stream *s = data;
  xlsx *x = s->ud;
  if (x->stray == 0 && (x->in_v || (x->in_t && !x->in_rph)))
    wb_cell_text(s, x->col, text, (size_t)len);
}

static int xlsx_select(releve_workbook *wb, size_t i) {
  xlsx *x = wb->fmt;
  const char *part = x->path[i];
  if (part == NULL)
    return 0;
  /* Merged ranges follow the rows in the part: read them first. */
  int rc = wb->heads_only ? 1 : wb_parse_part(wb, part, x, merge_start, NULL, NULL);
  if (rc <= 0)
    return rc;
  x->next_row = 1;
  x->in_cell = x->in_row = 0;
  x->stray = 0;
  return wb_stream_open(wb, &wb->stream, part, x, sheet_start, sheet_end, sheet_text);
}

const wb_format releve__workbook_xlsx = {xlsx_load, xlsx_select, xlsx_free};
