/* workbook_host.c -- the workbook host services over workbook.h. */
#include "decode/workbook_host.h"

#include <errno.h>

#include "decode/workbook.h"

static void problem(void *ud, unsigned long row, unsigned column, const char *message) {
  releve_workbook_host *h = ud;
  h->report->error(h->report_ctx, row, column, NULL, "%s", message);
}

int releve_workbook_host_open(releve_workbook_host *h, releve_workbook **book) {
  releve_workbook_sink sink = {h, problem, NULL};
  *book = NULL;
  return releve_workbook_open(h->fd, &sink, book);
}

int releve_workbook_host_sheet(releve_workbook_host *h, releve_workbook *book, size_t index,
                               const char **name) {
  *name = releve_workbook_name(book, index);
  if (*name == NULL)
    return 0;
  int rc = releve_workbook_select(book, index);
  if (rc == 0 && h->on_sheet != NULL)
    rc = h->on_sheet(h->ud, *name);
  return rc < 0 ? rc : 1;
}

int releve_workbook_host_row(releve_workbook_host *h, releve_workbook *book,
                             releve_workbook_row *row) {
  (void)h;
  return releve_workbook_next(book, row);
}

void releve_workbook_host_close(releve_workbook_host *h, releve_workbook *book) {
  (void)h;
  releve_workbook_free(book);
}
