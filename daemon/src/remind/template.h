/* template.h -- the référentiel's collection table an actor fills in and
 * sends back (read by the "template" plugin): one row per figure owed, with
 * what the partner needs to fill it (action, unit, territory, the 2020
 * target, the figures already received for 2015 and for the year before)
 * and the columns to fill (valeur, part, statut, commentaire).
 *
 * Three forms, the same columns in the same order, so that the same reader
 * takes any of them back:
 *   csv   UTF-8 with BOM, ';', CRLF (template_csv in template.c);
 *   xlsx  a workbook by libxlsxwriter (template_xlsx.c);
 *   ods   an OpenDocument spreadsheet by libzip (template_ods.c).
 * The workbooks open on a "Mode d'emploi" sheet (what is asked, for which
 * year, by when, how to send it back, whom to ask); the table's own sheet
 * has a drop-down list for statut, number formats on valeur and part, the
 * reference columns locked and grey, the header frozen, and prints
 * landscape, one page wide. */
#ifndef RELEVE_TEMPLATE_H
#define RELEVE_TEMPLATE_H

#include "config/config.h"
#include "store/store.h"
#include "util/buf.h"

/* The columns, in order: what the partner reads, then what it fills. The
 * reader finds its own by header name (indicateur, libelle, periode,
 * geographie, valeur, part, statut, commentaire), in any order; the others
 * are extra columns to it. */
typedef enum releve_template_column {
  RELEVE_TC_ACTION = 0,
  RELEVE_TC_INDICATEUR,
  RELEVE_TC_LIBELLE,
  RELEVE_TC_UNITE,
  RELEVE_TC_PERIODE,
  RELEVE_TC_GEOGRAPHIE,
  RELEVE_TC_TERRITOIRE,
  RELEVE_TC_CIBLE,
  RELEVE_TC_FIRST,    /* the value received for 2015 */
  RELEVE_TC_PREVIOUS, /* the value received for the year before */
  RELEVE_TC_VALEUR,
  RELEVE_TC_PART,
  RELEVE_TC_STATUT,
  RELEVE_TC_COMMENTAIRE,
  RELEVE_TC_COUNT
} releve_template_column;

typedef struct releve_template_column_info {
  const char *csv;   /* header in the CSV form ("valeur") */
  const char *title; /* header in a workbook ("Valeur") */
  double width;      /* in characters */
  int fill;          /* a column the partner fills (else locked, grey) */
  int dated;         /* the header ends with the column's year ("Valeur reçue 2015") */
} releve_template_column_info;

extern const releve_template_column_info releve_template_columns[RELEVE_TC_COUNT];

/* A figure already received, as a partner reads it. */
typedef struct releve_template_value {
  int given;           /* a figure is stored for this cell */
  int is_number;       /* number holds it; else text does ("secret", "nd", a text) */
  double number;
  char text[64];
} releve_template_value;

typedef struct releve_template_row {
  const releve_indicator *ind;
  char period[16];          /* 2019 or 2019-2020 */
  const char *geography;    /* QPV, QP… */
  const char *territory;    /* "QPV — quartiers prioritaires" */
  const char *unit;         /* nombre, %, euros, texte */
  releve_template_value first, previous;
} releve_template_row;

typedef struct releve_template {
  const releve_config *cfg;
  const releve_actor *actor;
  int year;                 /* the campaign's year */
  int first_year, previous_year; /* of the two reference columns */
  const char *due;          /* YYYY-MM-DD of that year's campaign, or NULL */
  const char *opens;        /* YYYY-MM-DD, or NULL */
  int spool_in_use;         /* the actor sent a file through its spool folder */
  releve_template_row *rows;
  size_t n;
  size_t n_indicators;
} releve_template;

/* Builds the rows for actor and year: one per indicator the actor is
 * referent for and per scope it owes, with the figures store holds for the
 * two reference years (store may be NULL: none). Returns 0, -ENOMEM, or the
 * store's error. */
int releve_template_build(releve_template *t, const releve_config *cfg, releve_store *store,
                          const releve_actor *actor, int year);
void releve_template_free(releve_template *t);

/* The column's header in a workbook ("Valeur reçue 2015"), or with csv
 * set in the CSV form ("valeur_recue_2015"). */
void releve_template_title(const releve_template *t, releve_template_column c, int csv,
                           char *out, size_t size);
/* A cell's text as written in the CSV form and in workbooks' text cells
 * ("" when empty); value columns are also given as numbers by value(). */
const char *releve_template_text(const releve_template_row *r, releve_template_column c);
/* The received value of a reference column, NULL for other columns. */
const releve_template_value *releve_template_value_of(const releve_template_row *r,
                                                      releve_template_column c);

/* Workbooks give each row its height, for a spreadsheet does not grow a
 * row to its wrapped text when the file opens: the lines text takes in a
 * column width characters wide (at least 1, at most RELEVE_TEMPLATE_MAX_LINES),
 * and the most any cell of row r takes. */
#define RELEVE_TEMPLATE_MAX_LINES 12
int releve_template_lines(const char *text, double width);
int releve_template_row_lines(const releve_template_row *r);
/* The width of the "Mode d'emploi" column, in characters. */
#define RELEVE_TEMPLATE_NOTE_WIDTH 110

/* The lines of the "Mode d'emploi" sheet, French, NULL-ended (malloc'ed,
 * free each and the array). */
char **releve_template_instructions(const releve_template *t);
void releve_template_instructions_free(char **lines);

/* The statut words of the drop-down list, NULL-ended. */
extern const char *const releve_template_statuses[];

/* The time workbooks are stamped with: the day the campaign opens (else
 * 1 January of the next year), never the clock, so that the same table is
 * the same bytes and a reminder sent again is recognised as the same mail. */
time_t releve_template_stamp(const releve_template *t);

/* Writes t in format into out (bytes; for csv also NUL-terminated).
 * Returns 0, -ENOMEM or -EIO (a library failed, logged). */
int releve_template_csv(const releve_template *t, releve_buf *out);
int releve_template_xlsx(const releve_template *t, releve_buf *out);
int releve_template_ods(const releve_template *t, releve_buf *out);
int releve_template_render(const releve_template *t, releve_template_format format,
                           releve_buf *out);

#endif
