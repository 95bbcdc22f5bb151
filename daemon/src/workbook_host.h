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

int releve_workbook_host_open(releve_workbook_host *h, releve_workbook **book);
int releve_workbook_host_sheet(releve_workbook_host *h, releve_workbook *book, size_t index,
                               const char **name);
int releve_workbook_host_row(releve_workbook_host *h, releve_workbook *book,
                             releve_workbook_row *row);
void releve_workbook_host_close(releve_workbook_host *h, releve_workbook *book);

#endif
