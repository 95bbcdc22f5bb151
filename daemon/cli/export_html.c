/* export_html.c -- the collection table as one self-contained page in
 * French (no script, no outside resource), one table per theme, for
 * reading on screen and printing. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"

typedef struct html_writer {
  export_writer w;
  releve_buf b;
  const releve_node *theme;     /* of the table being written */
  const releve_indicator *last; /* indicator of the previous row */
  int rc;
} html_writer;

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>relevé — tableau de collecte</title>\n<style>\n"
    "body{font-family:sans-serif;margin:2em;color:#222}\n"
    "table{border-collapse:collapse;margin-bottom:2em;font-size:.9em}\n"
    "th,td{border:1px solid #bbb;padding:.25em .5em;vertical-align:top}\n"
    "th{background:#eee;text-align:left}\n"
    "td.n{text-align:right;white-space:nowrap}\n"
    "tr.first td{border-top:2px solid #666}\n"
    "@media print{body{margin:0}h2{page-break-before:always}}\n"
    "</style>\n</head>\n<body>\n";

static void add(html_writer *h, const char *s) {
  if (h->rc == 0)
    h->rc = releve_buf_adds(&h->b, s);
}

/* Text of the référentiel or of a partner: escaped, never markup. */
static void add_text(html_writer *h, const char *s) {
  for (; *s && h->rc == 0; s++) {
    switch (*s) {
    case '<': add(h, "&lt;"); break;
    case '>': add(h, "&gt;"); break;
    case '&': add(h, "&amp;"); break;
    case '"': add(h, "&quot;"); break;
    default: h->rc = releve_buf_add(&h->b, s, 1);
    }
  }
}

static void cell(html_writer *h, const char *tag, const char *cls, const char *text) {
  add(h, "<");
  add(h, tag);
  if (cls) {
    add(h, " class=\"");
    add(h, cls);
    add(h, "\"");
  }
  add(h, ">");
  add_text(h, text);
  add(h, "</");
  add(h, tag);
  add(h, ">");
}

/* Columns shown in the page: the theme is the table's heading, the action
 * label and the target kind are left to the other formats. */
static const int shown[] = {1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14};
#define N_SHOWN (sizeof shown / sizeof shown[0])

static void start_table(html_writer *h, const releve_node *theme) {
  if (h->theme)
    add(h, "</tbody>\n</table>\n");
  h->theme = theme;
  add(h, "<h2>");
  add_text(h, theme->id);
  add(h, " — ");
  add_text(h, theme->name);
  add(h, "</h2>\n<table>\n<thead><tr>");
  for (size_t k = 0; k < N_SHOWN; k++)
    cell(h, "th", NULL, export_column_titles[shown[k]]);
  add(h, "</tr></thead>\n<tbody>\n");
}

static int html_row(export_writer *w, const export_row *r) {
  html_writer *h = (html_writer *)w;
  const char *fields[EXPORT_COLUMNS];
  char buf[3][32];
  int first = r->ind != h->last;

  export_row_texts(r, fields, buf);
  if (r->ind->theme != h->theme)
    start_table(h, r->ind->theme);
  add(h, first ? "<tr class=\"first\">" : "<tr>");
  for (size_t k = 0; k < N_SHOWN; k++) {
    int col = shown[k];
    /* The indicator's own columns once, on its first row. */
    if (col < 9 && !first)
      cell(h, "td", NULL, "");
    else
      cell(h, "td", col == 11 || col == 12 || col == 14 ? "n" : NULL, fields[col]);
  }
  add(h, "</tr>\n");
  h->last = r->ind;
  return h->rc;
}

static int html_finish(export_writer *w, releve_buf *out) {
  html_writer *h = (html_writer *)w;
  if (h->theme)
    add(h, "</tbody>\n</table>\n");
  add(h, "</body>\n</html>\n");
  if (h->rc)
    return h->rc;
  *out = h->b;
  h->b = (releve_buf)RELEVE_BUF_INIT;
  return 0;
}

static void html_free(export_writer *w) {
  html_writer *h = (html_writer *)w;
  releve_buf_free(&h->b);
  free(h);
}

export_writer *export_html_new(const char *title, int secrecy_threshold) {
  html_writer *h = calloc(1, sizeof *h);
  char when[64];
  time_t now = time(NULL);
  struct tm tm;

  if (h == NULL)
    return NULL;
  h->w.row = html_row;
  h->w.finish = html_finish;
  h->w.free = html_free;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%d/%m/%Y à %H:%M UTC", &tm);
  add(h, page_head);
  add(h, "<h1>");
  add_text(h, title ? title : "Contrat de ville");
  add(h, "</h1>\n<p>Tableau de collecte établi par relevé le ");
  add(h, when);
  add(h, ". Pour chaque indicateur et chaque territoire : la situation de départ (première "
         "période reçue), le résultat de mi-parcours (chiffres 2018) et le dernier résultat "
         "reçu. « secret » : valeur masquée");
  if (secrecy_threshold > 0)
    h->rc = h->rc ? h->rc
                  : releve_buf_addf(&h->b, " (effectif de 1 à %d, ou valeur qui permettrait "
                                           "de le retrouver, ou transmise comme secrète)",
                                    secrecy_threshold - 1);
  add(h, " ; « nd » : non disponible ; case vide : non reçue.</p>\n");
  if (h->rc) {
    html_free(&h->w);
    return NULL;
  }
  return &h->w;
}
