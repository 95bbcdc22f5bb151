/*
 * th_assert.h -- cmocka checks over a th_host run (see testhost.h).
 *
 * Each check fails the current cmocka test with the file and line of its
 * caller. TH_RUN_FILE runs a fixture three times, reading it 1, 7 and all
 * bytes at a time, checks that the three transcripts are identical and that
 * the protocol was kept, and leaves the last run in the host.
 * TH_GOLDEN compares the transcript with a file under the fixtures folder;
 * with RELEVE_UPDATE_GOLDEN=1 in the environment it rewrites the file.
 */
#ifndef RELEVE_TH_ASSERT_H
#define RELEVE_TH_ASSERT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "testhost.h"

#ifndef RELEVE_FIXTURES
#error "RELEVE_FIXTURES must name the fixtures folder"
#endif
#define TH_FIXTURE(name) RELEVE_FIXTURES "/" name

int th_run_file_at(th_host *h, const releve_plugin *p, const char *path,
                   const char *const *overrides, const char *file, int line);
void th_clean_at(const th_host *h, const char *file, int line);
void th_fails_at(th_host *h, const releve_plugin *p, const char *path,
                 const char *const *overrides, int rc, unsigned long err_line, const char *text,
                 const char *file, int line);
void th_flat_memory_at(th_host *h, const releve_plugin *p, const char *const *overrides,
                       const char *head, const char *body, const char *tail, size_t count,
                       size_t rows, size_t max_bytes, const char *file, int line);
/* cmocka group setup and teardown giving each test a th_host in *state. */
int th_setup(void **state);
int th_teardown(void **state);
void th_cell_at_is(const th_host *h, size_t row, const char *column, releve_cell_kind kind,
                   const char *text, const char *file, int line);
void th_number_at_is(const th_host *h, size_t row, const char *column, double value,
                     const char *file, int line);
void th_error_at_is(const th_host *h, size_t index, unsigned long err_line, const char *text,
                    const char *file, int line);
void th_golden_at(const th_host *h, const char *path, const char *file, int line);
void th_columns_at_are(const th_host *h, const char *joined, const char *file, int line);

/* TH_RUN_FILE(h, plugin, "file.csv", NULL) or (..., TH_OPTS("quarter=0")) */
#define TH_OPTS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define TH_RUN_FILE(h, p, name, opts) \
  th_run_file_at((h), (p), TH_FIXTURE(name), (opts), __FILE__, __LINE__)
/* Runs a fixture that must fail with rc, its first error at line with text. */
#define TH_FAILS(h, p, name, opts, rc, line, text) \
  th_fails_at((h), (p), TH_FIXTURE(name), (opts), (rc), (line), (text), __FILE__, __LINE__)
/* Feeds head, body count times and tail; checks every row is emitted and
 * that decode's heap stays under max_bytes (see th_repeat). */
#define TH_FLAT_MEMORY(h, p, opts, head, body, tail, count, rows, max_bytes) \
  th_flat_memory_at((h), (p), (opts), (head), (body), (tail), (count), (rows), (max_bytes), \
                    __FILE__, __LINE__)
#define TH_CLEAN(h) th_clean_at((h), __FILE__, __LINE__)
#define TH_CELL(h, row, col, kind, text) th_cell_at_is((h), (row), (col), (kind), (text), __FILE__, __LINE__)
#define TH_NUMBER(h, row, col, value) th_number_at_is((h), (row), (col), (value), __FILE__, __LINE__)
#define TH_ERROR(h, i, line, text) th_error_at_is((h), (i), (line), (text), __FILE__, __LINE__)
#define TH_GOLDEN(h, name) th_golden_at((h), TH_FIXTURE(name), __FILE__, __LINE__)
#define TH_COLUMNS(h, joined) th_columns_at_are((h), (joined), __FILE__, __LINE__)

#endif /* RELEVE_TH_ASSERT_H */
