/* export.h -- the collection table `releve export` writes: one row per
 * indicator and geography, with the situation at the start of the
 * contract, the mid-term result and the latest one. cmd_export.c walks the
 * database (and applies statistical secrecy); one writer per format turns
 * the rows into a file: CSV for French spreadsheets (export_csv.c), an
 * XLSX workbook (export_xlsx.c), a self-contained HTML report
 * (export_html.c). */
#ifndef RELEVE_EXPORT_H
#define RELEVE_EXPORT_H

#include "referentiel.h"
#include "util.h"

typedef enum export_kind {
  EXPORT_EMPTY,  /* nothing received */
  EXPORT_NUMBER, /* number */
  EXPORT_TEXT    /* "secret", "nd", or the figure of a text indicator */
} export_kind;

typedef struct export_value {
  export_kind kind;
  double number;
  char text[256]; /* a longer text is cut, on a character boundary */
} export_value;

typedef struct export_row {
  const releve_indicator *ind;
  const char *geography;      /* "" when nothing was received */
  const char *start_period;   /* first period received */
  const char *last_period;    /* latest period received */
  export_value start, mid, last;
} export_row;

/* What the header row says, in order; the CSV keeps these machine names. */
#define EXPORT_COLUMNS 15
extern const char *const export_column_names[EXPORT_COLUMNS];
/* The same columns as a French reader sees them (XLSX, HTML). */
extern const char *const export_column_titles[EXPORT_COLUMNS];

/* The row's fields as text, in column order; numbers with a decimal comma.
 * Values are written into buf (three values of 32 bytes). */
void export_row_texts(const export_row *r, const char *fields[EXPORT_COLUMNS], char buf[3][32]);

/* A writer collects rows, then renders the whole file into out. Each
 * returns 0 or a negative errno value. */
typedef struct export_writer export_writer;
struct export_writer {
  int (*row)(export_writer *w, const export_row *r);
  int (*finish)(export_writer *w, releve_buf *out);
  void (*free)(export_writer *w);
};

export_writer *export_csv_new(void);
/* title: the référentiel's title, for the page heading. */
export_writer *export_html_new(const char *title, int secrecy_threshold);
export_writer *export_xlsx_new(void);

#endif
