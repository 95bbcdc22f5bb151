/* export_html.c -- the evaluation table as one self-contained page in
 * French (no script, no outside resource): a summary, completeness bars
 * per theme and per actor, then per theme its table in the référentiel's
 * order and the chart of each indicator with two values or more. The
 * table has a fixed layout that wraps its texts, so that the page never
 * scrolls sideways at 1280 px and prints on A4 landscape with no column
 * cut (print CSS). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "export.h"
#include "export_svg.h"
#include "referentiel/geo.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/clock.h"

#define MAX_ROWS 64 /* of one indicator, as many as the geographies shown */

typedef struct html_writer {
  export_writer w;
  const export_context *ctx;
  releve_buf body, charts;
  const releve_node *theme, *objective, *sub_objective, *goal, *action;
  export_row *rows; /* of the current indicator, for its chart */
  size_t n_rows;
  int rc;
} html_writer;

static const char style[] =
    "<style>\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:'DejaVu Sans',sans-serif;margin:1.5em;color:#222;font-size:14px}\n"
    "h1{font-size:1.5em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:2px solid #1f5fa8}\n"
    "table{border-collapse:collapse;width:100%;table-layout:fixed;margin-bottom:1em;"
    "font-size:.85em}\n"
    "th,td{border:1px solid #bbb;padding:.2em .35em;vertical-align:top;"
    "overflow-wrap:anywhere;word-break:normal}\n"
    "th{background:#e8edf3;text-align:left}\n"
    "thead{display:table-header-group}\n"
    "td.n{text-align:right}\n"
    "td small{display:block;color:#666}\n"
    "tr.g td{background:#f4f4f4;font-weight:bold}\n"
    "tr.g1 td{background:#dfe7f1}tr.g4 td{background:#fafafa;font-weight:normal}\n"
    "tr.first td{border-top:2px solid #666}\n"
    ".m1{color:#1e7b45;font-weight:bold}.m2{color:#1f5fa8}.m3{color:#b03a2e;font-weight:bold}"
    ".m0{color:#777}\n"
    ".summary{display:flex;flex-wrap:wrap;gap:1em}\n"
    ".summary div{border:1px solid #bbb;padding:.5em 1em;min-width:12em}\n"
    ".summary b{display:block;font-size:1.4em}\n"
    "svg{width:100%;height:auto;font-size:13px}\n"
    "svg.bars{max-width:1000px}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:.8em}\n"
    ".chart{margin:0;border:1px solid #ddd;padding:.4em;break-inside:avoid}\n"
    ".chart figcaption{font-size:.8em;min-height:2.6em}\n"
    ".chart svg{font-size:10px}\n"
    ".chart polyline{fill:none;stroke-width:2}\n"
    ".chart .axis{stroke:#888}.chart .goal{stroke-dasharray:5 3;stroke-width:1.5}\n"
    ".chart .band{fill:#2e8b57;opacity:.15}.bandkey{color:#9fd3b4}\n"
    ".legend{font-size:.75em;margin:.2em 0 0}\n"
    "@page{size:A4 landscape;margin:10mm}\n"
    "@media print{body{margin:0;font-size:9pt}table{font-size:7.5pt}"
    "tr{break-inside:avoid}h2.theme{break-before:page}"
    ".charts{grid-template-columns:repeat(4,1fr)}}\n"
    "</style>\n";

/* The table's columns on the page and their widths (in %, 100 in all);
 * the other columns are in the CSV and the workbook. The share a count
 * carries is shown beside it, a later start under it. */
static const struct {
  int col;
  int width;
} shown[] = {{COL_INDICATOR, 7}, {COL_LABEL, 20}, {COL_ACTOR, 10},   {COL_TARGET, 15},
             {COL_GEOGRAPHY, 7}, {COL_START, 8},  {COL_MID, 8},      {COL_LAST, 8},
             {COL_PROGRESS, 9},  {COL_MARK, 8}};
#define N_SHOWN (sizeof shown / sizeof shown[0])

static void add(html_writer *h, const char *s) {
  if (h->rc == 0)
    h->rc = releve_buf_adds(&h->body, s);
}

static void add_text(html_writer *h, const char *s) {
  if (h->rc == 0)
    h->rc = export_add_escaped(&h->body, s);
}

static void flush_chart(html_writer *h) {
  if (h->n_rows && h->rc == 0)
    h->rc = export_svg_series(&h->charts, h->rows, h->n_rows);
  h->n_rows = 0;
}

static void end_theme(html_writer *h) {
  flush_chart(h);
  add(h, "</tbody>\n</table>\n");
  if (h->charts.len) {
    add(h, "<h3>Évolution des indicateurs ayant au moins deux valeurs</h3>\n"
           "<div class=\"charts\">\n");
    add(h, h->charts.data);
    add(h, "</div>\n");
  }
  releve_buf_free(&h->charts);
}

static void start_theme(html_writer *h, const releve_node *theme) {
  char title[96];
  if (h->theme)
    end_theme(h);
  h->theme = theme;
  add(h, "<h2 class=\"theme\">");
  add_text(h, theme->id);
  add(h, " — ");
  add_text(h, theme->name);
  add(h, "</h2>\n<table>\n<colgroup>");
  for (size_t k = 0; k < N_SHOWN && h->rc == 0; k++)
    h->rc = releve_buf_addf(&h->body, "<col style=\"width:%d%%\">", shown[k].width);
  add(h, "</colgroup>\n<thead><tr>");
  for (size_t k = 0; k < N_SHOWN; k++) {
    add(h, "<th>");
    add_text(h, export_column_title(h->ctx, shown[k].col, title));
    add(h, "</th>");
  }
  add(h, "</tr></thead>\n<tbody>\n");
}

/* A heading row of the tree: objective, sub-objective, goal, action. */
static void group_row(html_writer *h, int level, const releve_node *node,
                      const export_tally *done) {
  char pct[RELEVE_NUMBER_SIZE], given[RELEVE_NUMBER_SIZE], due[RELEVE_NUMBER_SIZE];
  if (h->rc == 0)
    h->rc = releve_buf_addf(&h->body, "<tr class=\"g g%d\"><td colspan=\"%zu\">", level, N_SHOWN);
  add_text(h, node->id);
  add(h, " — ");
  add_text(h, node->name);
  if (done && done->due && h->rc == 0)
    h->rc = releve_buf_addf(&h->body, " <small>complétude de l'action : %s/%s cellules (%s)</small>",
                            cli_count(done->given, given), cli_count(done->due, due),
                            export_percent_text((double)done->given / done->due, pct));
  add(h, "</td></tr>\n");
}

static void groups(html_writer *h, const export_row *r) {
  const releve_indicator *ind = r->ind;
  if (ind->objective != h->objective)
    group_row(h, 1, h->objective = ind->objective, NULL);
  if (ind->sub_objective != h->sub_objective)
    group_row(h, 2, h->sub_objective = ind->sub_objective, NULL);
  if (ind->goal != h->goal)
    group_row(h, 3, h->goal = ind->goal, NULL);
  if (ind->action != h->action)
    group_row(h, 4, h->action = ind->action, r->action);
}

/* A value, with the share its count carries: "82 (12,5 %)". */
static void value_text(html_writer *h, const export_row *r, int col) {
  export_cell v, share;
  char num[RELEVE_NUMBER_SIZE];
  export_row_cell(r, col, &v);
  export_row_cell(r, col + 1, &share); /* the share column follows the value's */
  if (v.kind == CELL_NUMBER)
    add(h, releve_report_format(v.number, -1, RELEVE_NUMBER_GROUPED, num));
  else if (v.kind == CELL_TEXT)
    add_text(h, v.text);
  if (share.kind == CELL_PERCENT) {
    add(h, " (");
    add(h, export_percent_text(share.number, num));
    add(h, ")");
  }
}

/* What the row's geography name adds to its code for a quartier or an
 * arrondissement ("Goutte d'Or (liste QPV 2015)"), NULL when nothing. */
static const char *place_name(const export_row *r) {
  size_t n = strlen(r->geography);
  releve_geo_kind k = releve_geo_classify(r->geography);
  if ((k != RELEVE_GEO_QUARTIER && k != RELEVE_GEO_ARRONDISSEMENT) ||
      strncmp(r->geography_name, r->geography, n) != 0 || r->geography_name[n] != ' ')
    return NULL;
  return r->geography_name + n + 1;
}

static void cell(html_writer *h, const export_row *r, int col, int first) {
  export_cell c;
  char num[RELEVE_NUMBER_SIZE];
  int numeric = col == COL_START || col == COL_MID || col == COL_LAST || col == COL_PROGRESS;

  add(h, numeric ? "<td class=\"n\">" : "<td>");
  if (col <= COL_TARGET_KIND && !first) {
    /* The indicator's own columns once, on its first row. */
  } else if (col == COL_START || col == COL_MID || col == COL_LAST) {
    value_text(h, r, col);
    if (col == COL_START && r->start_fallback) {
      /* The whole note is in the CSV and the workbook. */
      add(h, "<small>en ");
      add_text(h, r->start_period);
      if (h->rc == 0)
        h->rc = releve_buf_addf(&h->body, " (%d non reçu)</small>", h->ctx->points[0]);
    } else if (col == COL_LAST && r->last_period[0]) {
      add(h, "<small>");
      add_text(h, r->last_period);
      add(h, "</small>");
    }
  } else if (col == COL_MARK) {
    export_row_cell(r, col, &c);
    if (c.kind == CELL_TEXT && h->rc == 0)
      h->rc = releve_buf_addf(&h->body, "<span class=\"m%d\">%s</span>", (int)r->progress.mark,
                              c.text);
  } else if (col == COL_ACTOR) {
    add_text(h, r->actor_name);
  } else if (col == COL_GEOGRAPHY && place_name(r)) {
    /* A quartier under its code, with its name and list: "QP075012",
     * then "Goutte d'Or (liste QPV 2015)". */
    add_text(h, r->geography);
    add(h, "<br><small>");
    add_text(h, place_name(r));
    add(h, "</small>");
  } else {
    export_row_cell(r, col, &c);
    if (c.kind == CELL_TEXT)
      add_text(h, c.text);
    else if (c.kind == CELL_NUMBER)
      add(h, releve_report_format(c.number, -1, RELEVE_NUMBER_GROUPED, num));
    else if (c.kind == CELL_PERCENT)
      add(h, export_percent_text(c.number, num));
  }
  add(h, "</td>");
}

static int html_row(export_writer *w, const export_row *r) {
  html_writer *h = (html_writer *)w;
  int first = h->n_rows == 0 || h->rows[0].ind != r->ind;

  if (first)
    flush_chart(h);
  if (r->ind->theme != h->theme)
    start_theme(h, r->ind->theme);
  groups(h, r);
  add(h, first ? "<tr class=\"first\">" : "<tr>");
  for (size_t k = 0; k < N_SHOWN; k++)
    cell(h, r, shown[k].col, first);
  add(h, "</tr>\n");
  if (h->n_rows < MAX_ROWS)
    h->rows[h->n_rows++] = *r;
  return h->rc;
}

/* The page's top: title, how to read it, the summary and the bars. */
static int page_top(const html_writer *h, releve_buf *b) {
  const export_context *ctx = h->ctx;
  const releve_config *cfg = ctx->cfg;
  const char **labels = calloc(cfg->n_actors + cfg->ref.n_themes + 1, sizeof *labels);
  char (*names)[128] = calloc(cfg->n_actors + 1, sizeof *names);
  int measured = ctx->marks[1] + ctx->marks[2] + ctx->marks[3];
  char when[64], pct[RELEVE_NUMBER_SIZE], n1[RELEVE_NUMBER_SIZE], n2[RELEVE_NUMBER_SIZE],
      n3[RELEVE_NUMBER_SIZE], n4[RELEVE_NUMBER_SIZE], n5[RELEVE_NUMBER_SIZE],
      n6[RELEVE_NUMBER_SIZE];
  int rc = 0;

  if (labels == NULL || names == NULL) {
    free(labels);
    free(names);
    return -ENOMEM;
  }
  releve_clock_paris_text(time(NULL), when);
  rc = releve_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width\">\n"
                          "<title>relevé — tableau d'évaluation</title>\n");
  rc = rc ? rc : releve_buf_adds(b, style);
  rc = rc ? rc : releve_buf_adds(b, "</head>\n<body>\n<h1>");
  rc = rc ? rc : export_add_escaped(b, cfg->ref.title ? cfg->ref.title : "Contrat de ville");
  rc = rc ? rc
          : releve_buf_addf(
                b,
                "</h1>\n<p>Tableau d'évaluation établi par relevé le %s. Pour chaque indicateur "
                "et chaque territoire : l'objectif 2020, la situation au début du contrat (%d ; "
                "à défaut la première année reçue, signalée), le résultat à mi-parcours (%d), le "
                "dernier résultat reçu jusqu'à %d et la progression vers l'objectif quand il est "
                "chiffré. «\u00a0secret\u00a0» : valeur masquée",
                when, ctx->points[0], ctx->points[1], ctx->points[2]);
  if (rc == 0 && cfg->secrecy_threshold > 0)
    rc = releve_buf_addf(b, " (effectif de personnes ou de ménages de 1 à %d, ou valeur qui "
                            "permettrait de le retrouver, ou transmise comme secrète)",
                         cfg->secrecy_threshold - 1);
  rc = rc ? rc : releve_buf_adds(b, " ; «\u00a0nd\u00a0» : non disponible ; case vide : non reçue.</p>\n");
  rc = rc ? rc
          : releve_buf_addf(
                b,
                "<div class=\"summary\">\n<div>Cellules dues<b>%s</b></div>\n"
                "<div>Cellules reçues<b>%s</b>%s</div>\n",
                cli_count(ctx->total.due, n1), cli_count(ctx->total.given, n2),
                ctx->total.due ? export_percent_text((double)ctx->total.given / ctx->total.due, pct)
                               : "");
  rc = rc ? rc
          : releve_buf_addf(b,
                            "<div>Objectifs chiffrés mesurés<b>%s</b>sur %s lignes "
                            "indicateur × territoire</div>\n"
                            "<div>Atteints<b class=\"m1\">%s</b></div>\n"
                            "<div>En progrès<b class=\"m2\">%s</b></div>\n"
                            "<div>En recul<b class=\"m3\">%s</b></div>\n"
                            "<div>Non mesurables<b class=\"m0\">%s</b></div>\n</div>\n",
                            cli_count(measured, n1), cli_count(measured + ctx->marks[0], n2),
                            cli_count(ctx->marks[1], n3), cli_count(ctx->marks[2], n4),
                            cli_count(ctx->marks[3], n5), cli_count(ctx->marks[0], n6));
  rc = rc ? rc : releve_buf_adds(b, "<h2>Complétude par thème</h2>\n");
  for (size_t i = 0; i < cfg->ref.n_themes; i++)
    labels[i] = cfg->ref.nodes[i].name;
  rc = rc ? rc
          : export_svg_bars(b, "Complétude par thème", labels, ctx->nodes, cfg->ref.n_themes);
  for (size_t i = 0; i < cfg->n_actors; i++) {
    const releve_ref_actor *ra = releve_referentiel_actor(&cfg->ref, cfg->actors[i].id);
    export_short_name(ra ? ra->name : cfg->actors[i].id, names[i]);
    labels[i] = names[i];
  }
  rc = rc ? rc : releve_buf_adds(b, "<h2>Complétude par acteur</h2>\n");
  rc = rc ? rc : export_svg_bars(b, "Complétude par acteur", labels, ctx->actors, cfg->n_actors);
  free(labels);
  free(names);
  return rc;
}

static int html_finish(export_writer *w, releve_buf *out) {
  html_writer *h = (html_writer *)w;
  releve_buf page = RELEVE_BUF_INIT;
  int rc;

  if (h->theme)
    end_theme(h);
  add(h, "</body>\n</html>\n");
  if (h->rc)
    return h->rc;
  rc = page_top(h, &page);
  rc = rc ? rc : releve_buf_add(&page, h->body.data, h->body.len);
  if (rc) {
    releve_buf_free(&page);
    return rc;
  }
  *out = page;
  return 0;
}

static void html_free(export_writer *w) {
  html_writer *h = (html_writer *)w;
  releve_buf_free(&h->body);
  releve_buf_free(&h->charts);
  free(h->rows);
  free(h);
}

export_writer *export_html_new(const export_context *ctx) {
  html_writer *h = calloc(1, sizeof *h);
  if (h == NULL)
    return NULL;
  h->ctx = ctx;
  h->w.row = html_row;
  h->w.finish = html_finish;
  h->w.free = html_free;
  if ((h->rows = calloc(MAX_ROWS, sizeof *h->rows)) == NULL) {
    html_free(&h->w);
    return NULL;
  }
  return &h->w;
}
