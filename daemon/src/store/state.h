/* state.h -- who owns relevé's state: the database and its WAL, the spool
 * folders (with pull downloads staged in them) and the outbox.
 *
 * The daemon runs as the owner of that state (user releve when packaged).
 * A command run as root that created a piece of it first would leave it
 * owned by root and the daemon unable to start, so:
 *   - `releve` becomes the owner of the state folder (the database's
 *     folder) before it opens the database, as postdrop and postqueue do
 *     for Postfix: initgroups, setgid, setuid, and a check that root cannot
 *     be regained; when that is impossible it refuses and says which user
 *     to run it as;
 *   - `releved` checks at start that it can write every piece of state
 *     that exists, and names each one it cannot, with its owner and mode,
 *     instead of failing later on an unexplained errno. */
#ifndef RELEVE_STATE_H
#define RELEVE_STATE_H

#include <stddef.h>

#include "config/config.h"
#include "util/diag.h"

/* Run as root: becomes the owner of the state folder (the nearest existing
 * folder holding cfg->database) when that is not root. Returns 1 when it
 * did, 0 when there was nothing to do (not root, or state owned by root),
 * or -EPERM with why (English, one line, naming the user to run as) set. */
int releve_state_become_owner(const releve_config *cfg, char *why, size_t size);

/* Adds an error to diags for every existing piece of state this process
 * cannot write (path, owner, mode and the command that mends it). Returns
 * the number of such errors. */
size_t releve_state_check(const releve_config *cfg, releve_diags *diags);

#endif
