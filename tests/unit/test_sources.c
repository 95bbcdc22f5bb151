/* The "sources" checker: every kind of mistake in a scheduled pull's
 * configuration is reported by check-config with its key and what is
 * expected; a right one gets its defaults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/source.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/str.h"

static char *dir;

#define BASE "\"plugins\": \"plugins\", \"database\": \"var/r.db\", \"spool\": \"spool\""
#define URL "https://data.example.org/export/paris%202024.csv"

/* Loads a configuration with one source made of the given JSON members;
 * returns the number of errors. */
static size_t load_source(const char *members, releve_diags *d, releve_config *cfg) {
  char *text = releve_str_printf("{" BASE ", \"sources\": [{%s}]}", members);
  size_t errors = test_config_load(dir, text, d, cfg);
  free(text);
  return errors;
}


/* One source that must be refused with needle at key. */
static void refused(const char *members, const char *key, const char *needle) {
  releve_config cfg;
  releve_diags d = {0};
  const releve_diag *e;
  assert_true(load_source(members, &d, &cfg) >= 1);
  e = test_error_with(&d, needle);
  assert_string_equal(e->key, key);
  assert_non_null(strstr(e->file, "releve.json"));
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static int setup(void **state) {
  char *p;
  (void)state;
  dir = test_config_dir("sources");
  free(test_file(dir, "ca.pem", "-----BEGIN CERTIFICATE-----\n"));
  free(test_file(dir, "good.headers", "# a comment\nAuthorization: Bearer abc\n\nX-Api: 1\n"));
  free(test_file(dir, "bad.headers", "X-Ok: 1\nnot a header line\n"));
  free(test_file(dir, "good.login", "releve:s3cret\n"));
  free(test_file(dir, "bad.login", "no colon here\n"));
  p = releve_str_printf("%s/good.login", dir);
  chmod(p, 0600);
  free(p);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(dir);
  return 0;
}

static void test_good_source_and_defaults(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  releve_sources copy;
  const releve_source *src;
  (void)state;
  assert_int_equal(load_source("\"id\": \"caf-data\", \"actor\": \"caf\", \"url\": \"" URL "\", "
                               "\"schedule\": \"0 6 * * 1\", \"ca_file\": \"ca.pem\", "
                               "\"headers_file\": \"good.headers\", "
                               "\"credentials_file\": \"good.login\"",
                               &d, &cfg),
                   0);
  /* Read once with the configuration. */
  assert_int_equal(cfg.sources.n, 1);
  src = releve_sources_find(&cfg.sources, "caf-data");
  assert_non_null(src);
  assert_int_equal(src->max_bytes, 100LL << 20);
  assert_int_equal(src->timeout_seconds, 300);
  assert_int_equal(src->retry_seconds, 60);
  assert_int_equal(src->notify_after_failures, 3);
  assert_string_equal(src->file_name, "paris_2024.csv"); /* decoded, then made safe */
  assert_non_null(strstr(src->ca_file, "/ca.pem"));
  assert_null(src->proxy);
  assert_int_equal(src->sftp, 0);
  /* The scheduled pulls keep a copy that outlives the configuration. */
  assert_int_equal(releve_sources_copy(&cfg.sources, &copy), 0);
  releve_config_free(&cfg);
  assert_int_equal(copy.n, 1);
  src = releve_sources_find(&copy, "caf-data");
  assert_non_null(src);
  assert_string_equal(src->file_name, "paris_2024.csv");
  assert_non_null(strstr(src->headers_file, "/good.headers"));
  assert_string_equal(src->schedule_text, "0 6 * * 1");
  assert_int_equal(src->schedule.interval, 0);
  assert_null(src->proxy);
  releve_sources_free(&copy);
  releve_diags_free(&d);
}

static void test_bad_schedule(void **state) {
  (void)state;
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"0 25 * * *\"",
          "sources[0].schedule", "hour field \"25\": 25 is out of range (0-23)");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"weekly\"",
          "sources[0].schedule", "has 1 field, cron needs five");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"0 0 31 2 *\"",
          "sources[0].schedule", "never runs");
}

static void test_bad_url(void **state) {
  (void)state;
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"http://data.example.org/a.csv\", "
          "\"schedule\": \"1d\"",
          "sources[0].url", "scheme \"http\" is not allowed; https://");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"not a url\", \"schedule\": \"1d\"",
          "sources[0].url", "is not a URL");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"https://u:p@data.example.org/a.csv\", "
          "\"schedule\": \"1d\"",
          "sources[0].url", "put them in \"credentials_file\"");
}

static void test_sftp(void **state) {
  (void)state;
  if (releve_sources_sftp_supported())
    refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"sftp://sftp.example.org/a.csv\", "
            "\"schedule\": \"1d\"",
            "sources[0].known_hosts", "is required for an sftp:// URL");
  if (releve_sources_sftp_supported())
    refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"sftp://sftp.example.org/a.csv\", "
            "\"schedule\": \"1d\", \"known_hosts\": \"ca.pem\"",
            "sources[0].credentials_file", "is required for an sftp:// URL");
  else
    refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"sftp://sftp.example.org/a.csv\", "
            "\"schedule\": \"1d\"",
            "sources[0].url", "cannot fetch sftp://");
}

static void test_unknown_actor(void **state) {
  (void)state;
  refused("\"id\": \"x\", \"actor\": \"cafe\", \"url\": \"" URL "\", \"schedule\": \"1d\"",
          "sources[0].actor", "\"cafe\" is not an actor of the référentiel");
}

static void test_missing_files(void **state) {
  (void)state;
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"headers_file\": \"none.headers\"",
          "sources[0].headers_file", "none.headers cannot be read: No such file");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"credentials_file\": \"none.login\"",
          "sources[0].credentials_file", "none.login cannot be read");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"ca_file\": \"none.pem\"",
          "sources[0].ca_file", "none.pem cannot be read");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"private_key\": \"none.key\"",
          "sources[0].private_key", "none.key cannot be read");
  /* A key login is SFTP's: an https:// source with an account is a mistake. */
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"user\": \"depot\"",
          "sources[0].user", "applies to sftp:// URLs only");
}

static void test_bad_secret_files(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  size_t i;
  (void)state;
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"headers_file\": \"bad.headers\"",
          "sources[0].headers_file", "bad.headers, line 2: \"Name: value\" is expected");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"credentials_file\": \"bad.login\"",
          "sources[0].credentials_file", "one line \"user:password\" is expected");
  /* Secrets are never repeated in a diagnostic. */
  load_source("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
              "\"headers_file\": \"bad.headers\", \"credentials_file\": \"bad.login\"",
              &d, &cfg);
  for (i = 0; i < d.n; i++) {
    assert_null(strstr(d.items[i].message, "not a header line"));
    assert_null(strstr(d.items[i].message, "no colon here"));
  }
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

static void test_keys_ids_and_ranges(void **state) {
  releve_config cfg;
  releve_diags d = {0};
  char *text;
  (void)state;
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"timeout\": 5",
          "sources[0].timeout", "unknown key; allowed keys here are: id, actor, url");
  refused("\"id\": \"../x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\"",
          "sources[0].id", "is not a source id");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"max_bytes\": 0",
          "sources[0].max_bytes", "0 is out of range");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"timeout_seconds\": \"5\"",
          "sources[0].timeout_seconds", "an integer is expected");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\", \"schedule\": \"1d\", "
          "\"file_name\": \"data.csv.part\"",
          "sources[0].file_name", "cannot be used in incoming/");
  refused("\"id\": \"x\", \"actor\": \"caf\", \"url\": \"" URL "\"", "sources[0].schedule",
          "missing");
  /* The same id twice. */
  text =
      releve_str_printf("{" BASE ", \"sources\": ["
                     "{\"id\": \"x\", \"actor\": \"caf\", \"url\": \"%s\", \"schedule\": \"1d\"},"
                     "{\"id\": \"x\", \"actor\": \"caf\", \"url\": \"%s\", \"schedule\": \"2d\"}]}",
                     URL, URL);
  free(test_file(dir, "releve.json", text));
  free(text);
  text = releve_str_printf("%s/releve.json", dir);
  releve_config_load(&cfg, text, &d);
  assert_string_equal(test_error_with(&d, "source \"x\" is configured twice")->key, "sources[1].id");
  free(text);
  releve_config_free(&cfg);
  releve_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_source_and_defaults),
      cmocka_unit_test(test_bad_schedule),
      cmocka_unit_test(test_bad_url),
      cmocka_unit_test(test_sftp),
      cmocka_unit_test(test_unknown_actor),
      cmocka_unit_test(test_missing_files),
      cmocka_unit_test(test_bad_secret_files),
      cmocka_unit_test(test_keys_ids_and_ranges),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
