/* test_encoding.c -- the host's check of a file that opens with a UTF-8
 * BOM, and the EINTR-safe reads and writes it is built on. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "testutil.h"
#include "util/encoding.h"
#include "util/fd.h"
#include "util/str.h"

#define BOM "\xEF\xBB\xBF"

/* bom_mixed on a file holding len bytes of data; *line gets its line. */
static int mixed(const char *data, size_t len, unsigned long *line) {
  char *dir = test_dir("encoding");
  char *path = releve_str_printf("%s/f.csv", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), rc;
  assert_true(fd >= 0);
  assert_int_equal(releve_fd_write_all(fd, data, len), 0);
  rc = releve_encoding_bom_mixed(fd, line);
  close(fd);
  free(path);
  free(dir);
  return rc;
}

#define MIXED(s, line) mixed(s, sizeof s - 1, line)

static void test_bom_and_utf8_is_not_mixed(void **state) {
  unsigned long line = 99;
  (void)state;
  assert_int_equal(MIXED(BOM "a;b\n\xc3\xa9t\xc3\xa9;\xe2\x82\xac\n", &line), 0);
  assert_int_equal(line, 0);
  /* Without a BOM nothing is said: the plugin chooses the encoding. */
  assert_int_equal(MIXED("a;b\n\xe9t\xe9\n", &line), 0);
  assert_int_equal(MIXED(BOM, &line), 0);
}

static void test_a_latin1_byte_after_the_bom_is_mixed(void **state) {
  unsigned long line = 0;
  (void)state;
  assert_int_equal(MIXED(BOM "a;b\nc;d\n\xe9t\xe9;1\n", &line), 1);
  assert_int_equal(line, 3);
  /* What the plugins' reader does not take as UTF-8 either: an overlong
   * form, a surrogate, a character cut by the end of the file. */
  assert_int_equal(MIXED(BOM "a\n\xc0\xaf\n", &line), 1);
  assert_int_equal(line, 2);
  assert_int_equal(MIXED(BOM "\xed\xa0\x80", &line), 1);
  assert_int_equal(line, 1);
  assert_int_equal(MIXED(BOM "a\nb\xc3", &line), 1);
  assert_int_equal(line, 2);
}

/* A character that straddles two reads is one character. */
static void test_a_character_across_reads_is_whole(void **state) {
  size_t len = 65536 + 16, i;
  char *data = malloc(len);
  unsigned long line = 0;
  (void)state;
  assert_non_null(data);
  memcpy(data, BOM, 3);
  for (i = 3; i < len; i++)
    data[i] = (char)(i % 64 == 0 ? '\n' : 'x');
  memcpy(data + 65535, "\xe2\x82\xac", 3); /* € over the first read's end */
  assert_int_equal(mixed(data, len, &line), 0);
  data[65536] = 'x'; /* now cut: the lead byte is followed by ASCII */
  assert_int_equal(mixed(data, len, &line), 1);
  assert_int_equal(line, 65535 / 64 + 1);
  free(data);
}

static void test_fd_read_and_write(void **state) {
  int p[2];
  char buf[8];
  (void)state;
  assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
  assert_int_equal(releve_fd_read(p[0], buf, sizeof buf), -EAGAIN);
  assert_int_equal(releve_fd_write_all(p[1], "relevé", 7), 0);
  assert_int_equal(releve_fd_read(p[0], buf, sizeof buf), 7);
  assert_memory_equal(buf, "relevé", 7);
  close(p[1]);
  assert_int_equal(releve_fd_read(p[0], buf, sizeof buf), 0);
  assert_int_equal(releve_fd_pread(p[0], buf, sizeof buf, 0), -ESPIPE);
  close(p[0]);
  assert_int_equal(releve_fd_write_all(p[1], "x", 1), -EBADF);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bom_and_utf8_is_not_mixed),
      cmocka_unit_test(test_a_latin1_byte_after_the_bom_is_mixed),
      cmocka_unit_test(test_a_character_across_reads_is_whole),
      cmocka_unit_test(test_fd_read_and_write),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
