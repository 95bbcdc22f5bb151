/*
 * kit.h -- the toolkit shared by relevé's source plugins.
 *
 * NAME
 *   releve-kit - reading, splitting and typing partner files for plugins
 *
 * SYNOPSIS
 *   #include "kit.h"      (static library releve-kit, built PIC, hidden)
 *
 * DESCRIPTION
 *   Every source plugin reads the same kinds of files: French CSV exports
 *   (UTF-8 with or without BOM, or Windows-1252, CRLF or LF, ';' ',' or tab,
 *   decimal commas, secrecy markers) and, for Mission Locale, JSON. The kit
 *   holds that common part so that a plugin only says what its format means.
 *
 *   The kit is layered:
 *     host     checks the decode arguments and talks to the host services
 *              (French error texts, English logs, stop requests);
 *     utf8     checking and writing UTF-8, Latin letters spelled in ASCII;
 *     source   buffered bytes over args->read;
 *     reader   lines: BOM, encoding, end-of-line, length cap;
 *     csv      records from lines: separator, quotes, quoted newlines;
 *     table    a header line found among title lines, then data records
 *              with their line numbers and field-count checks;
 *     cell     numbers written the French way, secrecy markers, names;
 *     row      building one output row and the column list;
 *     decode   the whole decode() of a CSV plugin, given its format;
 *     recognise  recognise() of a CSV plugin: its header sought in a file's
 *              first bytes;
 *     json     a streaming JSON tokenizer and a bounded per-record tree.
 *
 * CONVENTIONS
 *   Functions return 0 (or a count, or 1 for "got one") on success and a
 *   negative errno value on failure, like libuv. Every name starts with
 *   releve_kit_<module>_. An object set up by an _init function is given back
 *   by its _free function, which may also be called after a failed _init.
 *   Nothing here keeps global mutable state, so decode() calls may run in
 *   parallel threads.
 *
 *   Errors that make the file undecodable (bad encoding, broken layout, read
 *   failure) are reported to the host by the kit itself, in French, before
 *   the negative value is returned: the plugin only passes the value on.
 *   A host service returning a negative value is passed on the same way.
 *
 * LIMITS
 *   RELEVE_KIT_MAX_LINE     a physical line, in bytes as read (1 MiB)
 *   RELEVE_KIT_MAX_RECORD   a CSV record or a JSON record, in bytes (1 MiB)
 *   RELEVE_KIT_MAX_FIELDS   fields in a CSV record (10000)
 *   RELEVE_KIT_MAX_DEPTH    JSON nesting (64)
 *   Memory therefore stays bounded whatever the size of the file.
 */
#ifndef RELEVE_KIT_H
#define RELEVE_KIT_H

#include <stddef.h>

#include <releve/plugin.h>

/* The entry point every plugin defines (declared here once for all). */
RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void);

/* Defines a plugin's descriptor (ABI 1.2, this build's struct size) and its
 * entry point, the only exported symbol:
 *   RELEVE_KIT_PLUGIN("caf", "1.0.0", "CAF open data by commune",
 *                     "export open data de la CAF (CSV)", caf_options, caf_decode,
 *                     caf_recognise)
 * format is the French name partners know the format by; options may be
 * NULL; recognise says whether the first bytes of a file are in this format
 * (releve/plugin.h, RECOGNISING A FILE). */
#define RELEVE_KIT_PLUGIN(name, version, description, format, options, decode, recognise) \
  RELEVE_KIT_PLUGIN_FLAGS(name, version, description, format, options, decode, recognise, 0)
/* The same with descriptor flags (ABI 1.2): RELEVE_PLUGIN_PERSONAL_DATA for
 * a plugin whose rows are people. */
#define RELEVE_KIT_PLUGIN_FLAGS(name, version, description, format, options, decode,      \
                                recognise, flags)                                         \
  static const releve_plugin releve_kit_plugin = {                                        \
      RELEVE_PLUGIN_ABI_MAJOR, sizeof(releve_plugin), name, version, description,         \
      options, decode, recognise, format, flags};                                         \
  RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) {             \
    return &releve_kit_plugin;                                                         \
  }

#define RELEVE_KIT_MAX_LINE (1024u * 1024u)
#define RELEVE_KIT_MAX_RECORD (1024u * 1024u)
#define RELEVE_KIT_MAX_FIELDS 10000u
#define RELEVE_KIT_MAX_DEPTH 64u

/* ------------------------------------------------------------------------
 * host -- arguments and host services
 * ------------------------------------------------------------------------ */

/* Returns 0 when args, args->host and its four services are present and
 * large enough, -EINVAL otherwise (nothing can be reported then). */
int releve_kit_host_check(const releve_decode_args *args);

/* Sends a French message for the partner through host->error. The text is
 * the reason and what is expected; the host adds "ligne L, colonne C". value
 * is the offending value as written, or NULL. A message longer than 1 KiB is
 * cut at a character boundary; quote values through releve_kit_cell_excerpt.
 * Returns 0, or the host's negative answer (stop and return it). */
int releve_kit_host_error(const releve_decode_args *args, unsigned long line, unsigned column,
                          const char *value, const char *fmt, ...) RELEVE_PRINTF(5, 6);

/* Reports why the file cannot be decoded, then returns rc (a negative
 * errno), or the host's own negative answer to the report. When rc is
 * -ECANCELED nothing is reported. */
int releve_kit_host_fail(const releve_decode_args *args, int rc, unsigned long line,
                         unsigned column, const char *fmt, ...) RELEVE_PRINTF(5, 6);

/* English message for the administrator. Never put personal data in it. */
void releve_kit_host_log(const releve_decode_args *args, int level, const char *fmt, ...)
    RELEVE_PRINTF(3, 4);

/* The value of option number index of the plugin's option table: the one
 * the host passed when it is set, else the table's default_value parsed by
 * type, else "", 0 or false. */
const char *releve_kit_host_option_str(const releve_decode_args *args,
                                       const releve_option *table, size_t index);
long long releve_kit_host_option_int(const releve_decode_args *args,
                                     const releve_option *table, size_t index);
int releve_kit_host_option_bool(const releve_decode_args *args, const releve_option *table,
                                size_t index);

/* ------------------------------------------------------------------------
 * utf8 -- checking and writing UTF-8, Latin letters spelled in ASCII
 * ------------------------------------------------------------------------ */

/* Length of the valid UTF-8 character at text (reading at most n bytes,
 * never past a NUL) with its code point in *cp, or 0 when it is not one
 * (overlong forms, surrogates and values past U+10FFFF are not). */
size_t releve_kit_utf8_decode(const char *text, size_t n, unsigned *cp);

/* 1 when text[0..n) is valid UTF-8; *ascii (may be NULL) tells whether it
 * is plain ASCII. */
int releve_kit_utf8_valid(const char *text, size_t n, int *ascii);

/* Writes the UTF-8 form of cp (at most 4 bytes, no NUL); returns its length. */
size_t releve_kit_utf8_encode(char out[4], unsigned cp);

/* Length of the longest prefix of text[0..len) that does not end inside a
 * character. */
size_t releve_kit_utf8_cut(const char *text, size_t len);

/* The ASCII spelling, in lower case, of a letter of Latin-1 or Latin
 * Extended-A (U+00C0..U+017F) without its accents: "e" for é, "oe" for œ,
 * "ae" for æ, "ss" for ß, "th" for þ; "" for × and ÷ and for any other
 * code point. The one accent fold of the kit and the core. */
const char *releve_kit_utf8_ascii(unsigned cp);

/* ------------------------------------------------------------------------
 * source -- buffered bytes over args->read
 * ------------------------------------------------------------------------ */

typedef struct releve_kit_source {
  const releve_decode_args *args;
  unsigned char *buf;
  size_t len;          /* bytes in buf */
  size_t pos;          /* next unread byte */
  size_t cap;
  int eof;
  int err;             /* sticky negative errno once read failed */
  unsigned long long consumed; /* bytes read from args->read so far */
} releve_kit_source;

int releve_kit_source_init(releve_kit_source *src, const releve_decode_args *args);
void releve_kit_source_free(releve_kit_source *src);

/* Makes at least one unread byte available: 1 when there is one, 0 at the
 * end of input, or a negative errno (a read failure, reported once). */
int releve_kit_source_fill(releve_kit_source *src);

/* ------------------------------------------------------------------------
 * reader -- lines
 * ------------------------------------------------------------------------ */

typedef enum releve_kit_encoding {
  RELEVE_KIT_ENC_UNKNOWN = 0, /* only ASCII seen so far */
  RELEVE_KIT_ENC_UTF8 = 1,
  RELEVE_KIT_ENC_CP1252 = 2
} releve_kit_encoding;

typedef struct releve_kit_reader {
  releve_kit_source src;
  char *line;            /* the current line, UTF-8, NUL-terminated, no EOL */
  size_t len;            /* its length in bytes */
  unsigned long lineno;  /* its 1-based number */
  releve_kit_encoding encoding;
  int bom;               /* a UTF-8 BOM opened the file */
  int started;
  int warned_mixed;
  unsigned char *raw;    /* the line as read, before conversion */
  size_t raw_len, raw_cap;
  size_t line_cap;
} releve_kit_reader;

/* Starts reading args->read. No byte is read yet. */
int releve_kit_reader_init(releve_kit_reader *r, const releve_decode_args *args);
void releve_kit_reader_free(releve_kit_reader *r);

/* Reads the next line into r->line: 1, 0 at the end of input, or a negative
 * errno already reported to the host.
 *   - A UTF-8 BOM is skipped. UTF-16 BOMs, NUL bytes and the signatures of
 *     spreadsheets, archives and PDF files are refused (-EILSEQ/-EBADMSG).
 *   - Lines end with LF, CRLF or a lone CR; the end is not kept.
 *   - Encoding: with a BOM the file is UTF-8; without one, the first line
 *     holding a non-ASCII byte decides: valid UTF-8 means UTF-8, anything
 *     else means Windows-1252, converted to UTF-8 from then on. A line that
 *     is not valid UTF-8 in a UTF-8 file is converted from Windows-1252 too,
 *     with one warning in the log.
 *   - A line longer than RELEVE_KIT_MAX_LINE bytes is refused (-EBADMSG). */
int releve_kit_reader_next(releve_kit_reader *r);

/* ------------------------------------------------------------------------
 * csv -- records from lines
 * ------------------------------------------------------------------------ */

typedef struct releve_kit_csv {
  char sep;
  char *buf;             /* field bytes, each field NUL-terminated */
  size_t len, cap;
  size_t *start;         /* offset of each field in buf */
  char **field;          /* pointers, valid once a record is complete */
  size_t n;              /* fields in the record */
  size_t fcap;
  int state;             /* internal */
  size_t field_start;    /* offset where the current field began */
  unsigned long line;    /* line where the current record began */
  unsigned quote_column; /* field whose quote is still open */
} releve_kit_csv;

void releve_kit_csv_init(releve_kit_csv *csv, char sep);
void releve_kit_csv_free(releve_kit_csv *csv);

/* Guesses the separator of a header line: the most frequent of ';', ',' and
 * tab outside quotes; ';' when none appears. */
char releve_kit_csv_detect(const char *line);

/* Feeds one line. Returns 1 when a record is complete (csv->field[0..n-1],
 * csv->line), 0 when a quoted field goes on to the next line (the line end
 * becomes "\n" in the field), -E2BIG when the record passes
 * RELEVE_KIT_MAX_RECORD bytes, -EMSGSIZE when it passes
 * RELEVE_KIT_MAX_FIELDS fields.
 * Quotes follow RFC 4180 ("" inside quotes is one quote); leniently, a quote
 * inside an unquoted field is kept, text after a closing quote is appended,
 * and blanks before an opening quote are dropped. */
int releve_kit_csv_feed(releve_kit_csv *csv, const char *line, size_t len, unsigned long lineno);

/* 1 while a quoted field is open across lines. */
int releve_kit_csv_pending(const releve_kit_csv *csv);

/* Ends the record at the end of the line fed last although a quoted field
 * is still open: that field keeps the rest of the line, separators
 * included. For files whose records are one line each (the core's address
 * files), where a stray quote must not swallow the lines after it.
 * Returns 1 (a record, as from feed), 0 when no quoted field was open,
 * -E2BIG when the record is RELEVE_KIT_MAX_RECORD bytes already. */
int releve_kit_csv_end_line(releve_kit_csv *csv);

/* Makes a record of the texts of n cells (a workbook row), padded with
 * empty fields up to min: 1, or -ENOMEM. The record's line is lineno. */
int releve_kit_csv_set(releve_kit_csv *csv, const releve_cell *cells, size_t n, size_t min,
                       unsigned long lineno);

/* ------------------------------------------------------------------------
 * table -- a CSV file or a workbook sheet with a header line
 * ------------------------------------------------------------------------ */

/* A table's records come from CSV lines, or, when the host offers the
 * workbook services (plugin.h, ABI 1.1) and the file is an .xlsx or .ods
 * workbook, from the rows of one of its sheets: the sheet named by the
 * plugin's "sheet" option (RELEVE_KIT_SHEET_OPTION), else the first sheet
 * holding a recognised header. A record's line is then the row number and
 * its field i the cell of column i + 1; the host locates problems as
 * "Feuil1!E12". Rows shorter than the header are padded with empty fields;
 * a value right of the header's last column is a row error. */

enum {
  RELEVE_KIT_TABLE_HASH_COMMENTS = 1 /* skip lines whose first character is '#' */
};

typedef struct releve_kit_table {
  const releve_decode_args *args;
  releve_kit_reader reader;
  releve_kit_csv csv;
  unsigned flags;
  char sep;
  unsigned long header_line;
  size_t ncolumns;       /* header fields, trailing empty names dropped */
  char **raw;            /* header names as written (owned) */
  char **name;           /* header names normalised (owned) */
  char **field;          /* the current record, trimmed; n == ncolumns */
  size_t n;
  unsigned long line;    /* line where the current record began */
  unsigned long skipped_blank;
  releve_workbook *book; /* the file is a workbook read through the host */
  const char *sheet_wanted; /* the sheet to read (the "sheet" option), or NULL */
  const char *sheet_name;   /* the sheet being read */
} releve_kit_table;

/* Decides whether the candidate header in t (t->name, t->raw, t->ncolumns
 * are set) is the header: 1 yes, 0 no (a title line), negative to stop. */
typedef int (*releve_kit_table_is_header)(void *ud, const releve_kit_table *t);

/* Starts reading args: opens the workbook through the host when the file is
 * one (a refused workbook gives its negative value, already reported). */
int releve_kit_table_init(releve_kit_table *t, const releve_decode_args *args, unsigned flags);
void releve_kit_table_free(releve_kit_table *t);

/* Looks for the header among the first max_lines non-blank lines, each
 * split with its own guessed separator; the separator of the header is then
 * used for the whole file. In a workbook, among the first max_lines
 * non-blank rows of each sheet in turn (or of the sheet wanted only). Returns 0 when found; otherwise reports, in
 * French, "en-tête introuvable dans les N premières lignes non vides ;
 * <expected>" (or "le fichier est vide ; <expected>") and returns -EBADMSG.
 * expected says what the header should hold. */
int releve_kit_table_header(releve_kit_table *t, releve_kit_table_is_header is_header, void *ud,
                            unsigned max_lines, const char *expected);

/* The next data record: 1 (t->field, t->n, t->line), 0 at the end, or a
 * negative errno already reported. Blank records (every field blank) and,
 * with RELEVE_KIT_TABLE_HASH_COMMENTS, comment lines are skipped. Trailing
 * empty fields past the header are ignored; a record with another field
 * count is reported as a row error and skipped. A quoted field still open
 * at the end of the file is reported and gives -EBADMSG. */
int releve_kit_table_next(releve_kit_table *t);

/* Index of the header column whose normalised name is name, or -1. */
long releve_kit_table_find(const releve_kit_table *t, const char *name);

/* Index of the first of names (NULL-terminated) found in the header, or -1. */
long releve_kit_table_find_any(const releve_kit_table *t, const char *const *names);

/* ------------------------------------------------------------------------
 * cell -- numbers, markers, names
 * ------------------------------------------------------------------------ */

/* Parses a number written the French or the English way: optional sign
 * ('-', '+', U+2212), digits with optional thousands groups separated by a
 * space, NBSP or narrow NBSP ("1 234"), an optional decimal comma or point
 * ("1 234,5", "499.0"), an optional percent sign, possibly after a space
 * ("93,20%", "45 %": the value is 93.2 and 45, not divided). Surrounding
 * blanks are ignored. Exponents, several separators and empty digit runs
 * are refused. Returns 0 and sets *out, or -EINVAL. Locale-independent. */
int releve_kit_cell_number(const char *text, double *out);

/* Recognises a marker standing for a figure that is not given:
 *   RELEVE_CELL_SUPPRESSED for statistical secrecy: "s", "secret",
 *     "secret statistique", "nc", "n.c.", "non communiqué", "<5" and any
 *     "<N" or "< N";
 *   RELEVE_CELL_NOT_AVAILABLE: "nd", "n.d.", "n/d", "na", "n.a.",
 *     "non disponible", ".";
 *   RELEVE_CELL_EMPTY when text is no marker.
 * Case, accents and surrounding blanks are ignored. */
releve_cell_kind releve_kit_cell_marker(const char *text);

enum {
  RELEVE_KIT_CELL_BLANK_SECRET = 1, /* a blank cell is SUPPRESSED, not EMPTY */
  RELEVE_KIT_CELL_TEXT_OK = 2       /* what is no number is TEXT, not an error */
};

/* Types a figure: EMPTY when blank, SUPPRESSED or NOT_AVAILABLE for a
 * marker, NUMBER when it reads as a number, else TEXT with
 * RELEVE_KIT_CELL_TEXT_OK or -EINVAL without it. Sets cell->kind, ->number
 * and ->text (= text); cell->column is left alone. */
int releve_kit_cell_figure(releve_cell *cell, const char *text, unsigned flags);

/* Reads a date: "YYYY", "YYYY-MM", "YYYY-MM-DD" (a time after the day,
 * "T12:00:00Z" or " 12:00", is ignored), "MM/YYYY" or "DD/MM/YYYY". Parts not
 * written are set to 0. The year must lie in 1900..2199. Returns 0 or
 * -EINVAL. */
int releve_kit_cell_date(const char *text, int *year, int *month, int *day);

/* A value short enough to quote in a message: text itself, or its first
 * RELEVE_KIT_EXCERPT_MAX bytes cut at a character boundary and followed by
 * "…", written into out. */
#define RELEVE_KIT_EXCERPT_MAX 80
typedef struct releve_kit_excerpt {
  char text[RELEVE_KIT_EXCERPT_MAX + 4];
} releve_kit_excerpt;
const char *releve_kit_cell_excerpt(const char *text, releve_kit_excerpt *out);

/* 1 when text holds nothing but blanks (space, tab, NBSP, narrow NBSP). */
int releve_kit_cell_blank(const char *text);

/* Normalises a header name or a label for comparison: lower case, accents
 * removed (Latin-1 and Latin Extended-A letters, œ -> oe, æ -> ae,
 * ß -> ss), every run of other characters turned into one '_', no '_' at
 * either end. "Nom de l'établissment" -> "nom_de_l_etablissment",
 * "Part (%)" -> "part". Writes at most size bytes with the NUL; returns the
 * full length it needed. */
size_t releve_kit_cell_normalize(const char *text, char *out, size_t size);

/* The same, into a new string (NULL when out of memory). */
char *releve_kit_cell_normalize_dup(const char *text);

/* 1 when a and b are equal once normalised. */
int releve_kit_cell_same(const char *a, const char *b);

/* Trims blanks in place at both ends and turns every run of blanks inside
 * into one space ("Paris 12e  Arrondissement" -> "Paris 12e Arrondissement").
 * Returns text. */
char *releve_kit_cell_squeeze(char *text);

/* Trims blanks in place at both ends; returns the new start. */
char *releve_kit_cell_trim(char *text);

/* ------------------------------------------------------------------------
 * row -- building output rows and column lists
 * ------------------------------------------------------------------------ */

typedef struct releve_kit_names {
  char **v;
  size_t n, cap;
} releve_kit_names;

/* Appends a copy of name, made unique by a suffix "_2", "_3"... when it is
 * already in the list. Returns the index, or -ENOMEM. */
long releve_kit_names_add(releve_kit_names *names, const char *name);
long releve_kit_names_find(const releve_kit_names *names, const char *name);
/* Calls host->columns with the list. */
int releve_kit_names_emit(const releve_kit_names *names, const releve_decode_args *args);
void releve_kit_names_free(releve_kit_names *names);

typedef struct releve_kit_row {
  releve_cell *cells;
  size_t *copy;          /* for copied cells: offset in text + 1, else 0 */
  size_t n, cap;
  char *text;
  size_t tlen, tcap;
} releve_kit_row;

void releve_kit_row_reset(releve_kit_row *row);
void releve_kit_row_free(releve_kit_row *row);

/* Appends a cell whose text stays valid until the row is emitted. */
int releve_kit_row_add(releve_kit_row *row, releve_cell_kind kind, unsigned column,
                       const char *text);
/* Appends a typed cell (from releve_kit_cell_figure). */
int releve_kit_row_add_cell(releve_kit_row *row, const releve_cell *cell);
/* Appends a cell whose text is copied into the row. */
int releve_kit_row_add_copy(releve_kit_row *row, releve_cell_kind kind, unsigned column,
                            const char *text, size_t len);
/* Appends text as TEXT, or as EMPTY when it is blank. */
int releve_kit_row_add_field(releve_kit_row *row, unsigned column, const char *text);
/* Appends a NUMBER cell with its text. */
int releve_kit_row_add_number(releve_kit_row *row, unsigned column, const char *text,
                              double value);
/* Sends the row to host->row with its line and resets it. */
int releve_kit_row_emit(releve_kit_row *row, const releve_decode_args *args, unsigned long line);

/* ------------------------------------------------------------------------
 * decode -- the decode loop of a CSV plugin
 * ------------------------------------------------------------------------ */

/* What a CSV plugin says about its format; releve_kit_table_decode does the
 * rest (argument checks, header search, columns, the record loop, errors,
 * cleanup). ud is the plugin's per-call state. */
typedef struct releve_kit_format {
  const char *name;          /* the plugin's name, for the log */
  /* The plugin's option table (may be NULL); its entry named "sheet", when
   * there is one, names the workbook sheet to read. */
  const releve_option *options;
  unsigned flags;            /* RELEVE_KIT_TABLE_* */
  unsigned max_title_lines;  /* non-blank lines searched for the header */
  const char *expected;      /* French: what the header must hold */
  releve_kit_table_is_header is_header; /* ud is NULL when recognising */
  /* Once the header is known: checks it (reporting, in French, what is
   * missing) and fills names with the output columns. 0 or negative. */
  int (*begin)(void *ud, const releve_kit_table *t, releve_kit_names *names);
  /* One data record: fills row and returns 1 to emit it, 0 to drop it
   * (after reporting a row error if it is one), negative to stop. */
  int (*record)(void *ud, releve_kit_table *t, releve_kit_row *row);
  /* Always called last, with the value decode will return (may be NULL).
   * On success the kit has already logged, at info level, the rows emitted,
   * the header line, the separator and the blank records skipped. */
  void (*end)(void *ud, const releve_kit_table *t, int rc);
} releve_kit_format;

int releve_kit_table_decode(const releve_decode_args *args, const releve_kit_format *format,
                            void *ud);

/* The option entry every table plugin declares so that an actor can name
 * the sheet of its workbooks to read. */
#define RELEVE_KIT_SHEET_OPTION                                                            \
  {"sheet", RELEVE_OPT_STRING, NULL,                                                      \
   "workbook (.xlsx, .ods) sheet to read; default: the first sheet holding the header"}

/* ------------------------------------------------------------------------
 * recognise -- is a file's start in this format?
 * ------------------------------------------------------------------------ */

/* The length of head (n bytes, see RELEVE_PLUGIN_HEAD_MAX) holding only
 * whole lines: n when head is the whole file, else up to its last '\n'. */
size_t releve_kit_head_lines(const unsigned char *head, size_t n);

/* recognise() for a CSV plugin: 100 when format's header is found in the
 * whole lines of head the way decode would find it (same title-line limit,
 * encodings, separators; format->is_header is called with ud NULL), else 0.
 * Reports nothing, keeps nothing. */
int releve_kit_table_recognise(const unsigned char *head, size_t n,
                               const releve_kit_format *format);

/* Defines static int fn(head, n, file_name), a plugin's recognise() made of
 * releve_kit_table_recognise over its format (a releve_kit_format object). */
#define RELEVE_KIT_TABLE_RECOGNISER(fn, format)                                        \
  static int fn(const unsigned char *head, size_t n, const char *file_name) {          \
    (void)file_name;                                                                   \
    return releve_kit_table_recognise(head, n, &(format));                             \
  }

/* Counts of dropped records by reason, logged once at the end. labels is
 * a NULL-terminated list of English reasons ("abroad (99999)"), at most
 * RELEVE_KIT_TALLY_MAX; count[k] goes with labels[k]. */
#define RELEVE_KIT_TALLY_MAX 16
typedef struct releve_kit_tally {
  const char *const *labels;
  unsigned long count[RELEVE_KIT_TALLY_MAX];
} releve_kit_tally;

/* Counts one record dropped for reason; returns 0, which is what a format's
 * record() returns for a dropped record. */
int releve_kit_tally_drop(releve_kit_tally *tally, size_t reason);

/* Reports a row error on column at of the current record (its value goes
 * to the host as the value): "<what> « value » illisible ; <expected>", or
 * with what NULL "valeur « value » illisible dans la colonne « name » ;
 * <expected>", values and names quoted through releve_kit_cell_excerpt.
 * Counts the record dropped for reason and returns 0, or the host's stop. */
int releve_kit_table_reject(const releve_kit_table *t, long at, releve_kit_tally *tally,
                            size_t reason, const char *what, const char *expected);

/* Logs "<plugin>: N rows dropped: a reason, b reason" at info level, naming
 * only the reasons that occurred; nothing when nothing was dropped. */
void releve_kit_tally_log(const releve_kit_tally *tally, const releve_decode_args *args,
                          const char *plugin);

/* Reports that the header lacks the n columns named in missing (n > 0):
 * "colonne(s) manquante(s) dans l'en-tête : « a », « b » ; <expected>".
 * Returns -EBADMSG or the host's stop. */
int releve_kit_table_missing(const releve_kit_table *t, const char *const *missing, size_t n,
                             const char *expected);

/* A header name and the output name it takes; a table ends with from NULL. */
typedef struct releve_kit_rename {
  const char *from, *to;
} releve_kit_rename;

/* Adds one output name per header column, in order, so that names->v[i]
 * names header column i: the normalised name, or its "to" in renames (may
 * be NULL). A name listed in reserved (NULL-terminated, may be NULL) is the
 * name of a column the plugin derives, so the file's column gets "_source"
 * appended. Duplicates get "_2", "_3"... */
int releve_kit_table_names(const releve_kit_table *t, releve_kit_names *names,
                           const char *const *reserved, const releve_kit_rename *renames);

/* ------------------------------------------------------------------------
 * json -- streaming tokens, bounded record trees
 * ------------------------------------------------------------------------ */

typedef enum releve_kit_json_type {
  RELEVE_KIT_JSON_NONE = 0,
  RELEVE_KIT_JSON_OBJECT,  /* '{' as a token */
  RELEVE_KIT_JSON_ARRAY,   /* '[' as a token */
  RELEVE_KIT_JSON_END,     /* '}' or ']' as a token */
  RELEVE_KIT_JSON_STRING,
  RELEVE_KIT_JSON_NUMBER,
  RELEVE_KIT_JSON_TRUE,
  RELEVE_KIT_JSON_FALSE,
  RELEVE_KIT_JSON_NULL,
  RELEVE_KIT_JSON_EOF
} releve_kit_json_type;

typedef struct releve_kit_json_node releve_kit_json_node;
struct releve_kit_json_node {
  releve_kit_json_type type;   /* OBJECT, ARRAY or a scalar */
  const char *key;             /* member name inside an object, else NULL */
  const char *text;            /* STRING (decoded, UTF-8) or NUMBER as written */
  releve_kit_json_node *child; /* first member or element */
  releve_kit_json_node *next;  /* next sibling */
  size_t count;                /* members or elements */
  unsigned long line;          /* where the value starts */
  unsigned column;
};

typedef struct releve_kit_json_block releve_kit_json_block;

typedef struct releve_kit_json {
  releve_kit_source src;
  unsigned long line;          /* position of the next byte */
  unsigned column;
  unsigned depth;              /* open objects and arrays */
  /* the last token */
  releve_kit_json_type type;
  char *text;                  /* its decoded string or number */
  size_t text_len, text_cap;
  unsigned long tok_line;
  unsigned tok_column;
  int started;
  int state;                   /* internal: what the grammar expects next */
  unsigned char *ctx;          /* internal: per-level state, depth cap */
  size_t record_bytes;         /* arena bytes used by the current tree */
  releve_kit_json_block *blocks;
  releve_kit_json_block *cur;
  int overflow;                /* internal: 1 tree too big, 2 out of memory */
} releve_kit_json;

int releve_kit_json_init(releve_kit_json *j, const releve_decode_args *args);
void releve_kit_json_free(releve_kit_json *j);

/* Reads the next token (skipping ':' and ',' once checked): 1 with j->type,
 * j->text, j->tok_line/tok_column set; object keys come as STRING tokens.
 * At the end of input the type is EOF. Syntax errors, a nesting deeper than
 * RELEVE_KIT_MAX_DEPTH, a string longer than RELEVE_KIT_MAX_RECORD and text
 * that is not UTF-8 are reported in French with their line and column (never
 * with the text, which may be personal data), and give -EBADMSG. A UTF-8 BOM
 * is skipped. */
int releve_kit_json_next(releve_kit_json *j);

/* Skips the value whose first token was just read (nothing is kept). */
int releve_kit_json_skip(releve_kit_json *j);

/* Builds the tree of the value whose first token was just read. Memory for
 * the tree is reused by the next call. When the value needs more than
 * RELEVE_KIT_MAX_RECORD bytes it is still read to its end, *out is NULL and
 * -E2BIG is returned (not reported: the caller words it). Other failures
 * are reported. Records may hold personal data, so the tree's memory is
 * wiped before it is reused and when it is freed. */
int releve_kit_json_tree(releve_kit_json *j, releve_kit_json_node **out);

/* The member named key of an object node, or NULL (also when object is
 * NULL or not an object, so lookups can be chained). */
const releve_kit_json_node *releve_kit_json_get(const releve_kit_json_node *object,
                                                const char *key);

#endif /* RELEVE_KIT_H */
