/* util.h -- small helpers shared by the core: a growable string buffer,
 * path handling and durable file writes. Functions return 0 or a negative
 * errno value unless said otherwise. */
#ifndef RELEVE_UTIL_H
#define RELEVE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

typedef struct releve_buf {
  char *data; /* always NUL-terminated once anything was added */
  size_t len;
  size_t cap;
} releve_buf;

#define RELEVE_BUF_INIT {NULL, 0, 0}

int releve_buf_add(releve_buf *b, const char *s, size_t n);
int releve_buf_adds(releve_buf *b, const char *s);
int releve_buf_addf(releve_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int releve_buf_vaddf(releve_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Adds s as one field of a ';'-separated CSV line, quoted when needed. */
int releve_buf_add_csv(releve_buf *b, const char *s);
/* Hands the string over to the caller (never NULL on success) and resets b. */
char *releve_buf_steal(releve_buf *b);
void releve_buf_free(releve_buf *b);

/* malloc'ed printf; NULL on allocation failure. */
char *releve_aprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An absolute path is returned as is; a relative one is joined to base_dir.
 * NULL on allocation failure. */
char *releve_path_resolve(const char *base_dir, const char *path);
/* The folder part of path ("." when there is none). */
char *releve_path_dirname(const char *path);
/* The last component of path (a pointer into path). */
const char *releve_path_basename(const char *path);

int releve_mkdir_p(const char *path, mode_t mode);

/* Writes data to path durably: a temporary name in the same folder, write,
 * fsync, rename over path, fsync the folder. */
int releve_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
int releve_fsync_dir(const char *dir);

/* Reads a whole (small) file; *len gets its size. The result is
 * NUL-terminated. */
int releve_read_file(const char *path, char **data, size_t *len);

/* t as the UTC text the database keeps ("2026-03-01T08:00:00Z"), which
 * compares as it sorts. */
void releve_utc_text(time_t t, char out[32]);
/* t as partners read it, in Europe/Paris local time whatever zone the
 * process runs under: "02/12/2026 à 18:05 (heure de Paris)". */
void releve_paris_text(time_t t, char out[48]);
/* The broken-down Europe/Paris local time of t (tm_gmtoff and tm_zone are
 * not set). */
void releve_paris_tm(time_t t, struct tm *out);

#endif
