/* recognise.h -- whether a reader of the actor recognises a file an
 * attachment was written to: the choice the spool makes for any file
 * (reader.h), made the same way in a supervised child (supervise.h, with
 * the daemon's limits), since it runs plugins' code and parses the file. */
#ifndef RELEVE_INBOX_RECOGNISE_H
#define RELEVE_INBOX_RECOGNISE_H

#include "config/config.h"
#include "decode/plugin_host.h"

/* Returns 1 when one of a's readers recognises the file at path, 0 when
 * none does (*why, malloc'ed, may then say why in French), or a negative
 * errno value when no child could be run. */
int releve_inbox_recognise(const releve_config *cfg, const releve_plugins *p,
                           const releve_actor *a, const char *path, char **why);

#endif
