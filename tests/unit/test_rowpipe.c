/* The child → parent row framing: what the writer encodes comes out the
 * same through the reader, whatever the chunking; malformed streams are
 * refused. The rowspool keeps such frames in a temporary file and gives
 * them back in order, with memory flat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/rowpipe.h"
#include "decode/rowspool.h"
#include "testutil.h"
#include "util/buf.h"

/* What the reader delivered, as text. */
static releve_buf seen;

static int r_columns(void *ctx, const char *const *names, size_t n) {
  (void)ctx;
  releve_buf_adds(&seen, "C");
  for (size_t i = 0; i < n; i++)
    releve_buf_addf(&seen, " %s", names[i]);
  releve_buf_adds(&seen, "\n");
  return 0;
}

static int r_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  (void)ctx;
  releve_buf_addf(&seen, "R%lu", line);
  for (size_t i = 0; i < n; i++)
    releve_buf_addf(&seen, " %d:%u:%g:%s", cells[i].kind, cells[i].column, cells[i].number,
                    cells[i].text);
  releve_buf_adds(&seen, "\n");
  return line == 99 ? -ECANCELED : 0;
}

__attribute__((format(printf, 5, 6))) static int r_error(void *ctx, unsigned long line,
                                                         unsigned column, const char *value,
                                                         const char *fmt, ...) {
  va_list ap;
  (void)ctx;
  releve_buf_addf(&seen, "E%lu:%u:%s:", line, column, value ? value : "(null)");
  va_start(ap, fmt);
  releve_buf_vaddf(&seen, fmt, ap);
  va_end(ap);
  releve_buf_adds(&seen, "\n");
  return 0;
}

__attribute__((format(printf, 3, 4))) static void r_log(void *ctx, int level, const char *fmt,
                                                        ...) {
  va_list ap;
  (void)ctx;
  releve_buf_addf(&seen, "L%d:", level);
  va_start(ap, fmt);
  releve_buf_vaddf(&seen, fmt, ap);
  va_end(ap);
  releve_buf_adds(&seen, "\n");
}

static const releve_host_services host = {sizeof host, r_columns, r_row, r_error, r_log,
                                          NULL,        NULL,      NULL,  NULL};

/* Closes the writing end fds[1] and reads all of fds[0] into out. */
static void drain(int fds[2], releve_buf *out) {
  char buf[4096];
  ssize_t n;
  close(fds[1]);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    releve_buf_add(out, buf, (size_t)n);
  close(fds[0]);
}

/* Encodes a small stream into a pipe and returns its bytes. */
static char *encode(size_t *len, unsigned long last_line) {
  int fds[2];
  releve_rowpipe_writer w;
  const releve_host_services *s = releve_rowpipe_writer_services();
  const char *cols[] = {"indicateur", "valeur"};
  releve_cell cells[2] = {{RELEVE_CELL_TEXT, "G04.1", 0, 1}, {RELEVE_CELL_NUMBER, "93,2", 93.2, 2}};
  releve_buf out = RELEVE_BUF_INIT;

  assert_int_equal(pipe(fds), 0);
  memset(&w, 0, sizeof w);
  w.fd = fds[1];
  assert_int_equal(s->columns(&w, cols, 2), 0);
  assert_int_equal(s->row(&w, 2, cells, 2), 0);
  assert_int_equal(s->error(&w, 3, 5, "12,5,3", "valeur « %s » illisible", "12,5,3"), 0);
  assert_int_equal(s->error(&w, 0, 0, NULL, "format inconnu"), 0);
  s->log(&w, 6, "read %d lines", 3);
  assert_int_equal(s->row(&w, last_line, cells, 1), 0);
  assert_int_equal(releve_rowpipe_writer_end(&w, -EILSEQ), 0);
  releve_rowpipe_writer_free(&w);
  drain(fds, &out);
  *len = out.len;
  return releve_buf_steal(&out);
}

static void test_round_trip_any_chunking(void **state) {
  size_t len, step;
  char *data = encode(&len, 4);
  const char *expect = "C indicateur valeur\n"
                       "R2 1:1:0:G04.1 2:2:93.2:93,2\n"
                       "E3:5:12,5,3:valeur « 12,5,3 » illisible\n"
                       "E0:0:(null):format inconnu\n"
                       "L6:read 3 lines\n"
                       "R4 1:1:0:G04.1\n";
  (void)state;
  for (step = 1; step <= len; step = step < 8 ? step + 1 : step * 3) {
    releve_rowpipe_reader r;
    size_t off;
    memset(&r, 0, sizeof r);
    seen.len = 0;
    for (off = 0; off < len; off += step)
      assert_int_equal(releve_rowpipe_reader_feed(&r, data + off,
                                                  len - off < step ? len - off : step, &host, NULL),
                       0);
    assert_true(r.ended);
    assert_int_equal(r.decode_rc, -EILSEQ);
    assert_false(releve_rowpipe_reader_partial(&r));
    assert_string_equal(seen.data, expect);
    /* Nothing may follow END. */
    assert_int_equal(releve_rowpipe_reader_feed(&r, data, 5, &host, NULL), -EBADMSG);
    releve_rowpipe_reader_free(&r);
  }
  free(data);
}

static void test_service_stop_and_garbage(void **state) {
  size_t len;
  char *data = encode(&len, 99);
  releve_rowpipe_reader r;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(releve_rowpipe_reader_feed(&r, data, len, &host, NULL), -ECANCELED);
  releve_rowpipe_reader_free(&r);
  /* Truncated inside a frame: a partial frame is pending. */
  memset(&r, 0, sizeof r);
  assert_int_equal(releve_rowpipe_reader_feed(&r, data, 7, &host, NULL), 0);
  assert_true(releve_rowpipe_reader_partial(&r));
  releve_rowpipe_reader_free(&r);
  free(data);
  /* A huge or empty length, an unknown type. */
  {
    unsigned char bad1[] = {0xff, 0xff, 0xff, 0x7f, 1};
    unsigned char bad2[] = {0, 0, 0, 0, 1};
    unsigned char bad3[] = {1, 0, 0, 0, 42};
    unsigned char bad4[] = {9, 0, 0, 0, 1, 200, 0, 0, 0, 0, 0, 0, 0}; /* 200 names, no bytes */
    memset(&r, 0, sizeof r);
    assert_int_equal(releve_rowpipe_reader_feed(&r, bad1, sizeof bad1, &host, NULL), -EBADMSG);
    releve_rowpipe_reader_free(&r);
    memset(&r, 0, sizeof r);
    assert_int_equal(releve_rowpipe_reader_feed(&r, bad2, sizeof bad2, &host, NULL), -EBADMSG);
    releve_rowpipe_reader_free(&r);
    memset(&r, 0, sizeof r);
    assert_int_equal(releve_rowpipe_reader_feed(&r, bad3, sizeof bad3, &host, NULL), -EBADMSG);
    releve_rowpipe_reader_free(&r);
    memset(&r, 0, sizeof r);
    assert_int_equal(releve_rowpipe_reader_feed(&r, bad4, sizeof bad4, &host, NULL), -EBADMSG);
    releve_rowpipe_reader_free(&r);
  }
}

static int r_probe(void *ctx, const char *plugin) {
  (void)ctx;
  releve_buf_addf(&seen, "P %s\n", plugin);
  return 0;
}

static int r_choice(void *ctx, const releve_rowpipe_choice *c) {
  (void)ctx;
  releve_buf_addf(&seen, "X %s %d %d %d", c->plugin ? c->plugin : "(null)", c->primary,
                  c->forced, c->confidence);
  for (size_t i = 0; i < c->n_others; i++)
    releve_buf_addf(&seen, " +%s", c->others[i]);
  releve_buf_addf(&seen, " %s\n", c->why ? c->why : "(null)");
  return 0;
}

static void choice_reader(releve_rowpipe_reader *r) {
  memset(r, 0, sizeof *r);
  r->probe = r_probe;
  r->choice = r_choice;
  seen.len = 0;
}

/* The child names each plugin it asks, then sends its choice once; the
 * reader hands both over, and refuses a probe or a choice after the
 * choice. */
static void test_choice_frames(void **state) {
  releve_plugin tpl = {.name = "template"};
  releve_reader_choice c = {.plugin = &tpl, .confidence = 80, .others = {"caf"}, .n_others = 1};
  releve_buf out = RELEVE_BUF_INIT;
  releve_rowpipe_writer w;
  releve_rowpipe_reader r;
  ssize_t n;
  int fds[2];
  (void)state;

  assert_int_equal(pipe(fds), 0);
  releve_rowpipe_writer_init(&w, fds[1], -1);
  assert_int_equal(releve_rowpipe_writer_probe(&w, "caf"), 0);
  assert_int_equal(releve_rowpipe_writer_probe(&w, "template"), 0);
  assert_int_equal(releve_rowpipe_writer_choice(&w, &c, NULL), 0);
  assert_int_equal(releve_rowpipe_writer_choice(&w, NULL, "aucun format reconnu"), 0);
  assert_int_equal(releve_rowpipe_writer_end(&w, 0), 0);
  releve_rowpipe_writer_free(&w);
  drain(fds, &out);

  /* Byte by byte up to the second CHOICE, which is refused. */
  choice_reader(&r);
  n = 0;
  for (size_t off = 0; off < out.len && n == 0; off++)
    n = releve_rowpipe_reader_feed(&r, out.data + off, 1, &host, NULL);
  assert_int_equal(n, -EBADMSG);
  assert_string_equal(seen.data, "P caf\nP template\nX template 0 0 80 +caf (null)\n");
  releve_rowpipe_reader_free(&r);

  /* A refusal alone, then a probe after it: malformed. */
  releve_buf_free(&out);
  assert_int_equal(pipe(fds), 0);
  releve_rowpipe_writer_init(&w, fds[1], -1);
  assert_int_equal(releve_rowpipe_writer_choice(&w, NULL, "aucun format reconnu"), 0);
  assert_int_equal(releve_rowpipe_writer_probe(&w, "caf"), 0);
  releve_rowpipe_writer_free(&w);
  drain(fds, &out);
  choice_reader(&r);
  assert_int_equal(releve_rowpipe_reader_feed(&r, out.data, out.len, &host, NULL), -EBADMSG);
  assert_string_equal(seen.data, "X (null) 0 0 0 aucun format reconnu\n");
  releve_rowpipe_reader_free(&r);
  releve_buf_free(&out);
}

static int r_sheet(void *ctx, const char *name) {
  (void)ctx;
  releve_buf_addf(&seen, "S %s\n", name);
  return 0;
}

static void test_rowspool_replays_in_order(void **state) {
  char *dir = test_dir("rowspool");
  const releve_host_services *s = releve_rowspool_services();
  const char *cols[] = {"indicateur", "valeur"};
  releve_cell cell = {RELEVE_CELL_NUMBER, "7", 7, 2};
  releve_rowspool sp;
  int stopped = 1;
  unsigned long line;
  char expect[64];
  (void)state;

  assert_int_equal(releve_rowspool_open(&sp, dir), 0);
  assert_int_equal(releve_rowspool_sheet(&sp, "Feuil1"), 0);
  assert_int_equal(s->columns(&sp, cols, 2), 0);
  /* 200,000 rows: far more than the writer's buffer, which stays bounded
   * (flushed to the file at 64 KiB). */
  for (line = 100; line < 200100; line++) { /* the recorder stops at line 99 */
    assert_int_equal(s->row(&sp, line, &cell, 1), 0);
    assert_true(sp.w.buf.len < (128u << 10));
  }
  assert_int_equal(s->error(&sp, 3, 2, "x", "valeur « %s » illisible", "x"), 0);
  s->log(&sp, 6, "done");
  assert_int_equal(releve_rowspool_failed(&sp), 0);
  seen.len = 0;
  assert_int_equal(releve_rowspool_replay(&sp, &host, r_sheet, NULL, &stopped), 0);
  assert_int_equal(stopped, 0);
  assert_true(strncmp(seen.data, "S Feuil1\nC indicateur valeur\nR100 2:2:7:7\nR101 2:2:7:7\n", 55) == 0);
  snprintf(expect, sizeof expect, "R200099 2:2:7:7\nE3:2:x:valeur « x » illisible\nL6:done\n");
  assert_string_equal(seen.data + seen.len - strlen(expect), expect);
  /* A second replay gives the same; a service that stops is reported as
   * such, not as a failure. */
  assert_int_equal(releve_rowspool_replay(&sp, &host, r_sheet, NULL, &stopped), 0);
  assert_int_equal(stopped, 0);
  releve_rowspool_close(&sp);

  assert_int_equal(releve_rowspool_open(&sp, dir), 0);
  for (line = 97; line < 102; line++)
    assert_int_equal(s->row(&sp, line, &cell, 1), 0);
  seen.len = 0;
  assert_int_equal(releve_rowspool_replay(&sp, &host, r_sheet, NULL, &stopped), 0);
  assert_int_equal(stopped, -ECANCELED);
  assert_string_equal(seen.data, "R97 2:2:7:7\nR98 2:2:7:7\nR99 2:2:7:7\n");
  releve_rowspool_close(&sp);
  /* The spool leaves nothing behind in its folder. */
  {
    DIR *d = opendir(dir);
    struct dirent *e;
    int entries = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
      entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    assert_int_equal(entries, 0);
  }
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip_any_chunking),
      cmocka_unit_test(test_service_stop_and_garbage),
      cmocka_unit_test(test_choice_frames),
      cmocka_unit_test(test_rowspool_replays_in_order),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  releve_buf_free(&seen);
  return rc;
}
