/* fuzz_workbook.h -- what fuzz_xlsx.c and fuzz_ods.c share: an input is
 * either a whole workbook (it starts with a zip signature: the real
 * workbooks of the seed corpus, mutated) or the XML of one part, which is
 * put into an otherwise fixed workbook (stored, so that mutations reach the
 * XML readers instead of failing the archive's CRC). Every sheet is read to
 * its end; the rows must keep what workbook.h promises. Then the heads the
 * daemon gives plugins' recognise() (releve_workbook_heads): whole lines,
 * under the size asked, and a reason whenever the workbook is refused. */
#ifndef RELEVE_FUZZ_WORKBOOK_H
#define RELEVE_FUZZ_WORKBOOK_H

#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

#include "fuzz.h"
#include "decode/workbook.h"

typedef struct fuzz_part {
  const char *name, *text; /* text NULL: the fuzz input */
} fuzz_part;

static void fuzz_problem(void *ud, unsigned long row, unsigned column, const char *message) {
  (void)ud, (void)row, (void)column;
  FUZZ_CHECK(message != NULL && message[0] != '\0');
}

static void fuzz_read(int fd) {
  releve_workbook_sink sink = {NULL, fuzz_problem, NULL};
  releve_workbook *wb = NULL;
  int rc = releve_workbook_open(fd, &sink, &wb);
  FUZZ_CHECK(rc <= 1);
  FUZZ_CHECK((rc == 1) == (wb != NULL));
  for (size_t i = 0; rc == 1 && i < releve_workbook_count(wb); i++) {
    if (releve_workbook_select(wb, i) < 0)
      break;
    releve_workbook_row row;
    unsigned long last = 0;
    int r;
    while ((r = releve_workbook_next(wb, &row)) == 1) {
      FUZZ_CHECK(row.row > last && row.row <= RELEVE_WORKBOOK_MAX_ROWS);
      FUZZ_CHECK(row.n > 0 && row.n <= RELEVE_WORKBOOK_MAX_COLUMNS);
      FUZZ_CHECK(row.cells[row.n - 1].kind != RELEVE_CELL_EMPTY);
      last = row.row;
      for (size_t c = 0; c < row.n; c++) {
        FUZZ_CHECK(row.cells[c].column == c + 1 && row.cells[c].text != NULL);
        FUZZ_CHECK(row.cells[c].kind <= RELEVE_CELL_NUMBER);
        FUZZ_CHECK(row.cells[c].kind != RELEVE_CELL_EMPTY || row.cells[c].text[0] == '\0');
      }
    }
    if (r < 0)
      break;
  }
  releve_workbook_free(wb);
}

static int fuzz_head(void *ud, const unsigned char *head, size_t n) {
  (void)ud;
  FUZZ_CHECK(n < 4096 && (n == 0 || head[n - 1] == '\n'));
  return 0;
}

static void fuzz_heads(int fd) {
  char *why = NULL;
  int rc = releve_workbook_heads(fd, 4096, fuzz_head, NULL, &why);
  FUZZ_CHECK(rc <= 1 && (rc < 0) == (why != NULL));
  free(why);
}

/* Reads data as a workbook, or as the part of parts whose text is NULL. */
static void fuzz_workbook(const uint8_t *data, size_t size, const fuzz_part *parts, size_t n) {
  char path[256];
  const char *tmp = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/fuzz-workbook.%ld", tmp ? tmp : "/tmp", (long)getpid());
  if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
      abort();
  } else {
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (z == NULL)
      abort();
    for (size_t i = 0; i < n; i++) {
      const void *bytes = parts[i].text ? (const void *)parts[i].text : data;
      size_t len = parts[i].text ? strlen(parts[i].text) : size;
      zip_source_t *src = zip_source_buffer(z, bytes, len, 0);
      zip_int64_t at = src ? zip_file_add(z, parts[i].name, src, 0) : -1;
      if (at < 0 || zip_set_file_compression(z, (zip_uint64_t)at, ZIP_CM_STORE, 0) != 0)
        abort();
    }
    if (zip_close(z) != 0)
      abort();
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    abort();
  fuzz_read(fd);
  fuzz_heads(fd);
  close(fd);
  unlink(path);
}

/* The libFuzzer entry points of a target reading its input with parts. */
#define FUZZ_WORKBOOK_TARGET(parts)                                                        \
  int LLVMFuzzerInitialize(int *argc, char ***argv) {                                      \
    (void)argc, (void)argv;                                                                \
    return 0;                                                                              \
  }                                                                                        \
  int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {                           \
    fuzz_workbook(data, size, parts, sizeof parts / sizeof parts[0]);                      \
    return 0;                                                                              \
  }

#endif
