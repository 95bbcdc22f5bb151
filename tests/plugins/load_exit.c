/* A plugin whose constructor calls exit(0) while it is being loaded. */
#include <stdlib.h>

#include "releve/plugin.h"

__attribute__((constructor)) static void exit_on_load(void) { exit(0); }

static int decode(const releve_decode_args *a) {
  (void)a;
  return 0;
}

static const releve_plugin descriptor = {.abi_major = RELEVE_PLUGIN_ABI_MAJOR,
                                         .struct_size = sizeof(releve_plugin),
                                         .name = "load-exit",
                                         .version = "1.0",
                                         .description = "exits when loaded",
                                         .decode = decode};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &descriptor; }
