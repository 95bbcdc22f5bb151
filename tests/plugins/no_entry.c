/* A shared object without the entry symbol: the host must refuse it. */
#include "releve/plugin.h"

RELEVE_PLUGIN_EXPORT int releve_plugin_entry_v0(void);
RELEVE_PLUGIN_EXPORT int releve_plugin_entry_v0(void) { return 0; }
