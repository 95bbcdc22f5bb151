/* A plugin built for another ABI: the host must refuse it. */
#include "releve/plugin.h"

static int decode(const releve_decode_args *a) {
  (void)a;
  return 0;
}

static const releve_plugin descriptor = {.abi_major = RELEVE_PLUGIN_ABI_MAJOR + 1,
                                         .struct_size = sizeof(releve_plugin),
                                         .name = "bad-abi",
                                         .version = "1.0",
                                         .description = "wrong ABI",
                                         .decode = decode};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &descriptor; }
