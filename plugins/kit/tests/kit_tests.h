/* kit_tests.h -- the groups of the kit's test program. */
#ifndef RELEVE_KIT_TESTS_H
#define RELEVE_KIT_TESTS_H

int kit_text_tests(void);
int kit_json_tests(void);

#endif
