/* summary.h -- the verdict and summary sentence that open a file's report,
 * the lines about figures kept for information, and the receipt mailed
 * around the report, in the words a partner uses: "ACCEPTÉ", "1 360
 * valeurs reçues : 1 200 ajoutées…". */
#ifndef RELEVE_SUMMARY_H
#define RELEVE_SUMMARY_H

#include "referentiel/geo.h"
#include "report/report.h"

typedef enum releve_verdict {
  RELEVE_VERDICT_ACCEPTED = 1,
  RELEVE_VERDICT_CHECKED,   /* a dry run that would have been accepted */
  RELEVE_VERDICT_REFUSED,
  RELEVE_VERDICT_DUPLICATE
} releve_verdict;

typedef struct releve_report_tally {
  releve_verdict verdict;
  long long duplicate_of; /* RELEVE_VERDICT_DUPLICATE: the submission that stored the bytes */
  /* Accepted or checked: the figures read, and of those that fill a cell
   * of the référentiel the ones added, changed and unchanged; context: the
   * figures kept for information (releve_report_context_kinds). */
  int read, added, changed, unchanged, context;
} releve_report_tally;

/* Adds the context lines for by_kind[kind] figures of each kind of
 * geography no cell expects, qva of them (counted among the scopes) for
 * the QVA, which make QP derivable. Returns how many figures that is. */
int releve_report_context_kinds(releve_report *r, const int by_kind[RELEVE_GEO_NETWORK + 1],
                                int qva);

/* The whole report (releve_report_render) under t's verdict and summary:
 * h's verdict, summary and stored are set here. Malloc'ed, NULL when out
 * of memory. */
char *releve_report_conclude(const releve_report *r, releve_report_head *h,
                             const releve_report_tally *t);

/* What a receipt says around the report (receipt.h). */
typedef struct releve_report_receipt {
  releve_verdict verdict;  /* accepted, refused or duplicate */
  const char *file_name;   /* as the partner named it, kept printable */
  const char *report;      /* the file's report, kept printable */
  int filled;              /* cells of the référentiel the file filled */
  int owed, year;          /* what the actor still owes for the campaign of year */
  const char *due;         /* when it is due, YYYY-MM-DD */
  const char *coordinator; /* whom to ask, NULL: nobody named */
} releve_report_receipt;

/* The receipt's subject and body, malloc'ed. Returns 0 or -ENOMEM (then
 * both are NULL). */
int releve_report_receipt_text(const releve_report_receipt *r, char **subject, char **body);

#endif
