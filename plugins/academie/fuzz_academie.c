/* fuzz_academie.c -- libFuzzer target for the academie plugin (driver: kit/testing/fuzz_driver.c). */
#include "fuzz_driver.h"

/* Keep every département so that more of the decoder runs. */
const char *const releve_fuzz_options[] = {"departement=", NULL};
