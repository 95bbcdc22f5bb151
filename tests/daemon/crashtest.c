/* crashtest.c -- a test source plugin for the daemon's integration tests.
 *
 * It decodes the référentiel's long template (';' separated, a header line,
 * decimal commas) well enough for the tests, and misbehaves on demand,
 * depending on the file's name: "crash" dereferences NULL, "hang" never
 * returns, "hog" allocates until refused, "slow" sleeps 2 ms every 10
 * rows (to be killed in the middle of a file), "nap" sleeps 15 s before
 * reading, "exit" calls exit(0) after the first figure, "noisy" writes
 * 50 MiB to its stdout and stderr before reading. */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "releve/plugin.h"

#define MAX_LINE 4096
#define MAX_CELLS 16

static int misbehave(const releve_decode_args *a) {
  const char *name = a->file_name;
  if (strstr(name, "crash")) {
    volatile int *p = NULL;
    *p = 11;
  }
  if (strstr(name, "hang"))
    for (;;)
      pause();
  if (strstr(name, "nap"))
    sleep(15);
  if (strstr(name, "noisy")) {
    static char junk[1 << 16];
    memset(junk, 'x', sizeof junk);
    for (size_t i = 63; i < sizeof junk; i += 64)
      junk[i] = '\n';
    for (int i = 0; i < 400; i++)
      if (fwrite(junk, 1, sizeof junk, i % 2 ? stderr : stdout) != sizeof junk)
        break;
  }
  if (strstr(name, "hog")) {
    for (;;) {
      char *p = malloc(64 << 20);
      if (p == NULL) {
        a->host->error(a->host_ctx, 0, 0, NULL, "mémoire insuffisante");
        return -ENOMEM;
      }
      memset(p, 1, 64 << 20);
    }
  }
  return 0;
}

static int emit(const releve_decode_args *a, unsigned long lineno, char *line, int header) {
  const char *names[MAX_CELLS];
  releve_cell cells[MAX_CELLS];
  size_t n = 0;
  char *p = line, *end;

  for (;;) {
    char *sep = strchr(p, ';');
    if (sep)
      *sep = '\0';
    if (n == MAX_CELLS)
      return a->host->error(a->host_ctx, lineno, (unsigned)n + 1, NULL, "trop de colonnes");
    names[n] = p;
    cells[n].text = p;
    cells[n].column = (unsigned)n + 1;
    cells[n].number = 0;
    if (*p == '\0') {
      cells[n].kind = RELEVE_CELL_EMPTY;
    } else {
      char buf[64];
      size_t k = strlen(p) < sizeof buf - 1 ? strlen(p) : sizeof buf - 1;
      memcpy(buf, p, k);
      buf[k] = '\0';
      for (char *c = buf; *c; c++)
        if (*c == ',')
          *c = '.';
      cells[n].number = strtod(buf, &end);
      cells[n].kind = end != buf && *end == '\0' ? RELEVE_CELL_NUMBER : RELEVE_CELL_TEXT;
    }
    n++;
    if (sep == NULL)
      break;
    p = sep + 1;
  }
  if (header)
    return a->host->columns(a->host_ctx, names, n);
  return a->host->row(a->host_ctx, lineno, cells, n);
}

static int decode(const releve_decode_args *a) {
  char buf[8192], line[MAX_LINE];
  size_t len = 0;
  unsigned long lineno = 0;
  ssize_t got;
  int rc;

  int slow = strstr(a->file_name, "slow") != NULL;
  int quits = strstr(a->file_name, "exit") != NULL;

  if ((rc = misbehave(a)) != 0)
    return rc;
  while ((got = a->read(a->host_ctx, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < got; i++) {
      if (buf[i] != '\n') {
        if (len < MAX_LINE - 1 && buf[i] != '\r')
          line[len++] = buf[i];
        continue;
      }
      line[len] = '\0';
      lineno++;
      if (len && (rc = emit(a, lineno, line, lineno == 1)) < 0)
        return rc;
      if (quits && lineno == 2)
        exit(0);
      if (slow && lineno % 10 == 0)
        usleep(2000);
      len = 0;
    }
  }
  if (got < 0)
    return (int)got;
  if (len) {
    line[len] = '\0';
    lineno++;
    if ((rc = emit(a, lineno, line, lineno == 1)) < 0)
      return rc;
    if (quits && lineno == 2)
      exit(0);
  }
  return 0;
}

static const releve_plugin desc = {
    .abi_major = RELEVE_PLUGIN_ABI_MAJOR,
    .struct_size = sizeof(releve_plugin),
    .name = "crashtest",
    .version = "1",
    .description = "test plugin: long template, crashes, hangs or hogs memory on demand",
    .decode = decode};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void);
RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &desc; }
