/* rowpipe.h -- what a decoding child reports, framed over a pipe to the
 * parent (the only database writer).
 *
 * Every frame is a 4-byte length (of what follows), a 1-byte type and a
 * payload; integers are in host byte order (both ends are the same binary
 * on the same machine), strings are a 4-byte length, their bytes and a NUL (not counted):
 *
 *   COLUMNS  u32 n, n strings
 *   ROW      u64 line, u32 n, n cells (u8 kind, u32 column, f64 number, string text)
 *   ERROR    u64 line, u32 column, u8 has_value, string value, string message
 *   LOG      u8 level, string message
 *   SHEET    string name: the workbook sheet the next rows and errors are in
 *   PROBE    string plugin: its recognise() is about to judge the file
 *   CHOICE   string plugin ("" when none), u8 primary, u8 forced,
 *            u32 confidence, u32 n, n strings (the others that recognised
 *            it), string why (the French refusal, "" when a plugin reads
 *            it): the reader chosen in the child, once, before any row
 *   END      i32 decode() return value; nothing may follow
 *
 * The writer (child side) provides releve_host_services that encode calls
 * into a buffer flushed to the pipe; the reader (parent side) decodes
 * frames from whatever chunks the pipe yields and calls the same services
 * on the ingest. The parent trusts nothing: a frame longer than
 * RELEVE_ROWPIPE_MAX_FRAME or malformed ends the stream with -EBADMSG. */
#ifndef RELEVE_ROWPIPE_H
#define RELEVE_ROWPIPE_H

#include <stddef.h>

#include "decode/reader.h"
#include "decode/workbook_host.h"
#include "releve/plugin.h"
#include "util/buf.h"

#define RELEVE_ROWPIPE_MAX_FRAME (16u << 20)

/* Child side. */
typedef struct releve_rowpipe_writer {
  int fd;
  int failed; /* a negative errno value once a write failed */
  releve_buf buf;
  releve_workbook_host book; /* the file, when the plugin reads it as a workbook */
} releve_rowpipe_writer;

/* Sets up a writer to the pipe out for the decoding of the file open on
 * file (whose workbook, if it is one, is read in this process). */
void releve_rowpipe_writer_init(releve_rowpipe_writer *w, int out, int file);

/* The services to hand to the plugin, with a releve_rowpipe_writer* as ctx. */
const releve_host_services *releve_rowpipe_writer_services(void);
/* Writes a SHEET frame (ctx: the writer): the rows that follow are in
 * sheet name. Returns 0 or a negative errno value. */
int releve_rowpipe_writer_sheet(void *ctx, const char *name);
/* Writes a PROBE frame and flushes: plugin's recognise() runs next.
 * Returns 0 or a negative errno value. */
int releve_rowpipe_writer_probe(releve_rowpipe_writer *w, const char *plugin);
/* Writes the CHOICE frame for c (or, with why not NULL, for a file no
 * plugin reads) and flushes. Returns 0 or a negative errno value. */
int releve_rowpipe_writer_choice(releve_rowpipe_writer *w, const releve_reader_choice *c,
                                 const char *why);
/* Writes out what is buffered; returns 0 or a negative errno value. */
int releve_rowpipe_writer_flush(releve_rowpipe_writer *w);
/* Writes the END frame and flushes; returns 0 or a negative errno value. */
int releve_rowpipe_writer_end(releve_rowpipe_writer *w, int decode_rc);
void releve_rowpipe_writer_free(releve_rowpipe_writer *w);

/* Parent side. */

/* A CHOICE frame's content, borrowed from the frame: the plugin's name
 * (NULL with why), the flags of releve_reader_choice, why (NULL when a
 * plugin reads the file). */
typedef struct releve_rowpipe_choice {
  const char *plugin;
  int primary, forced, confidence;
  const char *others[RELEVE_READER_MAX];
  size_t n_others;
  const char *why;
} releve_rowpipe_choice;

typedef struct releve_rowpipe_reader {
  releve_buf buf;  /* bytes not yet decoded */
  size_t off;      /* start of the first undecoded frame in buf */
  int ended;       /* the END frame was seen */
  int decode_rc;   /* its value */
  /* Called with ctx for a SHEET frame (may be NULL); a negative value stops
   * the stream like a service's. */
  int (*sheet)(void *ctx, const char *name);
  /* Called with choice_ctx for a PROBE and the CHOICE frame (may be NULL);
   * a negative value stops the stream. A PROBE after the CHOICE, or a
   * second CHOICE, is a malformed stream. */
  int (*probe)(void *choice_ctx, const char *plugin);
  int (*choice)(void *choice_ctx, const releve_rowpipe_choice *c);
  void *choice_ctx;
  int chosen; /* the CHOICE frame was seen */
} releve_rowpipe_reader;

/* Decodes every complete frame of data (appended to what was left over) and
 * calls host with ctx for each. Returns 0; a negative value returned by a
 * service (the ingest asks to stop); -EBADMSG for a malformed stream (data
 * after END included); -ENOMEM. */
int releve_rowpipe_reader_feed(releve_rowpipe_reader *r, const void *data, size_t len,
                               const releve_host_services *host, void *ctx);
/* Whether bytes of an incomplete frame are pending. */
int releve_rowpipe_reader_partial(const releve_rowpipe_reader *r);
void releve_rowpipe_reader_free(releve_rowpipe_reader *r);

#endif
