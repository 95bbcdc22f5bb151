/* spool.h -- the per-actor drop folders:
 *
 *   SPOOL/<actor>/incoming/    partners put complete files here (rename in)
 *   SPOOL/<actor>/processing/  claimed by rename(), being decoded and stored
 *   SPOOL/<actor>/archive/     committed, with their report beside them
 *   SPOOL/<actor>/rejected/    refused, with their report; nothing stored
 *
 * Files are never deleted: they move from one folder to the next. */
#ifndef RELEVE_SPOOL_H
#define RELEVE_SPOOL_H

#include "config.h"

enum releve_spool_dir { RELEVE_SPOOL_INCOMING, RELEVE_SPOOL_PROCESSING, RELEVE_SPOOL_ARCHIVE,
                        RELEVE_SPOOL_REJECTED };

/* SPOOL/<actor>/<dir>, malloc'ed. */
char *releve_spool_path(const releve_config *cfg, const char *actor, enum releve_spool_dir d);
/* Creates every actor's four folders: incoming/ with the configured mode
 * and group (partners write there), the others 0750. */
int releve_spool_prepare(const releve_config *cfg);
/* Names a partner may be uploading to, which are never taken: dot files,
 * *.part, *.filepart, *.tmp. */
int releve_spool_ignored_name(const char *name);

#endif
