/* fuzz_driver.c -- libFuzzer entry shared by the plugins' fuzz targets. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../kit.h"
#include "fuzz_driver.h"
#include "testhost.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  th_host h;
  th_init(&h);
  h.keep_rows = 0;
  th_set_input(&h, data, size);
  static const size_t chunks[] = {0, 1, 2, 3, 7, 64, 511, 4096};
  h.chunk = size > 0 ? chunks[data[0] % 8] : 0;
  const releve_plugin *plugin = releve_plugin_entry_v1();
  /* recognise() runs in the daemon's own process: it must survive any head. */
  if (plugin->recognise != NULL) {
    int c = plugin->recognise(data, size < RELEVE_PLUGIN_HEAD_MAX ? size : RELEVE_PLUGIN_HEAD_MAX,
                              "fuzz");
    if (c < 0 || c > 100)
      abort();
  }
  th_run(&h, plugin, releve_fuzz_options);
  if (h.violations > 0) {
    fprintf(stderr, "protocol violation: %s\n", h.violation);
    abort();
  }
  th_free(&h);
  return 0;
}
