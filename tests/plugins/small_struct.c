/* A descriptor claiming to be smaller than ABI 1.0's: refused. */
#include "releve/plugin.h"

static int decode(const releve_decode_args *a) {
  (void)a;
  return 0;
}

static const releve_plugin descriptor = {.abi_major = RELEVE_PLUGIN_ABI_MAJOR,
                                         .struct_size = 8,
                                         .name = "small",
                                         .version = "1.0",
                                         .description = "too small",
                                         .decode = decode};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &descriptor; }
