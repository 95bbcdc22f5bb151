/* Reply tokens: made once per actor, 26 base32 letters, distinct, stable
 * until rotated; reply addresses written and read back, and every address
 * that is not exactly one refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "mail/mail_token.h"
#include "testutil.h"
#include "testcheck.h"

static char *dir;
static releve_store store;

static int setup(void **state) {
  (void)state;
  dir = test_store_dir("mail_token", &store);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  releve_store_close(&store);
  free(dir);
  return 0;
}

static void test_made_once_rotated(void **state) {
  char a[RELEVE_MAIL_TOKEN_LEN + 1], again[RELEVE_MAIL_TOKEN_LEN + 1];
  char b[RELEVE_MAIL_TOKEN_LEN + 1], rotated[RELEVE_MAIL_TOKEN_LEN + 1];
  (void)state;
  assert_int_equal(releve_mail_token_get(&store, "caf", 0, a), -ENOENT);
  assert_int_equal(releve_mail_token_get(&store, "caf", 1, a), 0);
  assert_int_equal(strlen(a), RELEVE_MAIL_TOKEN_LEN);
  assert_int_equal(strspn(a, "abcdefghijklmnopqrstuvwxyz234567"), RELEVE_MAIL_TOKEN_LEN);
  assert_int_equal(releve_mail_token_get(&store, "caf", 1, again), 0);
  assert_string_equal(a, again);
  assert_int_equal(releve_mail_token_get(&store, "ars", 1, b), 0);
  assert_string_not_equal(a, b);
  assert_int_equal(releve_mail_token_rotate(&store, "caf", rotated), 0);
  assert_string_not_equal(a, rotated);
  assert_int_equal(releve_mail_token_get(&store, "caf", 0, again), 0);
  assert_string_equal(rotated, again);
  /* Rotating one actor leaves the others alone. */
  assert_int_equal(releve_mail_token_get(&store, "ars", 0, again), 0);
  assert_string_equal(b, again);
}

static void test_address_round_trip(void **state) {
  static const char tok[] = "abcdefghijklmnopqrstuvwx23";
  char addr[RELEVE_MAIL_ADDRESS_MAX], actor[64], token[RELEVE_MAIL_TOKEN_LEN + 1], small[20];
  (void)state;
  assert_int_equal(releve_mail_token_address("depot@ville.example", "mission-locale", tok, addr,
                                             sizeof addr),
                   0);
  assert_string_equal(addr, "depot+mission-locale.abcdefghijklmnopqrstuvwx23@ville.example");
  assert_int_equal(releve_mail_token_address("depot@ville.example", "caf", tok, small, sizeof small),
                   -ENAMETOOLONG);
  assert_int_equal(releve_mail_token_parse("depot@ville.example", addr, actor, sizeof actor, token),
                   1);
  assert_string_equal(actor, "mission-locale");
  assert_string_equal(token, tok);
  /* Case does not matter in the domain, the local part or the token. */
  assert_int_equal(releve_mail_token_parse("depot@ville.example",
                                           "DEPOT+caf.ABCDEFGHIJKLMNOPQRSTUVWX23@Ville.Example",
                                           actor, sizeof actor, token),
                   1);
  assert_string_equal(actor, "caf");
  assert_string_equal(token, tok);
}

static void test_parse_refuses(void **state) {
  static const char *const bad[] = {
      "depot@ville.example",                                   /* no token */
      "depot+caf@ville.example",                               /* no token */
      "depot+caf.abcdefghijklmnopqrstuvwx2@ville.example",     /* 25 letters */
      "depot+caf.abcdefghijklmnopqrstuvwx231@ville.example",   /* 27 letters */
      "depot+caf.abcdefghijklmnopqrstuvwx18@ville.example",    /* 1 and 8 are not base32 */
      "depot+.abcdefghijklmnopqrstuvwx23@ville.example",       /* no actor */
      "depot+caf.abcdefghijklmnopqrstuvwx23@other.example",    /* another domain */
      "other+caf.abcdefghijklmnopqrstuvwx23@ville.example",    /* another local part */
      "depotx+caf.abcdefghijklmnopqrstuvwx23@ville.example",   /* longer local part */
      "depot-caf.abcdefghijklmnopqrstuvwx23@ville.example",    /* no '+' */
      "depot+caf_abcdefghijklmnopqrstuvwx23@ville.example",    /* no '.' */
      "",
  };
  char actor[8], token[RELEVE_MAIL_TOKEN_LEN + 1];
  size_t i;
  (void)state;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (releve_mail_token_parse("depot@ville.example", bad[i], actor, sizeof actor, token) != 0)
      fail_msg("%s read as a reply address", bad[i]);
  /* An actor id longer than the caller's buffer is not cut short. */
  assert_int_equal(releve_mail_token_parse("depot@ville.example",
                                           "depot+prefecture.abcdefghijklmnopqrstuvwx23@ville.example",
                                           actor, sizeof actor, token),
                   0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_made_once_rotated, setup, teardown),
      cmocka_unit_test_setup_teardown(test_address_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_parse_refuses, setup, teardown),
  };
  return cmocka_run_group_tests_name("mail_token", tests, NULL, NULL);
}
