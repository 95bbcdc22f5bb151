/* Geography codes: the three spellings of a quartier code and the list
 * each belongs to, the city's QVA pattern, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "referentiel/geo.h"

static void test_quartier_codes_and_their_lists(void **state) {
  char out[32];
  (void)state;
  assert_int_equal(releve_geo_classify("QP075001"), RELEVE_GEO_QUARTIER);
  assert_int_equal(releve_geo_classify("QN07501M"), RELEVE_GEO_QUARTIER);
  assert_int_equal(releve_geo_classify("QVA075001"), RELEVE_GEO_QUARTIER);
  assert_int_equal(releve_geo_vintage_of("QP075001"), RELEVE_GEO_QPV_2015);
  assert_int_equal(releve_geo_vintage_of("QN07501M"), RELEVE_GEO_QPV_2024);
  assert_int_equal(releve_geo_vintage_of("QVA075001"), RELEVE_GEO_QVA_CITY);
  assert_int_equal(releve_geo_vintage_of("QVA"), RELEVE_GEO_NOT_QUARTIER);
  assert_int_equal(releve_geo_vintage_of("75118"), RELEVE_GEO_NOT_QUARTIER);
  assert_string_equal(releve_geo_label("QP075012"), "quartier (liste QPV 2015)");
  assert_string_equal(releve_geo_label("QN07512X"), "quartier (liste QPV 2024)");
  assert_string_equal(releve_geo_label("QVA075001"),
                      "quartier de veille active (liste de la Ville)");
  assert_string_equal(releve_geo_label("75118"), "arrondissement");
  /* Partners' spelling: lower case, spaces. */
  assert_int_equal(releve_geo_normalize(" qva075003 ", out, sizeof out), 0);
  assert_string_equal(out, "QVA075003");
  assert_int_equal(releve_geo_normalize("QVA07500", out, sizeof out), -EINVAL);
  assert_int_equal(releve_geo_normalize("QP07501", out, sizeof out), -EINVAL);
  assert_int_equal(releve_geo_normalize("QN075012", out, sizeof out), -EINVAL);
}

static void test_qva_pattern(void **state) {
  (void)state;
  assert_int_equal(releve_geo_set_qva_pattern("qva-##-@"), 0);
  assert_int_equal(releve_geo_classify("QVA-18-A"), RELEVE_GEO_QUARTIER);
  assert_int_equal(releve_geo_vintage_of("QVA-18-A"), RELEVE_GEO_QVA_CITY);
  assert_int_equal(releve_geo_classify("QVA075001"), RELEVE_GEO_INVALID);
  /* The national codes keep their meaning whatever the pattern. */
  assert_int_equal(releve_geo_vintage_of("QP075001"), RELEVE_GEO_QPV_2015);
  /* Patterns that would read another geography, or read nothing. */
  assert_int_equal(releve_geo_set_qva_pattern("QP######"), -EINVAL);
  assert_int_equal(releve_geo_set_qva_pattern("QN#####@"), -EINVAL);
  assert_int_equal(releve_geo_set_qva_pattern("751##"), -EINVAL);
  assert_int_equal(releve_geo_set_qva_pattern("QVA"), -EINVAL);
  assert_int_equal(releve_geo_set_qva_pattern(""), -EINVAL);
  assert_int_equal(releve_geo_set_qva_pattern("QVA#############"), -EINVAL);
  assert_int_equal(releve_geo_classify("QVA-18-A"), RELEVE_GEO_QUARTIER); /* unchanged */
  assert_string_equal(releve_geo_qva_pattern(), "QVA-##-@");
  assert_int_equal(releve_geo_set_qva_pattern(NULL), 0);
  assert_int_equal(releve_geo_classify("QVA075001"), RELEVE_GEO_QUARTIER);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quartier_codes_and_their_lists),
      cmocka_unit_test(test_qva_pattern),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
