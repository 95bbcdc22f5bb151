/* workbook.h -- reading the rows of a spreadsheet (.xlsx or .ods) a partner
 * sent, in bounded memory, for the plugins' table layer.
 *
 * A workbook is a zip archive of XML parts. The archive is read with libzip
 * (the Debian-maintained library that LibreOffice's and most distributions'
 * tools use; it checks CRCs, refuses inconsistent central directories with
 * ZIP_CHECKCONS and reads a part as a stream) and every XML part with expat
 * (a streaming, push parser: one row at a time, suspended between rows).
 * No hand-written zip or XML parsing.
 *
 * What is read:
 *   .xlsx  xl/workbook.xml (sheets in order, the 1904 date system), its
 *          relationships (where each sheet lives), xl/styles.xml (which cell
 *          styles are dates or percentages), xl/sharedStrings.xml, then the
 *          chosen sheet: numbers, shared and inline strings, booleans,
 *          errors, cached formula results, merged ranges.
 *   .ods   content.xml: the table names, then the chosen table's rows with
 *          their repeats, spans and covered cells, office:value and
 *          office:date-value, text paragraphs.
 *
 * What is refused, with a French reason and nothing read (see LIMITS): an
 * old binary Excel file (.xls, OLE signature D0 CF 11 E0), an encrypted
 * workbook (an OLE container holding an EncryptedPackage stream, an ODF
 * manifest with encryption data, a zip entry with a password), a damaged
 * or truncated archive, a part whose compression ratio or size passes the
 * caps (a zip bomb), XML with a DOCTYPE (entities, expansion and external
 * entities are never processed), a non-empty cell past the last column, a
 * run of empty rows or a row number past the limits, a shared-strings table
 * over its cap.
 *
 * Memory: the shared-strings table (capped), the style kinds, the merged
 * ranges of the sheet (capped) and one row. */
#ifndef RELEVE_WORKBOOK_H
#define RELEVE_WORKBOOK_H

#include <stddef.h>

#include "releve/plugin.h"

#define RELEVE_WORKBOOK_MAX_COLUMNS 16384u         /* Excel's and LibreOffice's XFD */
#define RELEVE_WORKBOOK_MAX_ROWS 1048576ul         /* Excel's last row */
#define RELEVE_WORKBOOK_MAX_EMPTY_RUN 100000ul     /* empty row elements in a row */
#define RELEVE_WORKBOOK_MAX_PART (256ull << 20)    /* one XML part, uncompressed */
#define RELEVE_WORKBOOK_MAX_TOTAL (1024ull << 20)  /* all parts, uncompressed */
#define RELEVE_WORKBOOK_MAX_RATIO 100u             /* uncompressed / compressed */
#define RELEVE_WORKBOOK_RATIO_FROM (1ull << 20)    /* ratio checked above 1 MiB */
#define RELEVE_WORKBOOK_MAX_STRINGS (2u << 20)     /* shared strings */
#define RELEVE_WORKBOOK_MAX_STRING_BYTES (64u << 20)
#define RELEVE_WORKBOOK_MAX_CELL (256u << 10)      /* one cell's text */
#define RELEVE_WORKBOOK_MAX_ROW_BYTES (8u << 20)   /* one row's text */
#define RELEVE_WORKBOOK_MAX_MERGES 65536u          /* merged ranges in a sheet */
#define RELEVE_WORKBOOK_MAX_SHEETS 1024u

/* The archive's caps (the defaults are the RELEVE_WORKBOOK_MAX_* above). */
typedef struct releve_workbook_limits {
  unsigned long long max_part, max_total;
  unsigned max_ratio;
} releve_workbook_limits;

extern const releve_workbook_limits releve_workbook_default_limits;

/* Where the reader sends what the partner must read: row 0 for the file as
 * a whole; otherwise a cell (column > 0) or a row of the current sheet. */
typedef struct releve_workbook_sink {
  void *ud;
  void (*problem)(void *ud, unsigned long row, unsigned column, const char *message);
  const releve_workbook_limits *limits; /* NULL: the defaults */
} releve_workbook_sink;

/* Looks at the file open on fd (never moving its offset when the file is
 * no workbook). Returns 1 with *out when it is an .xlsx or .ods workbook,
 * 0 when it is neither a zip archive nor an OLE container (a text file:
 * read it as before), or a negative errno value after reporting why the
 * file is refused (-EBADMSG, -EILSEQ, -EFBIG, -ENOMEM, -EIO). */
int releve_workbook_open(int fd, const releve_workbook_sink *sink, releve_workbook **out);

/* The number of sheets, and the name of sheet i (NULL past the last). */
size_t releve_workbook_count(const releve_workbook *wb);
const char *releve_workbook_name(const releve_workbook *wb, size_t i);

/* Starts reading sheet i from its first row (its part is opened at the
 * first releve_workbook_next): 0, or negative (reported). */
int releve_workbook_select(releve_workbook *wb, size_t i);

/* The next row of the selected sheet holding a value: 1 with *row (valid
 * until the next call), 0 at the end of the sheet, or negative (reported;
 * the workbook cannot be read further). */
int releve_workbook_next(releve_workbook *wb, releve_workbook_row *row);

void releve_workbook_free(releve_workbook *wb);

/* For choosing a file's reader (reader.h): when the file open on fd is a
 * workbook, calls each(ud, head, n) for each of its first
 * RELEVE_WORKBOOK_HEAD_SHEETS sheets with the sheet's first
 * RELEVE_WORKBOOK_HEAD_ROWS rows holding a value written as CSV lines
 * (';'-separated, quoted as RFC 4180 wants), at most max - 1 bytes of whole
 * lines, so that a plugin's recognise() judges them as it judges a CSV
 * file's first lines. Merged ranges are not applied. Returns 0 when the
 * file is no workbook (each is never called), 1 once every sheet was
 * given, each's negative value, or a negative errno value with *why (a
 * French sentence, malloc'ed) when the workbook is refused. */
#define RELEVE_WORKBOOK_HEAD_SHEETS 16u
#define RELEVE_WORKBOOK_HEAD_ROWS 64u
int releve_workbook_heads(int fd, size_t max,
                          int (*each)(void *ud, const unsigned char *head, size_t n), void *ud,
                          char **why);

#endif
