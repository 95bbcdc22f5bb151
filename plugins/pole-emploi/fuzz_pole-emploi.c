/* fuzz_pole-emploi.c -- libFuzzer target for the pole-emploi plugin (driver: kit/testing/fuzz_driver.c). */
#include "fuzz_driver.h"

/* Keep every quarter, sex and age band so that more of the decoder runs. */
const char *const releve_fuzz_options[] = {"quarter=0", "sexe=", "tranche_d_age=", NULL};
