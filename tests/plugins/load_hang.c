/* A plugin whose entry function never returns: the host gives up on it
 * after RELEVE_PLUGIN_PROBE_SECONDS and loads the others. */
#include <unistd.h>

#include "releve/plugin.h"

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) {
  for (;;)
    pause();
}
