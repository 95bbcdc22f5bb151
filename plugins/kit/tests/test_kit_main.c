/* test_kit_main.c -- runs the kit's test groups. */
#include "kit_tests.h"

int main(void) {
  int failed = kit_text_tests();
  failed += kit_json_tests();
  return failed != 0;
}
