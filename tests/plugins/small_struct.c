/* A descriptor claiming to be smaller than ABI 1.0's: refused. */
#include "releve/plugin.h"

static int decode(const releve_decode_args *a) {
  (void)a;
  return 0;
}

static const releve_plugin descriptor = {RELEVE_PLUGIN_ABI_MAJOR, 8, "small", "1.0", "too small",
                                         NULL, decode};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &descriptor; }
