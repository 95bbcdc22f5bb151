/* claim.h -- taking a partner's file out of incoming/, deciding whether
 * it may be read at all, and settling it with its report once its outcome
 * is committed: every move of a file between the spool's folders.
 *
 * The daemon claims a name by rename() into processing/ first and inspects
 * it there, where partners cannot write: checking in incoming/ and renaming
 * afterwards would leave a window in which the partner swaps the checked
 * file for a symbolic link. rename() moves a symbolic link itself, never
 * what it points to. A file is readable when it is a regular file with a
 * single link: a symbolic link, a FIFO, a device, a socket or a folder is
 * refused, and so is a hard-linked file (it could be another user's file
 * linked into the spool). FIFOs and devices are never opened.
 *
 * Moves never replace an existing file: when the name is taken in the
 * target folder, its variants are used (name.h, "name~2.ext"…): names up
 * to NAME_MAX come in, and archive/ needs room for "<name>.rapport.txt"
 * and its temporary name. */

#include <stddef.h>
#ifndef RELEVE_CLAIM_H
#define RELEVE_CLAIM_H

typedef enum releve_claim_kind {
  RELEVE_CLAIM_REGULAR = 0, /* a regular file with one link: may be ingested */
  RELEVE_CLAIM_SYMLINK,
  RELEVE_CLAIM_NOT_REGULAR,
  RELEVE_CLAIM_LINKS
} releve_claim_kind;

/* Moves from_dir/name into to_dir without replacing anything there;
 * *final_name (malloc'ed) gets the name used. Returns 0, -ENOENT when the
 * file is gone (someone else took it), or another negative errno value. */
int releve_claim_move(const char *from_dir, const char *name, const char *to_dir,
                      char **final_name);

/* Called with the name chosen in to_dir before the file is moved there
 * (its report is written first, see spool.h); a non-zero return (a
 * negative errno value) stops the move. */
typedef int (*releve_claim_before_fn)(void *ud, const char *to_dir, const char *target);

/* releve_claim_move() under the name as (NULL: name) and its variants, of
 * at most max_len bytes and, when before is not NULL, with a call to it
 * before each rename() is tried: names already taken in to_dir are skipped
 * without a call. Returns as releve_claim_move(), or what before returned. */
int releve_claim_move_as(const char *from_dir, const char *name, const char *to_dir,
                         const char *as, size_t max_len, releve_claim_before_fn before,
                         void *ud, char **final_name);

/* Inspects dir/name without following links or opening anything but a
 * regular file. Returns a releve_claim_kind (>= 0) or a negative errno. */
int releve_claim_check(const char *dir, const char *name);

/* The French reason given to the partner for a refused kind
 * ("refusé : lien symbolique"…), or NULL for RELEVE_CLAIM_REGULAR. */
const char *releve_claim_reason(releve_claim_kind kind);

/* The longest name a file keeps in archive/ or rejected/: room is left
 * for ".rapport.txt" (12 bytes) and for the temporary name of its atomic
 * write (".", ".<pid>.tmp": 16 bytes) within NAME_MAX (255). A longer
 * name is cut (name.h); the report gives the name as sent. */
#define RELEVE_CLAIM_KEPT_NAME_MAX 227

/* Writes report durably as "<final name>.rapport.txt" in to_dir
 * (report.h), then moves from_dir/name there under that final name (never
 * replacing a file there), and syncs both folders. *final_name (malloc'ed,
 * may be NULL) gets the name in to_dir. A crash between the two steps leaves
 * the file in from_dir and a report the next settle rewrites: never a file
 * settled without its report. */
int releve_claim_settle(const char *from_dir, const char *name, const char *to_dir,
                        const char *report, char **final_name);

/* A personal-data file whose outcome is committed: report goes to
 * report_dir alone (as "<name>.rapport.txt", never replacing a report
 * there), then the file leaves from_dir: moved into personal_dir (mode
 * 0600, its time set to now so that the keeping period starts) or, when
 * personal_dir is NULL, deleted. *final_name gets the report's name
 * without ".rapport.txt". */
int releve_claim_settle_personal(const char *from_dir, const char *name, const char *report_dir,
                                 const char *personal_dir, const char *report,
                                 char **final_name);

#endif
