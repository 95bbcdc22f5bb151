/* export_svg.h -- the charts of the HTML export, as inline SVG. Each
 * returns 0 or a negative errno value. */
#ifndef RELEVE_EXPORT_SVG_H
#define RELEVE_EXPORT_SVG_H

#include "export.h"

/* s escaped for HTML text and attributes: never markup. */
int export_add_escaped(releve_buf *b, const char *s);

/* Horizontal bars, one per tally with cells due: labels[i], the share of
 * tallies[i] received, "given/due". title names the chart for readers. */
int export_svg_bars(releve_buf *b, const char *title, const char *const *labels,
                    const export_tally *tallies, size_t n);

/* One indicator's chart from its rows (one per geography): the values of
 * each territory with at least two of them over the years, against the
 * target (a dashed line, a band for a range). Writes nothing when no
 * territory has two values. */
int export_svg_series(releve_buf *b, const export_row *rows, size_t n);

#endif
