/* claim.h -- taking a partner's file out of incoming/ and deciding whether
 * it may be read at all.
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
 * target folder, "name~2.ext", "name~3.ext"… are used. */
#ifndef RELEVE_CLAIM_H
#define RELEVE_CLAIM_H

typedef enum releve_claim_kind {
  RELEVE_CLAIM_REGULAR = 0, /* a regular file with one link: may be ingested */
  RELEVE_CLAIM_SYMLINK,
  RELEVE_CLAIM_NOT_REGULAR,
  RELEVE_CLAIM_LINKS
} releve_claim_kind;

/* Whether a directory entry name may be handled at all (not empty, no '/',
 * not "." or ".."). */
int releve_claim_name_ok(const char *name);

/* Moves from_dir/name into to_dir without replacing anything there;
 * *final_name (malloc'ed) gets the name used. Returns 0, -ENOENT when the
 * file is gone (someone else took it), or another negative errno value. */
int releve_claim_move(const char *from_dir, const char *name, const char *to_dir,
                      char **final_name);

/* Inspects dir/name without following links or opening anything but a
 * regular file. Returns a releve_claim_kind (>= 0) or a negative errno. */
int releve_claim_check(const char *dir, const char *name);

/* The French reason given to the partner for a refused kind
 * ("refusé : lien symbolique"…), or NULL for RELEVE_CLAIM_REGULAR. */
const char *releve_claim_reason(releve_claim_kind kind);

#endif
