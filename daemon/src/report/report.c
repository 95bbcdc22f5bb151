#include "report/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/str.h"


static int keep(int *n) { return ++*n <= RELEVE_REPORT_MAX_LINES; }

int releve_report_sheet(releve_report *r, const char *name) {
  char *copy = NULL;
  if (name != NULL && (copy = strdup(name)) == NULL)
    return -ENOMEM;
  free(r->sheet);
  r->sheet = copy;
  return 0;
}

/* A sheet name as a reference writes it: quoted (quotes doubled) when it
 * holds anything but letters, digits, '_' and '.', as Excel and LibreOffice
 * do ('Mode d''emploi'!A1). */
static void sheet_name(const char *name, char *out, size_t size) {
  int plain = *name != '\0';
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    if (!(*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
          *p == '_' || *p == '.'))
      plain = 0;
  if (plain) {
    snprintf(out, size, "%.120s", name);
    return;
  }
  size_t o = 0;
  out[o++] = '\'';
  for (const char *p = name; *p && o + 4 < size; p++) {
    if (*p == '\'')
      out[o++] = '\'';
    out[o++] = *p;
  }
  out[o++] = '\'';
  out[o] = '\0';
}

const char *releve_report_cell_ref(unsigned column, unsigned long row, char out[24]) {
  if (column == 0) {
    snprintf(out, 24, "%lu", row);
    return out;
  }
  char letters[8];
  int n = 0;
  while (column > 0 && n < 7) {
    letters[n++] = (char)('A' + (column - 1) % 26);
    column = (column - 1) / 26;
  }
  int o = 0;
  while (n > 0)
    out[o++] = letters[--n];
  if (row > 0)
    snprintf(out + o, (size_t)(24 - o), "%lu", row);
  else
    out[o] = '\0';
  return out;
}

const char *releve_report_where(const releve_report *r, unsigned long line, unsigned column,
                                char out[192]) {
  char name[136], ref[24];
  if (line == 0)
    snprintf(out, 192, "fichier");
  else if (r->sheet == NULL && column)
    snprintf(out, 192, "ligne %lu, colonne %u", line, column);
  else if (r->sheet == NULL)
    snprintf(out, 192, "ligne %lu", line);
  else {
    sheet_name(r->sheet, name, sizeof name);
    if (column)
      snprintf(out, 192, "cellule %s!%s", name, releve_report_cell_ref(column, line, ref));
    else
      snprintf(out, 192, "%s, ligne %lu", name, line);
  }
  return out;
}

void releve_report_problem(releve_report *r, unsigned long line, unsigned column,
                           const char *value, const char *message) {
  if (!keep(&r->n_problems))
    return;
  char where[192];
  releve_buf_addf(&r->problems, "  - %s", releve_report_where(r, line, column, where));
  if (value && *value)
    releve_buf_addf(&r->problems, ", valeur « %.80s »", value);
  releve_buf_addf(&r->problems, " : %s\n", message);
}

void releve_report_warning(releve_report *r, unsigned long line, const char *fmt, ...) {
  va_list ap;
  if (!keep(&r->n_warnings))
    return;
  char where[192];
  if (line)
    releve_buf_addf(&r->warnings, "  - %s : ", releve_report_where(r, line, 0, where));
  else
    releve_buf_adds(&r->warnings, "  - ");
  va_start(ap, fmt);
  releve_buf_vaddf(&r->warnings, fmt, ap);
  va_end(ap);
  releve_buf_adds(&r->warnings, "\n");
}

void releve_report_stored(releve_report *r, const char *fmt, ...) {
  va_list ap;
  if (!keep(&r->n_stored))
    return;
  releve_buf_adds(&r->stored, "  ");
  va_start(ap, fmt);
  releve_buf_vaddf(&r->stored, fmt, ap);
  va_end(ap);
  releve_buf_adds(&r->stored, "\n");
}

const char *releve_report_format(double v, int decimals, unsigned flags,
                                 char out[RELEVE_NUMBER_SIZE]) {
  char digits[RELEVE_NUMBER_SIZE];
  const char *p, *frac;
  size_t n = 0, int_len, i;
  int plain;

  if (decimals > 6)
    decimals = 6;
  if (decimals >= 0 && fabs(v) < 1e15) {
    double scale = pow(10, decimals);
    v = round(v * scale) / scale;
    snprintf(digits, sizeof digits, "%.*f", decimals, v);
  } else {
    snprintf(digits, sizeof digits, "%.15g", v);
  }
  p = digits;
  /* Rounding may leave "-0" or "-0.0": no sign on a zero. */
  if (*p == '-' && *++p && strspn(p, "0.") != strlen(p))
    out[n++] = '-';
  plain = strpbrk(p, "eEn") == NULL; /* not an exponent form, inf or nan */
  frac = strchr(p, '.');
  int_len = frac ? (size_t)(frac - p) : strlen(p);
  for (i = 0; i < int_len; i++) {
    if ((flags & RELEVE_NUMBER_GROUPED) && plain && int_len >= 4 && i > 0 &&
        (int_len - i) % 3 == 0) {
      memcpy(out + n, RELEVE_NUMBER_SPACE, sizeof RELEVE_NUMBER_SPACE - 1);
      n += sizeof RELEVE_NUMBER_SPACE - 1;
    }
    out[n++] = p[i];
  }
  if (frac) {
    out[n++] = ',';
    n += (size_t)snprintf(out + n, RELEVE_NUMBER_SIZE - 5 - n, "%s", frac + 1);
  }
  if (flags & RELEVE_NUMBER_PERCENT) {
    memcpy(out + n, RELEVE_NUMBER_SPACE "%", sizeof RELEVE_NUMBER_SPACE);
    n += sizeof RELEVE_NUMBER_SPACE;
  }
  out[n] = '\0';
  return out;
}

const char *releve_report_number(double v, char out[32]) {
  char text[RELEVE_NUMBER_SIZE];
  snprintf(out, 32, "%s", releve_report_format(v, -1, 0, text));
  return out;
}

int releve_report_lists_stored(const releve_report *r) {
  return r->n_stored < RELEVE_REPORT_MAX_LINES;
}

void releve_report_stored_count(releve_report *r) { r->n_stored++; }

void releve_report_note(releve_report *r, const char *message) {
  if (!keep(&r->n_notes))
    return;
  releve_buf_addf(&r->notes, "  - %s\n", message);
}

void releve_report_context(releve_report *r, int n, const char *what) {
  char count[RELEVE_NUMBER_SIZE];
  if (n <= 0)
    return;
  r->n_context += n;
  releve_buf_addf(&r->context, "  - hors référentiel : %s valeur%s %s, conservée%s pour "
                               "information\n",
                  releve_report_format(n, 0, RELEVE_NUMBER_GROUPED, count), n > 1 ? "s" : "",
                  what, n > 1 ? "s" : "");
}

static void section(releve_buf *b, const char *title, const releve_buf *body, int n) {
  if (n == 0)
    return;
  releve_buf_addf(b, "\n%s (%d) :\n", title, n);
  releve_buf_add(b, body->data, body->len);
  if (n > RELEVE_REPORT_MAX_LINES)
    releve_buf_addf(b, "  … et %d autres non détaillés ici.\n", n - RELEVE_REPORT_MAX_LINES);
}

const char *releve_report_channel(const char *channel, int brief) {
  if (strcmp(channel, "spool") == 0)
    return brief ? "dépôt" : "dépôt dans le dossier d'échange";
  if (strcmp(channel, "poll") == 0)
    return brief ? "collecte" : "collecte programmée";
  if (strcmp(channel, "cli") == 0)
    return brief ? "import" : "import par l'administrateur";
  if (strcmp(channel, "mail") == 0)
    return brief ? "courriel" : "pièce jointe d'un courriel";
  return channel;
}

char *releve_report_render(const releve_report *r, const releve_report_head *h) {
  releve_buf b = RELEVE_BUF_INIT;
  char when[48], size[RELEVE_NUMBER_SIZE];

  releve_clock_paris_text(time(NULL), when);
  releve_buf_addf(&b,
                  "Rapport de dépôt — relevé\n"
                  "Fichier : %s (%s octets, sha256 %.16s…)\n"
                  "Acteur : %s (%s) — canal : %s\n",
                  h->file_name,
                  releve_report_format((double)h->size, 0, RELEVE_NUMBER_GROUPED, size), h->sha256,
                  h->actor_name, h->actor_id, releve_report_channel(h->channel, 0));
  if (h->plugin)
    releve_buf_addf(&b, "Lu comme : %s (module de lecture « %s »)\n", h->format, h->plugin);
  else
    releve_buf_adds(&b, "Lu comme : aucun format reconnu\n");
  releve_buf_addf(&b,
                  "Traité le : %s\n"
                  "Résultat : %s — %s\n",
                  when, h->verdict, h->summary);
  section(&b, "Informations", &r->notes, r->n_notes);
  section(&b, "Problèmes à corriger", &r->problems, r->n_problems);
  section(&b, "Points à vérifier", &r->warnings, r->n_warnings);
  if (h->stored) {
    section(&b, "Valeurs enregistrées", &r->stored, r->n_stored);
    if (r->n_context)
      releve_buf_addf(&b, "\nHors référentiel (%s) : ces valeurs ne remplissent aucune case "
                          "attendue du référentiel\n%s",
                      releve_report_format(r->n_context, 0, RELEVE_NUMBER_GROUPED, size),
                      r->context.data);
  } else if (r->n_stored + r->n_context) {
    /* What was read is said, never as stored: the file is refused whole. */
    releve_buf_addf(&b, "\nValeurs lues, non enregistrées : %s.\n",
                    releve_report_format(r->n_stored + r->n_context, 0, RELEVE_NUMBER_GROUPED,
                                         size));
  }
  if (r->n_problems)
    releve_buf_adds(&b, "\nAucune valeur de ce fichier n'a été enregistrée. Corrigez les "
                        "problèmes ci-dessus et déposez le fichier à nouveau.\n");
  return releve_buf_steal(&b);
}

void releve_report_free(releve_report *r) {
  releve_buf_free(&r->problems);
  releve_buf_free(&r->warnings);
  releve_buf_free(&r->stored);
  releve_buf_free(&r->notes);
  releve_buf_free(&r->context);
  free(r->sheet);
  r->sheet = NULL;
}

char *releve_report_path(const char *dir, const char *name) {
  return releve_str_printf("%s/%s" RELEVE_REPORT_SUFFIX, dir, name);
}

int releve_report_write(const char *dir, const char *name, const char *text) {
  char *path = releve_report_path(dir, name);
  int rc = path ? releve_fs_write_atomic(path, text, strlen(text), 0640) : -ENOMEM;
  free(path);
  return rc;
}
