/* spool.h -- the per-actor drop folders:
 *
 *   SPOOL/<actor>/incoming/    partners put complete files here (rename in)
 *   SPOOL/<actor>/processing/  claimed by rename(), being decoded and stored
 *   SPOOL/<actor>/archive/     committed, with their report beside them
 *   SPOOL/<actor>/rejected/    refused, with their report; nothing stored
 *
 * Files are never deleted: they move from one folder to the next. The one
 * exception is a source carrying personal data (privacy.h): its file never
 * reaches archive/ or rejected/, where only its report goes; it is deleted
 * once its outcome is committed, or kept keep_days in
 *
 *   SPOOL/<actor>/personal/    mode 0700, the daemon's user only
 *
 * This file names the folders and lists them; moving a file from one to
 * the next is claim.h's. */
#ifndef RELEVE_SPOOL_H
#define RELEVE_SPOOL_H

#include <time.h>

#include "config/config.h"

enum releve_spool_dir { RELEVE_SPOOL_INCOMING, RELEVE_SPOOL_PROCESSING, RELEVE_SPOOL_ARCHIVE,
                        RELEVE_SPOOL_REJECTED };

/* SPOOL/<actor>/<dir>, malloc'ed. */
char *releve_spool_path(const releve_config *cfg, const char *actor, enum releve_spool_dir d);
/* Creates every actor's four folders: incoming/ with the configured mode
 * and group (partners write there), the others 0750. */
int releve_spool_prepare(const releve_config *cfg);
/* The upload names (releve_name_ignored(), util/name.h) of the actor's incoming/
 * untouched for stale_upload_hours at now: an upload that was interrupted
 * and will never be renamed, so never read. NULL-ended, malloc'ed (free
 * with releve_spool_names_free); *names NULL when there is none. Returns 0
 * or a negative errno value. */
int releve_spool_stale_uploads(const releve_config *cfg, const char *actor, time_t now,
                               char ***names, size_t *n);

/* The names in dir (no "." or ".."), sorted, as a NULL-ended malloc'ed
 * array (free with releve_spool_names_free). Returns 0 or a negative errno. */
int releve_spool_list(const char *dir, char ***names, size_t *n);
void releve_spool_names_free(char **names);
/* How many files of the actor wait in d (incoming/ or processing/), names
 * being uploaded left out: 0 when the folder does not exist yet, else a
 * negative errno value. */
int releve_spool_waiting(const releve_config *cfg, const char *actor, enum releve_spool_dir d);

/* Takes the spool tree for this process: an exclusive flock(2) on
 * SPOOL/.releved.lock, which then holds this process's pid. Two daemons
 * serving one spool tree would each take the files the other has in
 * processing/ for a crash's leftovers and read them a second time, and
 * move them under each other's feet: the second is refused. Returns 0
 * with *fd open until the process ends (or closed by the caller),
 * -EBUSY with the holder's pid in *holder (0 when unreadable), or
 * another negative errno value. */
int releve_spool_lock(const releve_config *cfg, int *fd, long *holder);

/* SPOOL/<actor>/personal, malloc'ed. */
char *releve_spool_personal_path(const releve_config *cfg, const char *actor);
/* Deletes the files of personal_dir older than keep_days days. Returns the
 * number deleted, or a negative errno value. */
int releve_spool_prune_personal(const char *personal_dir, int keep_days);

#endif
