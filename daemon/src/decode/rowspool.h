/* rowspool.h -- what a plugin reported while decoding one file, kept
 * until the database can take it in one short transaction.
 *
 * Decoding can take minutes (a large file, a slow or hung plugin); the
 * database's write lock cannot be held that long, or `releve ingest`,
 * `releve remind` and every other actor would wait on it ("database is
 * locked"). So nothing is written while the plugin runs: its calls are
 * encoded as rowpipe frames (rowpipe.h) into an unlinked temporary file
 * in a given folder (the database's, which the daemon may write), through
 * the writer's 64 KiB buffer: memory stays flat whatever the file's size.
 * Once decoding is over, the ingest opens its transaction and the frames
 * are replayed into it (ingest.h).
 *
 *   releve_rowspool_open()       the temporary file
 *   releve_rowspool_services()   hand these to the plugin (or to the
 *                                supervisor that relays a child's frames),
 *                                with the spool as ctx
 *   releve_rowspool_replay()     every frame, in order, to other services
 *   releve_rowspool_close()      the file goes away with its descriptor */
#ifndef RELEVE_ROWSPOOL_H
#define RELEVE_ROWSPOOL_H

#include "decode/rowpipe.h"

typedef struct releve_rowspool {
  releve_rowpipe_writer w; /* first: the services take the spool as a writer */
} releve_rowspool;

/* Opens an unlinked temporary file in dir for the frames a decoding child
 * relays (the child reads the partner's file, workbooks included). Returns
 * 0 or a negative errno value (nothing to close then). */
int releve_rowspool_open(releve_rowspool *s, const char *dir);
/* The services that append to the spool (ctx: the releve_rowspool*). They
 * return a negative errno value once writing failed (a full disk): the
 * file's decoding is then a system failure, not the partner's. */
const releve_host_services *releve_rowspool_services(void);
/* Notes that the rows that follow are in workbook sheet name (ctx: the
 * spool), for a supervisor's sheet callback. 0 or a negative errno value. */
int releve_rowspool_sheet(void *ctx, const char *name);
/* A negative errno value when writing to the spool failed, else 0. */
int releve_rowspool_failed(const releve_rowspool *s);
/* Calls host (and sheet, for the sheet names) with ctx for every frame
 * spooled, in order, until one returns non-zero (it asks to stop):
 * *stopped gets that value, else 0. Returns 0, or a negative errno value
 * when the spool could not be read back (-EBADMSG: damaged), which is a
 * system failure. */
int releve_rowspool_replay(releve_rowspool *s, const releve_host_services *host,
                           int (*sheet)(void *ctx, const char *name), void *ctx, int *stopped);
void releve_rowspool_close(releve_rowspool *s);

#endif
