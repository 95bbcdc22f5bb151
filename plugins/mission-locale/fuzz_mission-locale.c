/* fuzz_mission-locale.c -- libFuzzer target for the mission-locale plugin (driver: kit/testing/fuzz_driver.c). */
#include "fuzz_driver.h"

const char *const releve_fuzz_options[] = {NULL};
