/* workbook_host.h -- the workbook services of releve_host_services
 * (plugin.h, ABI 1.1) over workbook.h, for any host that holds the file:
 * the ingest in this process, the decoding child (rowpipe.c), the plugin
 * test host. Each host keeps one releve_workbook_host for the file and
 * forwards its four services here. */
#ifndef RELEVE_WORKBOOK_HOST_H
#define RELEVE_WORKBOOK_HOST_H

#include "releve/plugin.h"

typedef struct releve_workbook_host {
  int fd;                                /* the file being decoded */
  const releve_host_services *report;    /* its error() gets the French reasons */
  void *report_ctx;
  /* Told the name of the sheet whose rows follow (may be NULL); returns 0
   * or a negative errno value that stops the reading. */
  int (*on_sheet)(void *ud, const char *name);
  void *ud;
} releve_workbook_host;

/* Defines the four services of a host whose ctx is a TYPE* holding its
 * releve_workbook_host as MEMBER: PREFIX_workbook_open, _sheet, _row and
 * _close, to put in its releve_host_services. */
#define RELEVE_WORKBOOK_HOST_SERVICES(prefix, type, member)                                    \
  static int prefix##_workbook_open(void *ctx, releve_workbook **book) {                       \
    return releve_workbook_host_open(&((type *)ctx)->member, book);                            \
  }                                                                                            \
  static int prefix##_workbook_sheet(void *ctx, releve_workbook *book, size_t index,           \
                                     const char **name) {                                      \
    return releve_workbook_host_sheet(&((type *)ctx)->member, book, index, name);              \
  }                                                                                            \
  static int prefix##_workbook_row(void *ctx, releve_workbook *book,                           \
                                   releve_workbook_row *row) {                                 \
    return releve_workbook_host_row(&((type *)ctx)->member, book, row);                        \
  }                                                                                            \
  static void prefix##_workbook_close(void *ctx, releve_workbook *book) {                      \
    releve_workbook_host_close(&((type *)ctx)->member, book);                                  \
  }

int releve_workbook_host_open(releve_workbook_host *h, releve_workbook **book);
int releve_workbook_host_sheet(releve_workbook_host *h, releve_workbook *book, size_t index,
                               const char **name);
int releve_workbook_host_row(releve_workbook_host *h, releve_workbook *book,
                             releve_workbook_row *row);
void releve_workbook_host_close(releve_workbook_host *h, releve_workbook *book);

#endif
