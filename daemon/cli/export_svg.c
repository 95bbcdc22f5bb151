/* export_svg.c -- the HTML export's charts, drawn as inline SVG (no
 * script, no outside resource): completeness bars, and an indicator's
 * values over the years against its target. */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "export_svg.h"
#include "report/report.h"
#include "util/buf.h"

/* Colours of the territories' lines, then of the marks. */
static const char *const palette[] = {"#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910"};
#define N_COLOURS (sizeof palette / sizeof palette[0])

int export_add_escaped(releve_buf *b, const char *s) {
  int rc = 0;
  for (; *s && rc == 0; s++) {
    switch (*s) {
    case '<': rc = releve_buf_adds(b, "&lt;"); break;
    case '>': rc = releve_buf_adds(b, "&gt;"); break;
    case '&': rc = releve_buf_adds(b, "&amp;"); break;
    case '"': rc = releve_buf_adds(b, "&quot;"); break;
    case '\'': rc = releve_buf_adds(b, "&#39;"); break;
    default: rc = releve_buf_add(b, s, 1);
    }
  }
  return rc;
}

/* At most max characters of s (UTF-8), "…" when cut. */
static int add_cut(releve_buf *b, const char *s, size_t max) {
  size_t n = 0, chars = 0;
  char part[512];
  while (s[n] && n + 4 < sizeof part) {
    if (((unsigned char)s[n] & 0xc0) != 0x80 && chars++ == max)
      break;
    n++;
  }
  memcpy(part, s, n);
  part[n] = '\0';
  return export_add_escaped(b, part) || (s[n] ? releve_buf_adds(b, "…") : 0);
}

int export_svg_bars(releve_buf *b, const char *title, const char *const *labels,
                    const export_tally *tallies, size_t n) {
  const double label_w = 430, bar_w = 470, line = 24;
  char pct[RELEVE_NUMBER_SIZE], given[RELEVE_NUMBER_SIZE], due[RELEVE_NUMBER_SIZE];
  size_t i, shown = 0;
  int rc;

  for (i = 0; i < n; i++)
    shown += tallies[i].due > 0;
  rc = releve_buf_addf(b,
                       "<svg class=\"bars\" viewBox=\"0 0 1000 %.0f\" role=\"img\" "
                       "aria-label=\"",
                       shown * line + 8);
  rc = rc ? rc : export_add_escaped(b, title);
  rc = rc ? rc : releve_buf_adds(b, "\">\n");
  shown = 0;
  for (i = 0; i < n && rc == 0; i++) {
    const export_tally *t = &tallies[i];
    double y = shown * line + 4, f;
    if (t->due == 0)
      continue;
    shown++;
    f = (double)t->given / t->due;
    rc = releve_buf_addf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", label_w - 8,
                         y + 16);
    rc = rc ? rc : add_cut(b, labels[i], 52);
    rc = rc ? rc
            : releve_buf_addf(b,
                              "</text><rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"18\" "
                              "fill=\"#e4e4e4\"/><rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" "
                              "height=\"18\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\">%s "
                              "(%s/%s)</text>\n",
                              label_w, y + 2, bar_w, label_w, y + 2, bar_w * f,
                              f >= 1 ? "#2e8b57" : "#1f5fa8", label_w + bar_w + 6, y + 16,
                              export_percent_text(f, pct),
                              cli_count(t->given, given), cli_count(t->due, due));
  }
  return rc ? rc : releve_buf_adds(b, "</svg>\n");
}

/* The figure a row's chart draws for year k: the share the target speaks
 * of, or the value. */
static int point(const export_row *r, size_t k, double *out) {
  const export_value *v = &r->series[k];
  if (releve_progress_uses_share(r->ind)) {
    *out = v->share;
    return v->share_kind == EXPORT_NUMBER;
  }
  *out = v->number;
  return v->kind == EXPORT_NUMBER;
}

static size_t points_of(const export_row *r) {
  size_t k, n = 0;
  double v;
  for (k = 0; k < r->n_years; k++)
    n += (size_t)point(r, k, &v);
  return n;
}

/* A round top for the axis: 1, 2 or 5 times a power of ten. */
static double axis_top(double max) {
  double p, steps[] = {1, 2, 5, 10};
  if (max <= 0)
    return 1;
  p = pow(10, floor(log10(max)));
  for (int i = 0; i < 4; i++)
    if (steps[i] * p >= max)
      return steps[i] * p;
  return 10 * p;
}

int export_svg_series(releve_buf *b, const export_row *rows, size_t n) {
  const double left = 56, right = 310, top = 12, bottom = 150;
  const releve_target *t = &rows[0].ind->target;
  int y0 = 0, y1 = 0, rc = 0, drawn = 0, goal = 0;
  double max = 0, v, top_value;
  char num[RELEVE_NUMBER_SIZE];
  size_t i, k;

  for (i = 0; i < n; i++) {
    if (points_of(&rows[i]) < 2)
      continue;
    drawn++;
    for (k = 0; k < rows[i].n_years; k++) {
      if (!point(&rows[i], k, &v))
        continue;
      if (y0 == 0 || rows[i].years[k] < y0)
        y0 = rows[i].years[k];
      if (rows[i].years[k] > y1)
        y1 = rows[i].years[k];
      if (v > max)
        max = v;
    }
    goal |= rows[i].progress.has_goal;
    if (rows[i].progress.has_goal && rows[i].progress.goal > max)
      max = rows[i].progress.goal;
  }
  if (drawn == 0)
    return 0;
  if (t->kind == RELEVE_TARGET_RANGE && t->max > max)
    max = t->max;
  top_value = axis_top(max);
#define X(year) (left + (right - left) * ((year) - y0) / (y1 > y0 ? y1 - y0 : 1))
#define Y(value) (bottom - (bottom - top) * (value) / top_value)
  rc = releve_buf_adds(b, "<figure class=\"chart\"><figcaption><b>");
  rc = rc ? rc : export_add_escaped(b, rows[0].ind->id);
  rc = rc ? rc : releve_buf_adds(b, "</b> ");
  rc = rc ? rc : add_cut(b, rows[0].ind->label, 110);
  rc = rc ? rc : releve_buf_addf(b, "</figcaption>\n<svg viewBox=\"0 0 320 176\" role=\"img\">"
                                    "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
                                    "class=\"axis\"/>",
                                 left, bottom, right, bottom);
  /* The value axis: 0, half, top. */
  for (k = 0; k <= 2 && rc == 0; k++)
    rc = releve_buf_addf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>",
                         left - 4, Y(top_value * k / 2) + 4,
                         releve_report_format(top_value * k / 2, -1, RELEVE_NUMBER_GROUPED, num));
  for (int year = y0; year <= y1 && rc == 0; year++)
    if (y1 - y0 < 8 || (year - y0) % 2 == 0)
      rc = releve_buf_addf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%d</text>",
                           X(year), bottom + 16, year);
  if (rc == 0 && t->kind == RELEVE_TARGET_RANGE)
    rc = releve_buf_addf(b, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" "
                            "class=\"band\"/>",
                         left, Y(t->max), right - left, Y(t->min) - Y(t->max));
  drawn = 0;
  for (i = 0; i < n && rc == 0; i++) {
    const export_row *r = &rows[i];
    const char *colour;
    if (points_of(r) < 2 || (size_t)drawn == N_COLOURS)
      continue;
    colour = palette[drawn++];
    if (r->progress.has_goal && t->kind != RELEVE_TARGET_RANGE)
      rc = releve_buf_addf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
                              "stroke=\"%s\" class=\"goal\"/>",
                           left, Y(r->progress.goal), right, Y(r->progress.goal), colour);
    rc = rc ? rc : releve_buf_addf(b, "<polyline stroke=\"%s\" points=\"", colour);
    for (k = 0; k < r->n_years && rc == 0; k++)
      if (point(r, k, &v))
        rc = releve_buf_addf(b, "%.1f,%.1f ", X(r->years[k]), Y(v));
    rc = rc ? rc : releve_buf_adds(b, "\"/>");
    for (k = 0; k < r->n_years && rc == 0; k++)
      if (point(r, k, &v))
        rc = releve_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                             X(r->years[k]), Y(v), colour);
  }
#undef X
#undef Y
  rc = rc ? rc : releve_buf_adds(b, "</svg>\n<p class=\"legend\">");
  drawn = 0;
  for (i = 0; i < n && rc == 0; i++) {
    if (points_of(&rows[i]) < 2 || (size_t)drawn == N_COLOURS)
      continue;
    rc = releve_buf_addf(b, "<span style=\"color:%s\">■</span> ", palette[drawn++]);
    rc = rc ? rc : export_add_escaped(b, rows[i].geography);
    rc = rc ? rc : releve_buf_adds(b, " ");
  }
  if (rc == 0 && t->kind == RELEVE_TARGET_RANGE)
    rc = releve_buf_adds(b, "<span class=\"bandkey\">■</span> objectif (fourchette)");
  else if (rc == 0 && goal)
    rc = releve_buf_adds(b, "- - objectif");
  if (rc == 0 && releve_progress_uses_share(rows[0].ind))
    rc = releve_buf_adds(b, " (parts en %)");
  return rc ? rc : releve_buf_adds(b, "</p></figure>\n");
}
