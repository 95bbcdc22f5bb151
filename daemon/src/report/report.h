/* report.h -- the report a partner receives for each file, in French:
 * what was stored, or every problem to fix with its line, column, value,
 * reason and what is expected. Detail lists are capped so that a report
 * stays readable; the counts always cover everything. */
#ifndef RELEVE_REPORT_H
#define RELEVE_REPORT_H

#include "util/buf.h"

#define RELEVE_REPORT_MAX_LINES 1000

typedef struct releve_report {
  releve_buf problems;  /* one line each */
  releve_buf warnings;
  releve_buf stored;
  releve_buf notes;     /* about the file as a whole (how its addresses were matched) */
  releve_buf context;   /* figures kept for information, one line per kind of geography */
  int n_problems, n_warnings, n_stored, n_notes, n_context;
  char *sheet;          /* the spreadsheet's sheet whose rows are being read, or NULL */
} releve_report;

/* From now on lines are rows of the workbook sheet name (NULL: lines of a
 * text file): locations read "Feuil1!E12" or "Feuil1, ligne 12" instead of
 * "ligne 12, colonne 5". Returns 0 or -ENOMEM. */
int releve_report_sheet(releve_report *r, const char *name);

/* "E12" for column 5, row 12 (column 0: "12", row 0: "E"), as a
 * spreadsheet names its cells; out holds at least 24 bytes. */
const char *releve_report_cell_ref(unsigned column, unsigned long row, char out[24]);

/* Where line and column lie, as the report says it: "ligne 12, colonne 5",
 * "ligne 12", "cellule Feuil1!E12", "Feuil1, ligne 12", or "fichier" for
 * line 0. Returns out. */
const char *releve_report_where(const releve_report *r, unsigned long line, unsigned column,
                                char out[192]);

void releve_report_problem(releve_report *r, unsigned long line, unsigned column,
                           const char *value, const char *message);
void releve_report_warning(releve_report *r, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void releve_report_stored(releve_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Whether the next stored value would still be listed: past the cap only
 * its count matters, and releve_report_stored_count() records it without
 * formatting anything. */
int releve_report_lists_stored(const releve_report *r);
void releve_report_stored_count(releve_report *r);
void releve_report_note(releve_report *r, const char *message);
/* n figures for geographies no cell of the référentiel expects (what:
 * "par arrondissement"), stored and kept for information: said in their own
 * section, never as filled cells. */
void releve_report_context(releve_report *r, int n, const char *what);

/* v as a French reader expects it: every digit of a count up to 10^15
 * (10002015, never 1.0002e+07) and a decimal comma (12,5). Returns out.
 * The form for a value echoed back to its sender, or written for reuse;
 * releve_report_format groups the digits for reading. */
const char *releve_report_number(double v, char out[32]);

/* The space French puts between groups of digits and before "%": the
 * no-break space U+00A0, in UTF-8, as the export writes before "%" and as
 * every spreadsheet and terminal font shows. One space everywhere, so that
 * tests and readers can rely on it. */
#define RELEVE_NUMBER_SPACE "\xc2\xa0"
#define RELEVE_NUMBER_SIZE 64
enum {
  RELEVE_NUMBER_GROUPED = 1, /* 1 360, 10 002 015 (from four digits on) */
  RELEVE_NUMBER_PERCENT = 2  /* 12,5 % */
};
/* v in French form, as flags ask: decimals < 0 keeps the digits v has (up
 * to 15 significant, as releve_report_number), else rounds to that many
 * places, halves away from zero (2,5 -> 3). A minus sign, never "-0".
 * Values past 10^15 are written in exponent form, ungrouped. Returns out. */
const char *releve_report_format(double v, int decimals, unsigned flags,
                                 char out[RELEVE_NUMBER_SIZE]);

typedef struct releve_report_head {
  const char *file_name;
  unsigned long long size;
  const char *sha256;
  const char *actor_id, *actor_name, *channel;
  const char *plugin, *format; /* the reader and its format in French; NULL: none */
  const char *verdict;   /* "ACCEPTÉ", "REFUSÉ", "DÉJÀ REÇU", "VÉRIFIÉ (essai)" */
  const char *summary;   /* one sentence */
  int stored;            /* whether the figures were stored (they were read in any case) */
} releve_report_head;

/* How a file came, as its sender would say it (the stored channel codes
 * are spool, poll and cli): "dépôt dans le dossier d'échange", or with
 * brief set the one word a table has room for ("dépôt"). */
const char *releve_report_channel(const char *channel, int brief);

/* The whole text, malloc'ed. */
char *releve_report_render(const releve_report *r, const releve_report_head *h);

/* A report's file lies beside the file it is about, in archive/ or
 * rejected/, under its name and this suffix. */
#define RELEVE_REPORT_SUFFIX ".rapport.txt"
/* dir/<name>.rapport.txt, malloc'ed; NULL when out of memory. */
char *releve_report_path(const char *dir, const char *name);
/* Writes text durably as releve_report_path(dir, name): an atomic write
 * (a temporary name, then rename), mode 0640. Returns 0 or a negative
 * errno value. */
int releve_report_write(const char *dir, const char *name, const char *text);
void releve_report_free(releve_report *r);

#endif
