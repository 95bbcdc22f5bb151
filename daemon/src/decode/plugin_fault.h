/* plugin_fault.h -- files held back because the server cannot read them.
 *
 * When a plugin an actor names is missing, refused (wrong ABI,
 * group-writable, crashing while loading), or its first plugin is given
 * options it does not take, that is the
 * server's problem, not the partner's: releved does not claim that actor's
 * files (they stay in incoming/, or go back there from processing/) and
 * records the fault in the plugin_faults table. The first file held writes
 * the row and, in the same transaction, queues one mail to the
 * coordinator through the outbox; later files and restarts find the row
 * and mail nobody. When the plugin serves again (a reload, a restart) the
 * row goes and the files are taken. `releve status` lists the rows. */
#ifndef RELEVE_PLUGIN_FAULT_H
#define RELEVE_PLUGIN_FAULT_H

#include "config/config.h"
#include "store/store.h"

/* Records that a's files wait because of plugin, for problem (English;
 * both from releve_plugin_fault()); file_name is the file found waiting. *first is
 * set when the fault is new, the coordinator's mail then queued with it
 * (none when mail.coordinator is not set). Returns 0 or a negative errno
 * value. */
int releve_plugin_fault_hold(releve_store *s, const releve_config *cfg, const releve_actor *a,
                             const char *plugin, const char *problem, const char *file_name,
                             int *first);

/* Forgets the faults of every actor for which served[i] is true (its
 * plugin reads its files again), in one transaction; *cleared gets how
 * many rows went. Returns 0 or a negative errno value. */
int releve_plugin_fault_clear(releve_store *s, const releve_config *cfg, const int *served,
                              int *cleared);

typedef struct releve_plugin_fault_row {
  const char *actor, *plugin, *problem, *since;
} releve_plugin_fault_row;

/* Calls cb for each recorded fault, by actor; a non-zero return of cb
 * stops and is returned. A database from before the table has none. */
int releve_plugin_faults(releve_store *s,
                         int (*cb)(void *ud, const releve_plugin_fault_row *r), void *ud);

#endif
