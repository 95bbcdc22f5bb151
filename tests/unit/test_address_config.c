/* The configuration of address matching and personal data: "addresses",
 * "secrecy", an actor's "personal_data" and "keep_days", and a mapping's
 * geography by address. One case per kind of mistake, each reported with
 * its file and key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include "address/addr_ref.h"
#include "referentiel/geo.h"
#include "config/config.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/str.h"

static char *dir;

#define BASE "\"plugins\": \"plugins\", \"database\": \"var/r.db\", \"spool\": \"spool\""
#define REF "\"addresses\": {\"file\": \"" RELEVE_SOURCE_DIR \
            "/tests/fixtures/addresses/ban_paris_zoned.csv\"}"
#define ML_HEAD "{\"id\": \"mission-locale\", \"emails\": [\"a@ml.example.org\"]"
#define BY_ADDRESS(geo)                                                                      \
  "\"mapping\": {\"kind\": \"rows\", \"period\": {\"value\": \"2022\"}, \"geography\": " geo \
  ", \"indicators\": {\"T27.2\": {\"op\": \"count\"}}}"
#define GOOD_GEO "{\"address\": {\"street\": \"voie\", \"postcode\": \"cp\"}, \"levels\": \"QPV\"}"

static size_t load(const char *text, releve_diags *d, releve_config *cfg) {
  return test_config_load(dir, text, d, cfg);
}

/* The error at key whose message contains needle, or fails the test. */
static void expect_error(const char *text, const char *key, const char *needle) {
  releve_config cfg;
  releve_diags d = {0};
  size_t i;
  load(text, &d, &cfg);
  for (i = 0; i < d.n; i++)
    if (d.items[i].severity == RELEVE_DIAG_ERROR && d.items[i].key &&
        strcmp(d.items[i].key, key) == 0 && strstr(d.items[i].message, needle))
      break;
  if (i == d.n) {
    releve_diags_print(&d, stderr);
    fail_msg("no error at %s containing \"%s\"", key, needle);
  }
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static int setup(void **state) {
  (void)state;
  dir = test_config_dir("address_config");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(dir);
  return 0;
}

static void test_good_config_loads_the_reference(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  const releve_actor *ml;
  (void)state;
  assert_int_equal(load("{" BASE ", " REF ", \"secrecy\": {\"threshold\": 10}, "
                        "\"actors\": [" ML_HEAD ", \"personal_data\": true, \"keep_days\": 30, "
                        BY_ADDRESS(GOOD_GEO) "}]}",
                        &d, &cfg),
                   0);
  assert_non_null(cfg.addresses);
  assert_int_equal(releve_addr_ref_addresses(cfg.addresses), 295);
  assert_int_equal(cfg.secrecy_threshold, 10);
  ml = releve_config_actor(&cfg, "mission-locale");
  assert_true(ml->personal_data);
  assert_int_equal(ml->keep_days, 30);
  assert_int_equal(releve_config_actor(&cfg, "caf")->personal_data, 0);
  releve_config_free(&cfg);
  releve_diags_free(&d);
  /* Defaults: no reference, threshold 5. */
  assert_int_equal(load("{" BASE "}", &d, &cfg), 0);
  assert_null(cfg.addresses);
  assert_int_equal(cfg.secrecy_threshold, 5);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_addresses_keys(void **state) {
  (void)state;
  expect_error("{" BASE ", \"addresses\": {\"file\": \"a.csv\", \"fromat\": \"ban\"}}",
               "addresses.fromat", "allowed keys here are: file, format, columns, zones");
  expect_error("{" BASE ", \"addresses\": {\"format\": \"ban\"}}", "addresses.file", "missing");
  expect_error("{" BASE ", \"addresses\": {\"file\": \"a.csv\", \"format\": \"csv\"}}",
               "addresses.format", "neither \"ban\" nor \"plain\"");
  expect_error("{" BASE ", \"addresses\": {\"file\": \"a.csv\", \"columns\": {\"rue\": \"x\"}}}",
               "addresses.columns.rue", "allowed keys here are: id, number");
  expect_error("{" BASE ", \"addresses\": {\"file\": \"a.csv\", \"columns\": {\"street\": 3}}}",
               "addresses.columns.street", "a column name is expected");
  expect_error("{" BASE ", \"addresses\": {\"file\": \"\"}}", "addresses", "must be file paths");
  expect_error("{" BASE ", \"addresses\": \"a.csv\"}", "addresses", "an object is expected");
}

static void test_addresses_file_problems(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  char *text;
  (void)state;
  /* The file's own problems name the file and line. */
  assert_int_equal(load("{" BASE ", \"addresses\": {\"file\": \"missing.csv\"}}", &d, &cfg), 1);
  assert_non_null(strstr(d.items[d.n - 1].message, "cannot read the address file"));
  assert_non_null(strstr(d.items[d.n - 1].file, "missing.csv"));
  releve_config_free(&cfg);
  releve_diags_free(&d);
  free(test_file(dir, "bad.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                 "1;;Rue Myrha;75018;QP75012;\n"));
  text = releve_str_printf("{" BASE ", \"addresses\": {\"file\": \"bad.csv\", "
                        "\"format\": \"plain\"}}");
  assert_int_equal(load(text, &d, &cfg), 1);
  assert_int_equal(d.items[d.n - 1].line, 2);
  assert_non_null(strstr(d.items[d.n - 1].message, "\"QP75012\" is not a quartier code"));
  assert_null(cfg.addresses);
  free(text);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_personal_data_keys(void **state) {
  (void)state;
  expect_error("{" BASE ", \"actors\": [" ML_HEAD ", \"personal_data\": \"yes\"}]}",
               "actors[0].personal_data", "true or false is expected");
  expect_error("{" BASE ", \"actors\": [" ML_HEAD ", \"keep_days\": 10}]}",
               "actors[0].keep_days", "only to a source with \"personal_data\": true");
  expect_error("{" BASE ", \"actors\": [" ML_HEAD
               ", \"personal_data\": true, \"keep_days\": -1}]}",
               "actors[0].keep_days", "-1 is out of range");
  expect_error("{" BASE ", \"actors\": [" ML_HEAD
               ", \"personal_data\": true, \"keep_days\": 999}]}",
               "actors[0].keep_days", "999 is out of range");
}

static void test_secrecy_keys(void **state) {
  (void)state;
  expect_error("{" BASE ", \"secrecy\": {\"threshold\": -2}}", "secrecy.threshold",
               "out of range");
  expect_error("{" BASE ", \"secrecy\": {\"seuil\": 5}}", "secrecy.seuil",
               "allowed keys here are: threshold");
  expect_error("{" BASE ", \"secrecy\": {\"threshold\": \"5\"}}", "secrecy.threshold",
               "an integer is expected");
}

static void test_mapping_by_address(void **state) {
  (void)state;
  /* No reference to place rows with. */
  expect_error("{" BASE ", \"actors\": [" ML_HEAD ", " BY_ADDRESS(GOOD_GEO) "}]}", "actors[0]",
               "none is configured");
  expect_error("{" BASE ", " REF ", \"actors\": [" ML_HEAD ", " BY_ADDRESS(
                   "{\"address\": {\"street\": \"voie\"}}") "}]}",
               "actors[0].mapping.geography.levels", "is missing");
  expect_error("{" BASE ", " REF ", \"actors\": [" ML_HEAD ", " BY_ADDRESS(
                   "{\"address\": {\"street\": \"voie\"}, \"levels\": \"IRIS\"}") "}]}",
               "actors[0].mapping.geography.levels", "\"IRIS\" is not one of");
  expect_error("{" BASE ", " REF ", \"actors\": [" ML_HEAD ", " BY_ADDRESS(
                   "{\"address\": {\"street\": \"voie\"}, \"levels\": [\"QPV\", 2]}") "}]}",
               "actors[0].mapping.geography.levels[1]", "one of quartier");
  expect_error("{" BASE ", " REF ", \"actors\": [" ML_HEAD ", " BY_ADDRESS(
                   "{\"address\": {\"voie\": \"voie\"}, \"levels\": \"QPV\"}") "}]}",
               "actors[0].mapping.geography.address.voie", "allowed keys here are: number");
  expect_error("{" BASE ", " REF ", \"actors\": [" ML_HEAD ", " BY_ADDRESS(
                   "{\"address\": {\"number\": \"n\"}, \"levels\": \"QPV\"}") "}]}",
               "actors[0].mapping.geography.address.street", "missing");
  expect_error("{" BASE ", " REF ", \"actors\": [" ML_HEAD ", " BY_ADDRESS(
                   "{\"address\": {\"street\": \"v\"}, \"levels\": \"QPV\", "
                   "\"value\": \"QPV\"}") "}]}",
               "actors[0].mapping.geography", "do not go with it");
  expect_error("{" BASE ", " REF ", \"actors\": [" ML_HEAD ", \"mapping\": {\"kind\": \"wide\", "
               "\"period\": {\"value\": \"2022\"}, \"geography\": " GOOD_GEO ", \"indicators\": "
               "{\"T27.2\": \"n\"}}}]}",
               "actors[0].mapping.geography", "needs \"kind\": \"rows\"");
}

/* addresses.qva_pattern: the city's own QVA spelling in the reference and
 * in partners' files; a pattern that would read QPV codes is refused. */
static void test_qva_pattern(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  char *ref = test_file(dir, "qva.csv", "numero;suffixe;voie;code_postal;qpv;qva\n"
                                        "1;;Rue Curial;75019;;QVA-19-01\n"
                                        "2;;Rue Curial;75019;QP075014;\n");
  char *text = releve_str_printf("{" BASE ", \"addresses\": {\"file\": \"%s\", \"format\": "
                              "\"plain\", \"qva_pattern\": \"QVA-##-##\"}, \"actors\": []}",
                              ref);
  (void)state;
  assert_int_equal(load(text, &d, &cfg), 0);
  assert_non_null(cfg.addresses);
  assert_int_equal(releve_addr_ref_zone_by_code(cfg.addresses, "QVA-19-01")->vintage,
                   RELEVE_GEO_QVA_CITY);
  assert_int_equal(releve_geo_classify("QVA-19-01"), RELEVE_GEO_QUARTIER);
  releve_config_free(&cfg);
  releve_diags_free(&d);
  free(text);
  /* Without the pattern the same file is refused, naming the code. */
  text = releve_str_printf("{" BASE ", \"addresses\": {\"file\": \"%s\", \"format\": "
                        "\"plain\"}, \"actors\": []}", ref);
  expect_error(text, "addresses", "\"QVA-19-01\" is not a quartier code");
  free(text);
  expect_error("{" BASE ", \"addresses\": {\"file\": \"x.csv\", \"qva_pattern\": "
               "\"QP######\"}, \"actors\": []}",
               "addresses.qva_pattern", "is not a QVA code pattern");
  free(ref);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_qva_pattern),
      cmocka_unit_test(test_good_config_loads_the_reference),
      cmocka_unit_test(test_addresses_keys),
      cmocka_unit_test(test_addresses_file_problems),
      cmocka_unit_test(test_personal_data_keys),
      cmocka_unit_test(test_secrecy_keys),
      cmocka_unit_test(test_mapping_by_address),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
