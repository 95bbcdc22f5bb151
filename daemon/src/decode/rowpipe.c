#include "decode/rowpipe.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fd.h"

enum { F_COLUMNS = 1, F_ROW = 2, F_ERROR = 3, F_LOG = 4, F_END = 5, F_SHEET = 6, F_PROBE = 7,
       F_CHOICE = 8 };

#define FLUSH_AT (64u << 10)

/* ---- child side ------------------------------------------------------- */

static int flush(releve_rowpipe_writer *w) {
  int rc = releve_fd_write_all(w->fd, w->buf.data, w->buf.len);
  if (rc)
    return w->failed = rc;
  w->buf.len = 0;
  return 0;
}

static int put(releve_rowpipe_writer *w, const void *p, size_t n) {
  int rc = releve_buf_add(&w->buf, p, n);
  if (rc)
    w->failed = rc;
  return rc;
}

static int put_u8(releve_rowpipe_writer *w, uint8_t v) { return put(w, &v, sizeof v); }
static int put_u32(releve_rowpipe_writer *w, uint32_t v) { return put(w, &v, sizeof v); }
static int put_u64(releve_rowpipe_writer *w, uint64_t v) { return put(w, &v, sizeof v); }

static int put_str(releve_rowpipe_writer *w, const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n > RELEVE_ROWPIPE_MAX_FRAME / 2)
    n = RELEVE_ROWPIPE_MAX_FRAME / 2; /* never produce a frame the reader refuses */
  if (put_u32(w, (uint32_t)n) || put(w, s ? s : "", n))
    return w->failed;
  return put_u8(w, 0);
}

/* Starts a frame; returns the offset of its length field. */
static size_t frame_start(releve_rowpipe_writer *w, uint8_t type) {
  size_t at = w->buf.len;
  put_u32(w, 0);
  put_u8(w, type);
  return at;
}

static int frame_end(releve_rowpipe_writer *w, size_t at) {
  uint32_t len;
  if (w->failed)
    return w->failed;
  if (w->buf.len - at - 4 > RELEVE_ROWPIPE_MAX_FRAME)
    return w->failed = -E2BIG;
  len = (uint32_t)(w->buf.len - at - 4);
  memcpy(w->buf.data + at, &len, sizeof len);
  return w->buf.len >= FLUSH_AT ? flush(w) : 0;
}

static int w_columns(void *ctx, const char *const *names, size_t n) {
  releve_rowpipe_writer *w = ctx;
  size_t at, i;
  if (w->failed)
    return w->failed;
  at = frame_start(w, F_COLUMNS);
  put_u32(w, (uint32_t)n);
  for (i = 0; i < n; i++)
    put_str(w, names[i]);
  return frame_end(w, at);
}

static int w_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  releve_rowpipe_writer *w = ctx;
  size_t at, i;
  if (w->failed)
    return w->failed;
  at = frame_start(w, F_ROW);
  put_u64(w, line);
  put_u32(w, (uint32_t)n);
  for (i = 0; i < n; i++) {
    put_u8(w, (uint8_t)cells[i].kind);
    put_u32(w, cells[i].column);
    put(w, &cells[i].number, sizeof cells[i].number);
    put_str(w, cells[i].text);
  }
  return frame_end(w, at);
}

__attribute__((format(printf, 5, 6))) static int w_error(void *ctx, unsigned long line,
                                                         unsigned column, const char *value,
                                                         const char *fmt, ...) {
  releve_rowpipe_writer *w = ctx;
  releve_buf msg = RELEVE_BUF_INIT;
  va_list ap;
  size_t at;
  int rc;
  if (w->failed)
    return w->failed;
  va_start(ap, fmt);
  rc = releve_buf_vaddf(&msg, fmt, ap);
  va_end(ap);
  if (rc)
    return w->failed = rc;
  at = frame_start(w, F_ERROR);
  put_u64(w, line);
  put_u32(w, column);
  put_u8(w, value != NULL);
  put_str(w, value);
  put_str(w, msg.data);
  releve_buf_free(&msg);
  return frame_end(w, at);
}

__attribute__((format(printf, 3, 4))) static void w_log(void *ctx, int level, const char *fmt,
                                                       ...) {
  releve_rowpipe_writer *w = ctx;
  releve_buf msg = RELEVE_BUF_INIT;
  va_list ap;
  size_t at;
  if (w->failed)
    return;
  va_start(ap, fmt);
  if (releve_buf_vaddf(&msg, fmt, ap) == 0) {
    at = frame_start(w, F_LOG);
    put_u8(w, (uint8_t)level);
    put_str(w, msg.data);
    frame_end(w, at);
  }
  va_end(ap);
  releve_buf_free(&msg);
}

/* The workbook is read here, in the child, which has the file; the parent
 * only learns which sheet the rows come from. */
int releve_rowpipe_writer_sheet(void *ctx, const char *name) {
  releve_rowpipe_writer *w = ctx;
  if (w->failed)
    return w->failed;
  size_t at = frame_start(w, F_SHEET);
  put_str(w, name);
  return frame_end(w, at);
}

/* Flushed at once: the parent must know whose recognise() runs before it
 * runs, to name it if it never returns. */
int releve_rowpipe_writer_probe(releve_rowpipe_writer *w, const char *plugin) {
  size_t at;
  if (w->failed)
    return w->failed;
  at = frame_start(w, F_PROBE);
  put_str(w, plugin);
  return frame_end(w, at) ? w->failed : flush(w);
}

int releve_rowpipe_writer_choice(releve_rowpipe_writer *w, const releve_reader_choice *c,
                                 const char *why) {
  size_t at, i;
  if (w->failed)
    return w->failed;
  at = frame_start(w, F_CHOICE);
  put_str(w, why ? NULL : c->plugin->name);
  put_u8(w, (uint8_t)(why ? 0 : c->primary));
  put_u8(w, (uint8_t)(why ? 0 : c->forced));
  put_u32(w, (uint32_t)(why ? 0 : c->confidence));
  put_u32(w, (uint32_t)(why ? 0 : c->n_others));
  for (i = 0; why == NULL && i < c->n_others; i++)
    put_str(w, c->others[i]);
  put_str(w, why);
  return frame_end(w, at) ? w->failed : flush(w);
}

RELEVE_WORKBOOK_HOST_SERVICES(w, releve_rowpipe_writer, book)

static const releve_host_services writer_services = {
    sizeof writer_services, w_columns,        w_row,          w_error,         w_log,
    w_workbook_open,        w_workbook_sheet, w_workbook_row, w_workbook_close};

const releve_host_services *releve_rowpipe_writer_services(void) { return &writer_services; }

void releve_rowpipe_writer_init(releve_rowpipe_writer *w, int out, int file) {
  memset(w, 0, sizeof *w);
  w->fd = out;
  w->book = (releve_workbook_host){file, &writer_services, w, releve_rowpipe_writer_sheet, w};
}

int releve_rowpipe_writer_end(releve_rowpipe_writer *w, int decode_rc) {
  int32_t v = decode_rc;
  size_t at;
  w->failed = 0; /* the END frame is always attempted */
  at = frame_start(w, F_END);
  put(w, &v, sizeof v);
  if (frame_end(w, at))
    return w->failed;
  return flush(w);
}

int releve_rowpipe_writer_flush(releve_rowpipe_writer *w) {
  return w->failed ? w->failed : flush(w);
}

void releve_rowpipe_writer_free(releve_rowpipe_writer *w) { releve_buf_free(&w->buf); }

/* ---- parent side ------------------------------------------------------ */

typedef struct cursor {
  const unsigned char *p, *end;
  int bad;
} cursor;

static void get(cursor *c, void *out, size_t n) {
  if (c->bad || (size_t)(c->end - c->p) < n) {
    c->bad = 1;
    memset(out, 0, n);
    return;
  }
  memcpy(out, c->p, n);
  c->p += n;
}

static uint8_t get_u8(cursor *c) { uint8_t v; get(c, &v, sizeof v); return v; }
static uint32_t get_u32(cursor *c) { uint32_t v; get(c, &v, sizeof v); return v; }
static uint64_t get_u64(cursor *c) { uint64_t v; get(c, &v, sizeof v); return v; }

/* A string borrowed from the frame (NUL-terminated there). */
static const char *get_str(cursor *c) {
  uint32_t n = get_u32(c);
  const char *s;
  if (c->bad || (size_t)(c->end - c->p) < (size_t)n + 1 || c->p[n] != '\0') {
    c->bad = 1;
    return "";
  }
  s = (const char *)c->p;
  c->p += (size_t)n + 1;
  return s;
}

static int dispatch(releve_rowpipe_reader *r, uint8_t type, cursor *c,
                    const releve_host_services *host, void *ctx) {
  uint32_t n, i;
  int rc = 0;

  switch (type) {
  case F_COLUMNS: {
    const char **names;
    n = get_u32(c);
    if (c->bad || n > (size_t)(c->end - c->p) / 5)
      return -EBADMSG;
    names = calloc(n ? n : 1, sizeof *names);
    if (names == NULL)
      return -ENOMEM;
    for (i = 0; i < n; i++)
      names[i] = get_str(c);
    if (!c->bad && c->p == c->end)
      rc = host->columns(ctx, names, n);
    else
      rc = -EBADMSG;
    free(names);
    return rc;
  }
  case F_ROW: {
    releve_cell *cells;
    uint64_t line = get_u64(c);
    n = get_u32(c);
    if (c->bad || n > (size_t)(c->end - c->p) / 18)
      return -EBADMSG;
    cells = calloc(n ? n : 1, sizeof *cells);
    if (cells == NULL)
      return -ENOMEM;
    for (i = 0; i < n; i++) {
      uint8_t kind = get_u8(c);
      if (kind > RELEVE_CELL_NOT_AVAILABLE)
        c->bad = 1;
      cells[i].kind = (releve_cell_kind)kind;
      cells[i].column = get_u32(c);
      get(c, &cells[i].number, sizeof cells[i].number);
      cells[i].text = get_str(c);
    }
    if (!c->bad && c->p == c->end)
      rc = host->row(ctx, (unsigned long)line, cells, n);
    else
      rc = -EBADMSG;
    free(cells);
    return rc;
  }
  case F_ERROR: {
    uint64_t line = get_u64(c);
    uint32_t column = get_u32(c);
    uint8_t has_value = get_u8(c);
    const char *value = get_str(c);
    const char *msg = get_str(c);
    if (c->bad || c->p != c->end)
      return -EBADMSG;
    return host->error(ctx, (unsigned long)line, column, has_value ? value : NULL, "%s", msg);
  }
  case F_LOG: {
    uint8_t level = get_u8(c);
    const char *msg = get_str(c);
    if (c->bad || c->p != c->end)
      return -EBADMSG;
    host->log(ctx, level, "%s", msg);
    return 0;
  }
  case F_SHEET: {
    const char *name = get_str(c);
    if (c->bad || c->p != c->end)
      return -EBADMSG;
    return r->sheet != NULL ? r->sheet(ctx, name) : 0;
  }
  case F_PROBE: {
    const char *name = get_str(c);
    if (c->bad || c->p != c->end || r->chosen)
      return -EBADMSG;
    return r->probe != NULL ? r->probe(r->choice_ctx, name) : 0;
  }
  case F_CHOICE: {
    releve_rowpipe_choice ch;
    memset(&ch, 0, sizeof ch);
    ch.plugin = get_str(c);
    ch.primary = get_u8(c);
    ch.forced = get_u8(c);
    ch.confidence = (int)get_u32(c);
    n = get_u32(c);
    if (c->bad || n > RELEVE_READER_MAX || r->chosen)
      return -EBADMSG;
    for (i = 0; i < n; i++)
      ch.others[i] = get_str(c);
    ch.n_others = n;
    ch.why = get_str(c);
    if (c->bad || c->p != c->end || (*ch.why == '\0') == (*ch.plugin == '\0'))
      return -EBADMSG;
    if (*ch.why == '\0')
      ch.why = NULL;
    else
      ch.plugin = NULL;
    r->chosen = 1;
    return r->choice != NULL ? r->choice(r->choice_ctx, &ch) : 0;
  }
  case F_END: {
    int32_t v;
    get(c, &v, sizeof v);
    if (c->bad || c->p != c->end)
      return -EBADMSG;
    r->ended = 1;
    r->decode_rc = v;
    return 0;
  }
  default:
    return -EBADMSG;
  }
}

int releve_rowpipe_reader_feed(releve_rowpipe_reader *r, const void *data, size_t len,
                               const releve_host_services *host, void *ctx) {
  int rc = 0;

  if (len && r->ended)
    return -EBADMSG;
  if (len && (rc = releve_buf_add(&r->buf, data, len)) != 0)
    return rc;
  while (rc == 0 && r->buf.len - r->off >= 5) {
    uint32_t flen;
    cursor c;
    uint8_t type;
    memcpy(&flen, r->buf.data + r->off, sizeof flen);
    if (flen < 1 || flen > RELEVE_ROWPIPE_MAX_FRAME)
      return -EBADMSG;
    if (r->buf.len - r->off - 4 < flen)
      break;
    if (r->ended)
      return -EBADMSG;
    type = (uint8_t)r->buf.data[r->off + 4];
    c.p = (const unsigned char *)r->buf.data + r->off + 5;
    c.end = (const unsigned char *)r->buf.data + r->off + 4 + flen;
    c.bad = 0;
    rc = dispatch(r, type, &c, host, ctx);
    r->off += 4 + (size_t)flen;
  }
  /* Keep only the undecoded tail. */
  if (r->off) {
    memmove(r->buf.data, r->buf.data + r->off, r->buf.len - r->off);
    r->buf.len -= r->off;
    if (r->buf.data)
      r->buf.data[r->buf.len] = '\0';
    r->off = 0;
  }
  return rc;
}

int releve_rowpipe_reader_partial(const releve_rowpipe_reader *r) { return r->buf.len > r->off; }

void releve_rowpipe_reader_free(releve_rowpipe_reader *r) { releve_buf_free(&r->buf); }
