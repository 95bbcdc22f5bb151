/* fuzz_caf.c -- libFuzzer target for the caf plugin (driver: kit/testing/fuzz_driver.c). */
#include "fuzz_driver.h"

/* Keep every commune so that more of the decoder runs. */
const char *const releve_fuzz_options[] = {"keep_communes=", NULL};
