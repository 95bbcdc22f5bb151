/* A minimal plugin for the core's tests: ';'-separated lines, the first one
 * naming the columns. "s" is suppressed, "nd" not available, a number a
 * number (decimal point only), anything else text. It fails on purpose on
 * a line reading "CRASH" so that tests can see a plugin crash. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "releve/plugin.h"

#define MAX_LINE 4096
#define MAX_COLS 64

static void classify(releve_cell *c) {
  char *end;
  if (*c->text == '\0') {
    c->kind = RELEVE_CELL_EMPTY;
  } else if (strcmp(c->text, "s") == 0) {
    c->kind = RELEVE_CELL_SUPPRESSED;
  } else if (strcmp(c->text, "nd") == 0) {
    c->kind = RELEVE_CELL_NOT_AVAILABLE;
  } else {
    c->number = strtod(c->text, &end);
    c->kind = *end == '\0' ? RELEVE_CELL_NUMBER : RELEVE_CELL_TEXT;
  }
}

static int emit(const releve_decode_args *a, char *line, unsigned long lineno) {
  const char *names[MAX_COLS];
  releve_cell cells[MAX_COLS];
  size_t n = 0;
  char *p = line;

  if (strcmp(line, "CRASH") == 0)
    raise(SIGSEGV);
  for (;;) {
    char *sep = strchr(p, ';');
    if (sep)
      *sep = '\0';
    if (n == MAX_COLS)
      return -EBADMSG;
    memset(&cells[n], 0, sizeof cells[n]);
    cells[n].text = names[n] = p;
    cells[n].column = (unsigned)n + 1;
    n++;
    if (sep == NULL)
      break;
    p = sep + 1;
  }
  if (lineno == 1)
    return a->host->columns(a->host_ctx, names, n);
  for (size_t i = 0; i < n; i++)
    classify(&cells[i]);
  return a->host->row(a->host_ctx, lineno, cells, n);
}

static int decode(const releve_decode_args *a) {
  char line[MAX_LINE], buf[512];
  size_t len = 0;
  unsigned long lineno = 0;
  ssize_t got;
  int rc = 0;

  while (rc == 0 && (got = a->read(a->host_ctx, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < got && rc == 0; i++) {
      if (buf[i] == '\r')
        continue;
      if (buf[i] != '\n') {
        if (len + 1 >= sizeof line)
          return -EBADMSG;
        line[len++] = buf[i];
        continue;
      }
      line[len] = '\0';
      len = 0;
      rc = emit(a, line, ++lineno);
    }
  }
  if (rc == 0 && len) {
    line[len] = '\0';
    rc = emit(a, line, ++lineno);
  }
  return rc;
}

static const releve_option options[] = {
    {"unused", RELEVE_OPT_BOOL, "false", "an option, to test option checking"},
    {NULL, 0, NULL, NULL}};

/* Built as an ABI 1.0 plugin (no recognise): the host takes it to
 * recognise every file, as before readers were chosen. */
static const releve_plugin descriptor = {.abi_major = RELEVE_PLUGIN_ABI_MAJOR,
                                         .struct_size = RELEVE_PLUGIN_MIN_SIZE,
                                         .name = "lines",
                                         .version = "1.0",
                                         .description = "test plugin: ';' lines",
                                         .options = options,
                                         .decode = decode};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &descriptor; }
