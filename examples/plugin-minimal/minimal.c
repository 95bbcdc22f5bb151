/* minimal.c -- the smallest useful relevé source plugin, built out of tree
 * against the installed header (see the Makefile and releve-plugin(3)).
 *
 * It reads text lines split by one separator character (the "separator"
 * option, ';' by default), the first line naming the columns. A cell that
 * reads as a number becomes a number, "s" is suppressed for statistical
 * secrecy, "nd" not available, an empty cell empty, anything else text.
 * With the référentiel's column names (indicateur;periode;geographie;valeur)
 * its rows suit the default "long" mapping. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <releve/plugin.h>

#define MAX_LINE 8192
#define MAX_COLUMNS 256

static const releve_option options[] = {
    {"separator", RELEVE_OPT_STRING, ";", "the one character between cells"},
    {NULL, 0, NULL, NULL},
};

static void classify(releve_cell *c) {
  char *end;

  if (c->text[0] == '\0') {
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

/* Splits one line in place and hands it to the host: names for line 1, a
 * row after. */
static int line_done(const releve_decode_args *a, char sep, char *line, unsigned long lineno) {
  const char *names[MAX_COLUMNS];
  releve_cell cells[MAX_COLUMNS];
  size_t n = 0;
  char *p = line;

  for (;;) {
    char *next = strchr(p, sep);
    if (n == MAX_COLUMNS) {
      int rc = a->host->error(a->host_ctx, lineno, MAX_COLUMNS + 1, NULL,
                              "plus de %d colonnes : fichier non reconnu", MAX_COLUMNS);
      return rc < 0 ? rc : -EBADMSG;
    }
    if (next)
      *next = '\0';
    memset(&cells[n], 0, sizeof cells[n]);
    cells[n].text = names[n] = p;
    cells[n].column = (unsigned)n + 1;
    n++;
    if (next == NULL)
      break;
    p = next + 1;
  }
  if (lineno == 1)
    return a->host->columns(a->host_ctx, names, n);
  for (size_t i = 0; i < n; i++)
    classify(&cells[i]);
  return a->host->row(a->host_ctx, lineno, cells, n);
}

static int decode(const releve_decode_args *a) {
  const char *sep_opt = a->options[0].str;
  char line[MAX_LINE], buf[4096];
  size_t len = 0;
  unsigned long lineno = 0;
  ssize_t got;
  int rc = 0;

  if (sep_opt == NULL || strlen(sep_opt) != 1) {
    a->host->error(a->host_ctx, 0, 0, sep_opt, "séparateur invalide : un seul caractère attendu");
    return -EINVAL;
  }
  while (rc == 0 && (got = a->read(a->host_ctx, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < got && rc == 0; i++) {
      if (buf[i] == '\r')
        continue;
      if (buf[i] != '\n') {
        if (len + 1 >= sizeof line) {
          a->host->error(a->host_ctx, lineno + 1, 0, NULL,
                         "ligne de plus de %d octets : fichier non reconnu", MAX_LINE - 1);
          return -EBADMSG;
        }
        line[len++] = buf[i];
        continue;
      }
      line[len] = '\0';
      len = 0;
      rc = line_done(a, sep_opt[0], line, ++lineno);
    }
  }
  if (rc == 0 && got < 0)
    rc = (int)got;
  if (rc == 0 && len > 0) { /* a last line without its newline */
    line[len] = '\0';
    rc = line_done(a, sep_opt[0], line, ++lineno);
  }
  if (rc == 0 && lineno == 0) {
    a->host->error(a->host_ctx, 0, 0, NULL, "fichier vide : une ligne d'en-tête est attendue");
    rc = -EBADMSG;
  }
  return rc;
}

static const releve_plugin descriptor = {
    .abi_major = RELEVE_PLUGIN_ABI_MAJOR,
    .struct_size = sizeof(releve_plugin),
    .name = "minimal",
    .version = "1.0",
    .description = "separator-delimited text, first line naming the columns",
    .options = options,
    .decode = decode,
};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) {
  return &descriptor;
}
