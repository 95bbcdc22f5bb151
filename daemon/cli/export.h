/* export.h -- the référentiel's evaluation table `releve export` writes:
 * in the référentiel's order, one row per indicator and geography, with
 * the 2020 target, the situation at the start of the contract, the
 * mid-term result, the latest result and the progress toward the target
 * (progress.h), and the completeness of the action and of the actor.
 * cmd_export.c walks the database (and applies statistical secrecy,
 * privacy.h); one writer per format turns the rows into a file: CSV for
 * French spreadsheets (export_csv.c), an XLSX workbook (export_xlsx.c), a
 * self-contained HTML page with its charts (export_html.c, export_svg.c). */
#ifndef RELEVE_EXPORT_H
#define RELEVE_EXPORT_H

#include "config/config.h"
#include "referentiel/progress.h"
#include "referentiel/referentiel.h"
#include "report/report.h"
#include "util/buf.h"

typedef enum export_kind {
  EXPORT_EMPTY,  /* nothing received */
  EXPORT_NUMBER, /* number */
  EXPORT_TEXT    /* "secret", "nd", or the figure of a text indicator */
} export_kind;

typedef struct export_value {
  export_kind kind;
  double number;
  char text[256];         /* a longer text is cut, on a character boundary */
  export_kind share_kind; /* the share a "Nombre et part" count carries */
  double share;           /* percentage 0-100 */
} export_value;

#define EXPORT_MAX_YEARS 16

typedef struct export_tally {
  int due, given;
} export_tally;

/* What every writer knows before the first row: the restitution points,
 * the completeness tallies; the marks are counted as rows come. */
typedef struct export_context {
  const releve_config *cfg;
  int points[3];         /* start of the contract, mid-term, end */
  export_tally total;
  export_tally *nodes;   /* by référentiel node (themes, actions…): cfg->ref.nodes[i] */
  export_tally *actors;  /* by configured actor: cfg->actors[i] */
  int marks[RELEVE_PROGRESS_MARKS]; /* rows with a numeric target, by mark */
  int rows;
} export_context;

typedef struct export_row {
  const releve_indicator *ind;
  const char *actor_name;
  const char *geography;   /* "" when nothing was received */
  /* What a reader sees of it: a quartier's name and list ("QP075012 Goutte
   * d'Or (liste QPV 2015)"), a scope's name ("QPV — quartiers prioritaires"). */
  const char *geography_name;
  char geography_buf[48];  /* geography_name's text when it is made for the row */
  char start_period[16];   /* the first restitution point's, else the first received */
  int start_fallback;      /* the first point is missing: the first year given */
  char note[160];          /* what the reader should know (the start taken later) */
  char last_period[16];    /* latest received up to the last point */
  export_value start, mid, last;
  releve_progress progress;
  const export_tally *action, *actor; /* completeness; actor NULL when not configured */
  /* Every year received up to the last point, for the charts. */
  size_t n_years;
  int years[EXPORT_MAX_YEARS];
  export_value series[EXPORT_MAX_YEARS];
} export_row;

/* The columns of the table, in order. */
enum {
  COL_THEME, COL_OBJECTIVE, COL_SUB_OBJECTIVE, COL_GOAL, COL_ACTION, COL_ACTION_LABEL,
  COL_INDICATOR, COL_LABEL, COL_ACTOR, COL_ACTOR_NAME, COL_UNIT, COL_COUNTS, COL_TARGET,
  COL_TARGET_KIND, COL_GEOGRAPHY, COL_START_PERIOD, COL_START, COL_START_SHARE, COL_MID,
  COL_MID_SHARE, COL_LAST_PERIOD, COL_LAST, COL_LAST_SHARE, COL_PROGRESS, COL_MARK,
  COL_ACTION_DONE, COL_ACTOR_DONE, COL_GEOGRAPHY_NAME, COL_NOTE, EXPORT_COLUMNS
};

/* The CSV's machine name of column col. */
const char *export_column_name(int col);
/* Its French title (XLSX, HTML), with the restitution points' years;
 * returns buf. */
const char *export_column_title(const export_context *ctx, int col, char buf[96]);

typedef enum export_cell_kind {
  CELL_EMPTY,
  CELL_TEXT,
  CELL_NUMBER,  /* a figure */
  CELL_PERCENT  /* a fraction shown as a percentage: 0.85 is 85 % */
} export_cell_kind;

typedef struct export_cell {
  export_cell_kind kind;
  const char *text;
  double number;
} export_cell;

/* Row r's cell in column col; texts point into r or the référentiel. */
void export_row_cell(const export_row *r, int col, export_cell *out);

/* A writer collects rows, then renders the whole file into out. Each
 * returns 0 or a negative errno value. */
typedef struct export_writer export_writer;
struct export_writer {
  int (*row)(export_writer *w, const export_row *r);
  int (*finish)(export_writer *w, releve_buf *out);
  void (*free)(export_writer *w);
};

/* The writers; ctx must outlive them. NULL when out of memory (xlsx: or
 * without a temporary file, said on stderr). */
export_writer *export_csv_new(const export_context *ctx);
export_writer *export_html_new(const export_context *ctx);
export_writer *export_xlsx_new(const export_context *ctx);

/* An actor's name without its parenthesis, for a chart's axis: "Ville de
 * Paris – DASCO (Direction des affaires scolaires)" -> "Ville de Paris –
 * DASCO". */
void export_short_name(const char *name, char out[128]);

/* A completeness or progress ratio as "85 %" (French form, report.h);
 * returns buf. */
const char *export_percent_text(double fraction, char buf[RELEVE_NUMBER_SIZE]);

#endif
