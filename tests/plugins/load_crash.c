/* A plugin whose constructor dereferences NULL while it is being loaded:
 * the host must survive it, refuse it and load the others. */
#include "releve/plugin.h"

/* Read through a volatile, the compiler cannot drop the faulting store. */
static int *volatile nowhere;

__attribute__((constructor)) static void crash_on_load(void) { *nowhere = 11; }

static int decode(const releve_decode_args *a) {
  (void)a;
  return 0;
}

static const releve_plugin descriptor = {.abi_major = RELEVE_PLUGIN_ABI_MAJOR,
                                         .struct_size = sizeof(releve_plugin),
                                         .name = "load-crash",
                                         .version = "1.0",
                                         .description = "crashes when loaded",
                                         .decode = decode};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &descriptor; }
