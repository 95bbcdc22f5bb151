/*
 * releve/plugin.h -- the source plugin ABI of relevé.
 *
 * NAME
 *   releve-plugin - decode one partner's export format into rows of typed cells
 *
 * SYNOPSIS
 *   #include <releve/plugin.h>
 *
 *   RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void);
 *
 * DESCRIPTION
 *   A source plugin is a shared object placed in the configured plugin
 *   folder. It knows one partner's file format and nothing else: encodings,
 *   byte-order marks, title and footnote lines, header variants, decimal
 *   commas, secrecy markers, summary rows. It turns a file into rows of typed
 *   cells, each with its line number. The host (the relevé core) then maps
 *   rows to observations, validates them against the référentiel and stores
 *   them; the plugin never sees the database, the configuration file or the
 *   référentiel.
 *
 *   The host calls the single exported symbol RELEVE_PLUGIN_ENTRY
 *   ("releve_plugin_entry_v1") once after dlopen(RTLD_NOW|RTLD_LOCAL). It
 *   must return a pointer to a descriptor with static storage duration.
 *
 *   A plugin that decodes person-level records sets
 *   RELEVE_PLUGIN_PERSONAL_DATA in flags (ABI 1.2, after format): see
 *   PERSONAL DATA below.
 *
 *   The host refuses the plugin, with one log line, when:
 *     - abi_major differs from RELEVE_PLUGIN_ABI_MAJOR;
 *     - struct_size is smaller than RELEVE_PLUGIN_MIN_SIZE (the host never
 *       reads past struct_size: fields are only ever appended);
 *     - name is missing, not made of [a-z0-9-], or already taken;
 *     - decode is NULL, or the option table is malformed.
 *
 *   Plugins must not link against the daemon, libuv, jansson or SQLite; this
 *   header exposes no third-party type. Build with -fvisibility=hidden and
 *   export only the entry symbol (RELEVE_PLUGIN_EXPORT does that).
 *
 * OPTIONS
 *   A plugin declares its options as a table of releve_option, ended by an
 *   entry whose name is NULL. The host checks an actor's "options" object
 *   against it before any file is decoded: unknown keys are refused with the
 *   list of allowed ones, and values must have the declared type. The decode
 *   call receives one releve_option_value per table entry, in table order,
 *   holding the configured value or the default.
 *
 * DECODING
 *   decode() reads the whole input through args->read and reports what it
 *   finds through the host services:
 *     - columns(): the column names, once, before the first row (for formats
 *       without a header the plugin names its columns itself);
 *     - row(): one row of cells; the cell array and its strings are only
 *       valid during the call (the host copies what it keeps);
 *     - error(): a problem with one line/column, worded in French for the
 *       partner (it goes into the partner's report verbatim, after the
 *       location), e.g. "valeur « 12,5,3 » illisible : un nombre est attendu";
 *     - log(): an English message for the administrator.
 *   A row-level error does not stop decoding: report it and go on, so that
 *   the partner learns every problem at once. decode() returns 0 when the
 *   input was read to its end (even with row errors), or a negative errno
 *   value when the file cannot be decoded at all (-EILSEQ bad encoding,
 *   -EBADMSG unrecognised layout, -EIO read failure, -ENOMEM, -ECANCELED when
 *   a host service asked to stop); in that case the plugin should first call
 *   error() with line 0 to say why, in French.
 *   A host service returning a negative value asks the plugin to stop and
 *   return that value.
 *
 * RECOGNISING A FILE (ABI 1.1)
 *   An actor may send files in several formats: its own export and, always,
 *   the référentiel's collection table. For each file the host asks the
 *   actor's plugins, in the actor's order, whether they recognise it:
 *   recognise() gets the first bytes of the file (head, n bytes: the whole
 *   file when n < RELEVE_PLUGIN_HEAD_MAX, else its first
 *   RELEVE_PLUGIN_HEAD_MAX bytes, the last line possibly cut) and its base
 *   name. It looks for what only its format has (a header line holding its
 *   column names, a JSON document's first key) and returns:
 *     - 0 when the file is not in its format;
 *     - a positive confidence up to 100 when it is (100: its own header was
 *       found; lower: the file merely looks like it could be);
 *     - never a negative value, never a host service call: it must not
 *       allocate more than a few kilobytes, read anything else or keep
 *       state. The host calls it in the supervised child that decodes,
 *       never in the daemon's process: one that crashes, loops or
 *       allocates without end costs the file it judges (refused with a
 *       report naming the plugin), not the daemon.
 *   The host decodes the file with the first plugin, in the actor's order,
 *   that recognises it (the confidence only goes into the log), and refuses
 *   a file that none recognises with a report naming the formats the actor
 *   can send (the plugins' format texts). A descriptor too short to hold
 *   recognise (ABI 1.0), or whose recognise is NULL, is taken to recognise
 *   every file, as before readers were chosen.
 *   format is a short French name of the format for partners' reports
 *   ("export open data de la CAF (CSV)"); NULL: the host uses name.
 *
 * WORKBOOKS (ABI 1.1)
 *   A partner may send a spreadsheet (.xlsx, .ods) instead of a CSV file.
 *   The host reads workbooks itself (a zip archive of XML parts, which a
 *   plugin cannot parse with libc alone) and offers their rows through four
 *   services appended to releve_host_services. A plugin uses them only when
 *   host->struct_size >= RELEVE_HOST_WORKBOOK_SIZE (an older host has none):
 *     - workbook_open(): 1 and *book when the file is a workbook: the plugin
 *       then reads it only through the services below, never args->read;
 *       0 when it is not one: args->read yields the file from its start, as
 *       before; negative when it is a workbook that cannot be read or a
 *       format that is refused (old .xls, encrypted, damaged, over the
 *       limits): the reason was already reported (error() with line 0).
 *     - workbook_sheet(): starts reading sheet index (0-based, in the
 *       workbook's order) and gives its name: 1, 0 past the last sheet, or
 *       negative. From then on the host reports the line numbers given to
 *       row() and error() as rows of that sheet, with the column as a
 *       letter: "Feuil1!E12".
 *     - workbook_row(): the next row of the sheet that holds a value: 1, 0
 *       at the end of the sheet, or negative (reported). Empty rows are
 *       skipped, hidden rows kept, a merged range gives its value to every
 *       cell it covers, a formula gives its cached value (one without is
 *       reported as a row error and read as EMPTY). Cells are TEXT or
 *       NUMBER or EMPTY; text is the cell as the host spells it for the kit:
 *       numbers in plain decimal notation with a decimal comma ("1234,5"),
 *       dates as "YYYY-MM-DD" (TEXT), percentages as their figure (a cell
 *       showing 93,20 % -> 93.2).
 *     - workbook_close(): gives the workbook back (book may be NULL).
 *   To choose a workbook's reader, the host gives recognise(), sheet by
 *   sheet, the sheet's first rows written as CSV lines (';'-separated,
 *   RFC 4180 quotes) instead of the archive's bytes: a plugin recognises a
 *   workbook when it recognises one of its sheets; a workbook the host
 *   cannot read is refused with its reason before any plugin is asked.
 * PERSONAL DATA (ABI 1.2)
 *   A descriptor whose struct_size covers flags and sets
 *   RELEVE_PLUGIN_PERSONAL_DATA declares that its rows are people. The
 *   host enforces the privacy rules on every file of every actor using the
 *   plugin, even when the actor lacks "personal_data": true (which
 *   check-config then reports as an error). Such a plugin still passes
 *   values to error() only when they identify nobody; the host drops them
 *   from reports anyway. A descriptor built against an older ABI
 *   (smaller struct_size) has no flags: the host reads 0.
 *
 * MEMORY AND STREAMING
 *   Files can hold millions of rows: read in chunks, keep at most one row in
 *   memory, and never allocate in proportion to the file size.
 *
 * THREADS
 *   decode() may run in a child process or a worker thread; it must not keep
 *   global mutable state between calls.
 */
#ifndef RELEVE_PLUGIN_H
#define RELEVE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RELEVE_PLUGIN_ABI_MAJOR 1
#define RELEVE_PLUGIN_ENTRY "releve_plugin_entry_v1"

#if defined(__GNUC__)
#define RELEVE_PLUGIN_EXPORT __attribute__((visibility("default")))
#define RELEVE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RELEVE_PLUGIN_EXPORT
#define RELEVE_PRINTF(a, b)
#endif

/* What a cell holds. */
typedef enum releve_cell_kind {
  RELEVE_CELL_EMPTY = 0,        /* nothing written: a missing figure, never 0 */
  RELEVE_CELL_TEXT = 1,         /* text (codes, labels, dates as written) */
  RELEVE_CELL_NUMBER = 2,       /* a number, already decoded ("93,20%" -> 93.2) */
  RELEVE_CELL_SUPPRESSED = 3,   /* blanked for statistical secrecy ("s", "<5") */
  RELEVE_CELL_NOT_AVAILABLE = 4 /* the partner says it has no figure ("nd") */
} releve_cell_kind;

/* One cell. text always points to the cell as written (UTF-8, NUL-terminated,
 * possibly ""), whatever the kind; number is set for RELEVE_CELL_NUMBER. */
typedef struct releve_cell {
  releve_cell_kind kind;
  const char *text;
  double number;
  unsigned column; /* 1-based column in the source line */
} releve_cell;

/* Log levels, syslog numbering. */
enum { RELEVE_LOG_ERR = 3, RELEVE_LOG_WARNING = 4, RELEVE_LOG_INFO = 6, RELEVE_LOG_DEBUG = 7 };

/* A workbook the host is reading (opaque; see WORKBOOKS). */
typedef struct releve_workbook releve_workbook;

/* One row of a sheet: its 1-based number in the sheet and its cells,
 * cells[i].column == i + 1, up to the last cell holding a value. Valid
 * until the next call on the workbook. */
typedef struct releve_workbook_row {
  unsigned long row;
  const releve_cell *cells;
  size_t n;
} releve_workbook_row;

/* Services the host offers during decode(). ctx is args->host_ctx. */
typedef struct releve_host_services {
  size_t struct_size;
  int (*columns)(void *ctx, const char *const *names, size_t n);
  int (*row)(void *ctx, unsigned long line, const releve_cell *cells, size_t n);
  int (*error)(void *ctx, unsigned long line, unsigned column, const char *value,
               const char *fmt, ...) RELEVE_PRINTF(5, 6);
  void (*log)(void *ctx, int level, const char *fmt, ...) RELEVE_PRINTF(3, 4);
  /* ABI 1.1: workbooks (see WORKBOOKS). */
  int (*workbook_open)(void *ctx, releve_workbook **book);
  int (*workbook_sheet)(void *ctx, releve_workbook *book, size_t index, const char **name);
  int (*workbook_row)(void *ctx, releve_workbook *book, releve_workbook_row *row);
  void (*workbook_close)(void *ctx, releve_workbook *book);
} releve_host_services;

/* The smallest struct_size of a host that offers the workbook services. */
#define RELEVE_HOST_WORKBOOK_SIZE \
  (offsetof(releve_host_services, workbook_close) + sizeof(void (*)(void *, releve_workbook *)))

typedef enum releve_option_type {
  RELEVE_OPT_STRING = 1,
  RELEVE_OPT_INT = 2,
  RELEVE_OPT_BOOL = 3
} releve_option_type;

/* One declared option; a table ends with name == NULL. default_value is
 * written as it would be in the configuration ("true", "12", "cp1252"), or
 * NULL for "no default" (the option is then optional and unset). */
typedef struct releve_option {
  const char *name;
  releve_option_type type;
  const char *default_value;
  const char *help;
} releve_option;

typedef struct releve_option_value {
  int is_set;       /* 0 when neither configured nor defaulted */
  const char *str;  /* RELEVE_OPT_STRING */
  long long num;    /* RELEVE_OPT_INT */
  int flag;         /* RELEVE_OPT_BOOL */
} releve_option_value;

/* Arguments of one decode() call. */
typedef struct releve_decode_args {
  size_t struct_size;
  const releve_host_services *host;
  void *host_ctx;
  /* Reads up to n bytes; returns the count, 0 at end of input, or a negative
   * errno value. */
  ssize_t (*read)(void *host_ctx, void *buf, size_t n);
  const char *file_name;              /* base name, for messages only */
  const releve_option_value *options; /* one per option table entry */
} releve_decode_args;

typedef struct releve_plugin {
  uint32_t abi_major;  /* RELEVE_PLUGIN_ABI_MAJOR */
  uint32_t struct_size; /* sizeof(releve_plugin) as the plugin was built */
  const char *name;        /* [a-z0-9-]+, unique in the plugin folder */
  const char *version;
  const char *description; /* one line, English */
  const releve_option *options; /* may be NULL */
  int (*decode)(const releve_decode_args *args);
  /* ABI 1.1, appended: see RECOGNISING A FILE. Both may be NULL. */
  int (*recognise)(const unsigned char *head, size_t n, const char *file_name);
  const char *format; /* French, for partners: the format's usual name */
  /* ABI 1.2, appended: see PERSONAL DATA. */
  uint32_t flags; /* RELEVE_PLUGIN_* below, or 0 */
} releve_plugin;

/* flags: the plugin decodes person-level records (one row per person,
 * names, addresses, identifiers). The host then treats every file this
 * plugin reads as personal data, whatever the configuration says (rows in
 * memory only, the file deleted or kept 0700, reports by line number,
 * nothing personal stored or logged), and `releve check-config` is an
 * error for an actor using it without "personal_data": true. */
#define RELEVE_PLUGIN_PERSONAL_DATA 0x1u

/* The most bytes of a file's start given to recognise(). */
#define RELEVE_PLUGIN_HEAD_MAX 65536

/* Whether descriptor d, as its plugin was built, holds field (a field
 * appended after ABI 1.0). The host reads such a field only when this is
 * true, so plugins built against an older header keep working. */
#define RELEVE_PLUGIN_HAS(d, field)                                                   \
  ((d)->struct_size >= offsetof(releve_plugin, field) + sizeof((d)->field))

/* The smallest descriptor the host accepts (ABI 1.0). */
#define RELEVE_PLUGIN_MIN_SIZE \
  (offsetof(releve_plugin, decode) + sizeof(int (*)(const releve_decode_args *)))

typedef const releve_plugin *(*releve_plugin_entry_fn)(void);

/* What each plugin defines and exports (declared here so that plugins built
 * with -Wmissing-prototypes need no declaration of their own). */
RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void);

#ifdef __cplusplus
}
#endif
#endif /* RELEVE_PLUGIN_H */
