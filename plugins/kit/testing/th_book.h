/*
 * th_book.h -- workbooks (.xlsx, .ods) in plugin tests, read by the core's
 * own reader (daemon/src/decode/workbook.c) through the same host services the
 * daemon offers: a test attaches a file to its th_host, runs the plugin,
 * and can check that the rows equal those of the CSV twin of the file.
 */
#ifndef RELEVE_TH_BOOK_H
#define RELEVE_TH_BOOK_H

#include "th_assert.h"
#include "decode/workbook_host.h"

typedef struct th_book {
  releve_workbook_host host;
  th_host *h;
} th_book;

/* Makes path the input of h, read as a workbook when it is one. */
void th_book_attach_at(th_book *b, th_host *h, const char *path, const char *file, int line);
void th_book_detach(th_book *b);

/* Runs plugin on the CSV fixture csv and on the workbook fixture book, with
 * the same options: both succeed, have the same columns and rows, and every
 * cell has the same kind, the same number, and for text the same text.
 * The workbook's run stays in h. */
void th_book_same_rows_at(th_host *h, const releve_plugin *p, const char *csv, const char *book,
                          const char *const *overrides, const char *file, int line);

/* The parts of the above: runs p on the workbook fixture book into h
 * (checking that it succeeds, keeps the protocol and reads a sheet), and
 * compares the first n rows of two runs cell by cell. */
void th_book_run_at(th_host *h, const releve_plugin *p, const char *book,
                    const char *const *overrides, const char *file, int line);
void th_book_same_cells_at(const th_host *csv, const th_host *book, size_t n, const char *file,
                           int line);

#define TH_BOOK_RUN(h, p, book, opts) th_book_run_at((h), (p), TH_FIXTURE(book), (opts), __FILE__, __LINE__)
#define TH_BOOK_SAME_CELLS(csv, book, n) th_book_same_cells_at((csv), (book), (n), __FILE__, __LINE__)
#define TH_BOOK_SAME_ROWS(h, p, csv, book, opts) \
  th_book_same_rows_at((h), (p), TH_FIXTURE(csv), TH_FIXTURE(book), (opts), __FILE__, __LINE__)

#endif
