/*
 * fuzz_driver.h -- what a plugin's libFuzzer target provides.
 *
 * fuzz_driver.c feeds each input to the plugin linked with it through the
 * test host (testhost.h), reading it in chunks whose size the first byte
 * picks, and aborts on any protocol violation. A target file only names the
 * option overrides to use:
 *
 *   #include "fuzz_driver.h"
 *   const char *const releve_fuzz_options[] = {"keep_communes=", NULL};
 */
#ifndef RELEVE_FUZZ_DRIVER_H
#define RELEVE_FUZZ_DRIVER_H

#include <releve/plugin.h>

extern const char *const releve_fuzz_options[];

#endif /* RELEVE_FUZZ_DRIVER_H */
