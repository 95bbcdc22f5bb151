/* source.c -- buffered bytes over args->read. */
#include <errno.h>
#include <stdlib.h>

#include "kit.h"

#define SOURCE_CHUNK (64u * 1024u)

int releve_kit_source_init(releve_kit_source *src, const releve_decode_args *args) {
  *src = (releve_kit_source){0};
  src->args = args;
  src->buf = malloc(SOURCE_CHUNK);
  if (src->buf == NULL)
    return -ENOMEM;
  src->cap = SOURCE_CHUNK;
  return 0;
}

void releve_kit_source_free(releve_kit_source *src) {
  free(src->buf);
  src->buf = NULL;
}

int releve_kit_source_fill(releve_kit_source *src) {
  if (src->pos < src->len)
    return 1;
  if (src->err < 0)
    return src->err;
  if (src->eof)
    return 0;
  src->pos = src->len = 0;
  ssize_t got = src->args->read(src->args->host_ctx, src->buf, src->cap);
  if (got > 0 && (size_t)got <= src->cap) {
    src->len = (size_t)got;
    src->consumed += (unsigned long long)got;
    return 1;
  }
  if (got == 0) {
    src->eof = 1;
    return 0;
  }
  /* A count larger than asked is a host bug: treat it as a read failure. */
  int rc = got < 0 && got >= -4095 ? (int)got : -EIO;
  src->err = releve_kit_host_fail(
      src->args, rc, 0, 0,
      "lecture du fichier interrompue après %llu octets (erreur système %d) ; "
      "le fichier doit être déposé de nouveau",
      src->consumed, -rc);
  return src->err;
}
