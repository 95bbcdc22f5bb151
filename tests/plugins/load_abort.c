/* A plugin whose entry function aborts: refused, the host goes on. */
#include <stdlib.h>

#include "releve/plugin.h"

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { abort(); }
