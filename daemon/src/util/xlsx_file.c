/* xlsx_file.c -- workbooks through a private temporary file (xlsx_file.h). */
#include "util/xlsx_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fs.h"
#include "util/log.h"

int releve_xlsx_file_open(releve_xlsx_file *f) {
  const char *tmp = getenv("TMPDIR");
  int fd;

  memset(f, 0, sizeof *f);
  snprintf(f->path, sizeof f->path, "%s/releve-xlsx.XXXXXX",
           tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  if ((fd = mkstemp(f->path)) < 0) {
    releve_err("xlsx: cannot create a temporary file %s: %s", f->path, strerror(errno));
    f->path[0] = '\0';
    return -EIO;
  }
  close(fd);
  if ((f->wb = workbook_new(f->path)) == NULL) {
    unlink(f->path);
    f->path[0] = '\0';
    return -ENOMEM;
  }
  return 0;
}

void releve_xlsx_file_note(releve_xlsx_file *f, lxw_error e) {
  if (f->error == LXW_NO_ERROR)
    f->error = e;
}

int releve_xlsx_file_close(releve_xlsx_file *f, releve_buf *out) {
  char *data;
  size_t len;
  int rc;

  releve_xlsx_file_note(f, workbook_close(f->wb));
  f->wb = NULL;
  if (f->error != LXW_NO_ERROR) {
    releve_err("xlsx: %s", lxw_strerror(f->error));
    rc = -EIO;
  } else if ((rc = releve_fs_read_file(f->path, &data, &len)) == 0) {
    out->data = data;
    out->len = len;
    out->cap = len + 1;
  }
  releve_xlsx_file_discard(f);
  return rc;
}

void releve_xlsx_file_discard(releve_xlsx_file *f) {
  if (f->wb)
    workbook_close(f->wb);
  f->wb = NULL;
  if (f->path[0])
    unlink(f->path);
  f->path[0] = '\0';
}
