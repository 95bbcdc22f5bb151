/* th_book.c -- workbooks in plugin tests (th_book.h). */
#include "th_book.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

RELEVE_WORKBOOK_HOST_SERVICES(book, th_book, host)

static const releve_host_services book_services = {
    sizeof book_services, NULL, NULL, NULL, NULL, book_workbook_open, book_workbook_sheet,
    book_workbook_row,    book_workbook_close};

void th_book_attach_at(th_book *b, th_host *h, const char *path, const char *file, int line) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || th_load(h, path) != 0)
    _fail(file, line);
  b->h = h;
  b->host = (releve_workbook_host){fd, th_services(), h, NULL, NULL};
  h->books = &book_services;
  h->books_ctx = b;
}

void th_book_detach(th_book *b) {
  if (b->h == NULL)
    return;
  close(b->host.fd);
  b->h->books = NULL;
  b->h->books_ctx = NULL;
  b->h = NULL;
}

static void same_cell(const th_cell *a, const th_cell *w, size_t row, size_t col, const char *file,
                      int line) {
  int same = a->kind == w->kind;
  if (same && a->kind == RELEVE_CELL_NUMBER)
    same = a->number == w->number;
  else if (same && a->kind != RELEVE_CELL_EMPTY)
    same = strcmp(a->text, w->text) == 0;
  if (!same) {
    print_error("row %zu, cell %zu: CSV %d '%s' (%g), workbook %d '%s' (%g)\n", row, col,
                   a->kind, a->text, a->number, w->kind, w->text, w->number);
    _fail(file, line);
  }
}

void th_book_run_at(th_host *h, const releve_plugin *p, const char *book,
                    const char *const *overrides, const char *file, int line) {
  th_book b = {0};
  h->keep_rows = 1;
  th_book_attach_at(&b, h, book, file, line);
  int rc = th_run(h, p, overrides);
  th_book_detach(&b);
  if (rc != 0 || h->violations) {
    print_error("workbook run: rc %d, %d violations (%s)\n%s", rc, h->violations, h->violation,
                th_transcript(h));
    _fail(file, line);
  }
  if (strncmp(th_transcript(h), "sheet ", 6) != 0) {
    print_error("the workbook was not read as one:\n%s", th_transcript(h));
    _fail(file, line);
  }
}

void th_book_same_cells_at(const th_host *csv, const th_host *book, size_t n, const char *file,
                           int line) {
  if (book->ncolumns != csv->ncolumns || n > csv->nrows || n > book->nrows) {
    print_error("CSV: %zu columns, %zu rows; workbook: %zu, %zu; %zu compared\n%s",
                csv->ncolumns, csv->nrows, book->ncolumns, book->nrows, n, th_transcript(book));
    _fail(file, line);
  }
  for (size_t c = 0; c < book->ncolumns; c++)
    if (strcmp(book->columns[c], csv->columns[c]) != 0) {
      print_error("column %zu: CSV %s, workbook %s\n", c, csv->columns[c], book->columns[c]);
      _fail(file, line);
    }
  for (size_t r = 0; r < n; r++)
    for (size_t c = 0; c < book->rows[r].n; c++)
      same_cell(&csv->rows[r].cells[c], &book->rows[r].cells[c], r, c, file, line);
}

void th_book_same_rows_at(th_host *h, const releve_plugin *p, const char *csv, const char *book,
                          const char *const *overrides, const char *file, int line) {
  th_host ref;
  th_init(&ref);
  if (th_run_file_at(&ref, p, csv, overrides, file, line) != 0)
    _fail(file, line);
  th_book_run_at(h, p, book, overrides, file, line);
  if (h->nrows != ref.nrows || h->nerrors != ref.nerrors) {
    print_error("CSV: %zu rows, %zu errors; workbook: %zu, %zu\n%s", ref.nrows, ref.nerrors,
                h->nrows, h->nerrors, th_transcript(h));
    _fail(file, line);
  }
  th_book_same_cells_at(&ref, h, h->nrows, file, line);
  th_free(&ref);
}
