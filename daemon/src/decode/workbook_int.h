/* workbook_int.h -- what workbook.c (archive, streams, rows) shares with the
 * two formats, workbook_xlsx.c and workbook_ods.c. Not for other modules. */
#ifndef RELEVE_WORKBOOK_INT_H
#define RELEVE_WORKBOOK_INT_H

#include <expat.h>
#include <stdint.h>
#include <zip.h>

#include "decode/workbook.h"
#include "report/report.h" /* cell references in messages */
#include "util/buf.h"

/* What a numeric cell style means. */
enum { WB_STYLE_PLAIN = 0, WB_STYLE_DATE = 1, WB_STYLE_PERCENT = 2 };

/* One XML part being parsed, fed from the archive 64 KiB at a time. */
typedef struct wb_stream {
  releve_workbook *wb;
  void *ud;                /* the format's state, for its handlers */
  zip_file_t *file;
  XML_Parser parser;
  const char *part;
  uint64_t read, limit;
  int suspended, finished;
  int done;                /* a handler saw all it needed: stop quietly */
  char buf[64 << 10];
} wb_stream;

/* A merged range; value is the text of its top-left cell once its row was
 * read (kind EMPTY before). */
typedef struct wb_merge {
  unsigned long r1, r2;
  unsigned c1, c2;
  releve_cell_kind kind;
  double number;
  char *text;
} wb_merge;

typedef struct wb_format {
  /* Reads the sheet list and whatever the rows need (styles, strings). */
  int (*load)(releve_workbook *wb);
  /* Opens the stream of sheet i and sets the handlers of its rows. */
  int (*select)(releve_workbook *wb, size_t i);
  void (*free)(releve_workbook *wb);
} wb_format;

/* The two formats, in workbook_xlsx.c and workbook_ods.c. */
extern const wb_format releve__workbook_xlsx, releve__workbook_ods;

struct releve_workbook {
  zip_t *zip;
  releve_workbook_sink sink;
  const releve_workbook_limits *limits;
  const wb_format *format;
  void *fmt;               /* the format's own state */
  uint64_t total;          /* bytes inflated so far, all parts */
  int date1904;            /* .xlsx serials count from 1904-01-01 */
  int err;                 /* sticky: a negative errno once something failed */
  /* sheets */
  char **names;
  size_t nsheets;
  size_t sheet;            /* selected, or (size_t)-1 */
  wb_stream stream;
  int pending;             /* selected, its stream not opened yet */
  int heads_only;          /* the first rows only: merged ranges not read */
  int streaming;
  /* the row being built: cells[c - 1] for column c */
  releve_cell *cells;
  size_t *text_at;         /* offset of each cell's text in text, +1; 0: "" */
  size_t ncells, cells_cap;
  releve_buf text;
  unsigned long row;       /* its number */
  int row_ready;
  unsigned long repeat;    /* times the ready row is given again */
  unsigned long empty_run;
  /* the cell being read */
  releve_buf cell;
  /* merged ranges: pending ones by first row, then active ones */
  wb_merge *merges;
  size_t nmerges, merges_cap, next_merge;
};

/* Reports a problem (see releve_workbook_sink) and returns rc, which it also
 * keeps as wb->err when negative; the message is printf-formatted. */
int wb_fail(releve_workbook *wb, int rc, unsigned long row, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Opens part (1: opened, 0: no such part) and sets up a namespace-aware
 * parser ("uri|local" names) that refuses DOCTYPEs and entities. The
 * handlers get the stream as their user data (its ud is the given ud). */
int wb_stream_open(releve_workbook *wb, wb_stream *s, const char *part, void *ud,
                   XML_StartElementHandler start, XML_EndElementHandler end,
                   XML_CharacterDataHandler text);
/* Parses until a handler suspends the parser (1), the part ends (0), or an
 * error (negative, reported). */
int wb_stream_run(releve_workbook *wb, wb_stream *s);
/* The caps a part of size bytes (comp compressed) is read under: 0, or a
 * negative errno value with the reason given to the sink. */
int wb_check_size(releve_workbook *wb, const char *part, uint64_t size, uint64_t comp);
void wb_stream_close(wb_stream *s);
/* From a handler: nothing more is needed from this part; wb_stream_run
 * then returns 0. */
void wb_stream_done(wb_stream *s);
/* Parses a whole part: 1, 0 when there is no such part, negative. */
int wb_parse_part(releve_workbook *wb, const char *part, void *ud, XML_StartElementHandler start,
                  XML_EndElementHandler end, XML_CharacterDataHandler text);

/* The local part of an expat "uri|local" name. */
const char *wb_local(const char *name);
/* The value of the attribute whose local name is local, or NULL. */
const char *wb_attr(const char **attrs, const char *local);

/* Adds a sheet name (copied). */
int wb_add_sheet(releve_workbook *wb, const char *name);

/* Row building. wb_row_begin starts row number r; wb_row_cell puts a cell
 * (text copied) at column c, refusing a column past the limit; wb_row_end
 * applies the merged ranges and, when the row holds a value, marks it ready
 * and suspends the parser. */
void wb_row_begin(releve_workbook *wb, unsigned long r);
int wb_row_cell(releve_workbook *wb, unsigned c, releve_cell_kind kind, double number,
                const char *text, size_t len);
int wb_row_end(releve_workbook *wb);
/* Appends text to the cell being read (wb->cell), the cell of column col:
 * 0, or negative (reported, the parser of s stopped) past
 * RELEVE_WORKBOOK_MAX_CELL bytes or out of memory. */
int wb_cell_text(wb_stream *s, unsigned col, const char *text, size_t len);
/* Adds a merged range (rows r1..r2, columns c1..c2), kept in order of r1. */
int wb_merge_add(releve_workbook *wb, unsigned long r1, unsigned c1, unsigned long r2,
                 unsigned c2);
void wb_merges_clear(releve_workbook *wb);

/* A number in plain decimal notation with a decimal comma (1234,5), as a
 * French user writes it and the kit reads it. */
void wb_number_text(double v, char out[64]);
/* A count as a French reader writes it ("1 048 576"), for messages. */
const char *wb_count_text(unsigned long long v, char out[RELEVE_NUMBER_SIZE]);
/* The date of a serial day number ("YYYY-MM-DD", with " HH:MM:SS" when it
 * has a time): 0, or -EINVAL when out of the years 1900..9999. */
int wb_serial_date(double serial, int date1904, char out[32]);
/* "A1"-style reference: its column (1-based) and row; 0 and -EINVAL when
 * malformed. */
int wb_parse_ref(const char *ref, unsigned *column, unsigned long *row);

#endif
