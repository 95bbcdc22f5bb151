/* fuzz_template.c -- libFuzzer target for the template plugin (driver: kit/testing/fuzz_driver.c). */
#include "fuzz_driver.h"

const char *const releve_fuzz_options[] = {NULL};
