/* table.c -- a CSV file with a header line found among title lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

int releve_kit_table_init(releve_kit_table *t, const releve_decode_args *args, unsigned flags) {
  *t = (releve_kit_table){0};
  t->args = args;
  t->flags = flags;
  t->sep = ';';
  releve_kit_csv_init(&t->csv, ';');
  int rc = releve_kit_reader_init(&t->reader, args);
  if (rc < 0)
    return releve_kit_host_fail(args, rc, 0, 0, "mémoire insuffisante");
  const releve_host_services *h = args->host;
  if (h->struct_size >= RELEVE_HOST_WORKBOOK_SIZE && h->workbook_open != NULL) {
    rc = h->workbook_open(args->host_ctx, &t->book);
    if (rc < 0)
      return rc; /* a refused workbook: the host said why */
    if (rc == 0)
      t->book = NULL;
  }
  return 0;
}

static void free_header(releve_kit_table *t) {
  for (size_t i = 0; i < t->ncolumns; i++) {
    free(t->raw[i]);
    free(t->name[i]);
  }
  free(t->raw);
  free(t->name);
  t->raw = t->name = NULL;
  t->ncolumns = 0;
}

void releve_kit_table_free(releve_kit_table *t) {
  if (t->book != NULL)
    t->args->host->workbook_close(t->args->host_ctx, t->book);
  t->book = NULL;
  free_header(t);
  releve_kit_reader_free(&t->reader);
  releve_kit_csv_free(&t->csv);
}

long releve_kit_table_find(const releve_kit_table *t, const char *name) {
  for (size_t i = 0; i < t->ncolumns; i++)
    if (strcmp(t->name[i], name) == 0)
      return (long)i;
  return -1;
}

long releve_kit_table_find_any(const releve_kit_table *t, const char *const *names) {
  for (; *names != NULL; names++) {
    long i = releve_kit_table_find(t, *names);
    if (i >= 0)
      return i;
  }
  return -1;
}

static const char *separator_name(char sep) {
  return sep == ';' ? "point-virgule" : sep == ',' ? "virgule" : "tabulation";
}

static int skippable(const releve_kit_table *t, const char *line) {
  if (!(t->flags & RELEVE_KIT_TABLE_HASH_COMMENTS))
    return 0;
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '#';
}

/* Reports a failure of csv_feed and returns the code to give back. */
static int record_failure(releve_kit_table *t, int rc) {
  const releve_decode_args *args = t->args;
  if (rc == -E2BIG)
    return releve_kit_host_fail(args, -EBADMSG, t->csv.line, 0,
                                "enregistrement de plus de %u octets : un guillemet ouvert au "
                                "champ %u n'est sans doute jamais refermé",
                                RELEVE_KIT_MAX_RECORD, t->csv.quote_column);
  if (rc == -EMSGSIZE)
    return releve_kit_host_fail(args, -EBADMSG, t->csv.line, 0,
                                "plus de %u champs sur une ligne : ce n'est pas un export CSV "
                                "lisible",
                                RELEVE_KIT_MAX_FIELDS);
  return releve_kit_host_fail(args, rc, t->csv.line, 0, "mémoire insuffisante");
}

/* The next row of the workbook's sheet as a record, padded to min fields:
 * 1, 0 at the end of the sheet, <0. */
static int read_row(releve_kit_table *t, size_t min) {
  const releve_decode_args *args = t->args;
  for (;;) {
    releve_workbook_row row;
    int rc = args->host->workbook_row(args->host_ctx, t->book, &row);
    if (rc <= 0)
      return rc;
    if ((t->flags & RELEVE_KIT_TABLE_HASH_COMMENTS) && row.n > 0 && skippable(t, row.cells[0].text))
      continue;
    if (releve_kit_csv_set(&t->csv, row.cells, row.n, min, row.row) < 0)
      return releve_kit_host_fail(args, -ENOMEM, row.row, 0, "mémoire insuffisante");
    return 1;
  }
}

/* Reads lines until a whole record is in t->csv: 1, 0 at the end, <0. */
static int read_record(releve_kit_table *t) {
  if (t->book != NULL)
    return read_row(t, t->ncolumns);
  for (;;) {
    int rc = releve_kit_reader_next(&t->reader);
    if (rc < 0)
      return rc;
    if (rc == 0) {
      if (!releve_kit_csv_pending(&t->csv))
        return 0;
      return releve_kit_host_fail(t->args, -EBADMSG, t->csv.line, t->csv.quote_column,
                                  "guillemet ouvert au champ %u et jamais refermé avant la fin "
                                  "du fichier : le fichier semble tronqué",
                                  t->csv.quote_column);
    }
    const char *line = t->reader.line;
    if (!releve_kit_csv_pending(&t->csv) && skippable(t, line))
      continue;
    rc = releve_kit_csv_feed(&t->csv, line, t->reader.len, t->reader.lineno);
    if (rc < 0)
      return record_failure(t, rc);
    if (rc == 1)
      return 1;
  }
}

static int record_blank(releve_kit_table *t) {
  int blank = 1;
  for (size_t i = 0; i < t->csv.n; i++) {
    t->csv.field[i] = releve_kit_cell_trim(t->csv.field[i]);
    if (t->csv.field[i][0] != '\0')
      blank = 0;
  }
  return blank;
}

/* Keeps the record in t->csv as the candidate header. */
static int take_header(releve_kit_table *t) {
  free_header(t);
  size_t n = t->csv.n;
  while (n > 1 && t->csv.field[n - 1][0] == '\0')
    n--;
  t->raw = calloc(n, sizeof *t->raw);
  t->name = calloc(n, sizeof *t->name);
  if (t->raw == NULL || t->name == NULL)
    return -ENOMEM;
  for (size_t i = 0; i < n; i++, t->ncolumns++) {
    char fallback[32];
    const char *raw = t->csv.field[i];
    t->raw[i] = strdup(raw);
    t->name[i] = releve_kit_cell_normalize_dup(raw);
    if (t->raw[i] == NULL || t->name[i] == NULL)
      return -ENOMEM;
    if (t->name[i][0] == '\0') {
      snprintf(fallback, sizeof fallback, "colonne_%zu", i + 1);
      free(t->name[i]);
      t->name[i] = strdup(fallback);
      if (t->name[i] == NULL)
        return -ENOMEM;
    }
  }
  return 0;
}

/* Tries the sheets in turn: the first max_lines non-blank rows of each. */
static int book_header(releve_kit_table *t, releve_kit_table_is_header is_header, void *ud,
                       unsigned max_lines, const char *expected) {
  const releve_decode_args *args = t->args;
  size_t tried = 0, o = 0;
  char list[512] = "";
  releve_kit_excerpt e;
  for (size_t i = 0;; i++) {
    const char *name = NULL;
    int rc = args->host->workbook_sheet(args->host_ctx, t->book, i, &name);
    if (rc < 0)
      return rc;
    if (rc == 0)
      break;
    int n = snprintf(list + o, sizeof list - o, "%s« %s »", i ? ", " : "",
                     releve_kit_cell_excerpt(name, &e));
    if (n > 0 && (size_t)n < sizeof list - o)
      o += (size_t)n;
    if (t->sheet_wanted != NULL && !releve_kit_cell_same(name, t->sheet_wanted))
      continue;
    tried++;
    t->sheet_name = name;
    unsigned seen = 0;
    while (seen < max_lines && (rc = read_row(t, 0)) == 1) {
      if (record_blank(t))
        continue;
      seen++;
      rc = take_header(t);
      if (rc < 0)
        return releve_kit_host_fail(args, rc, 0, 0, "mémoire insuffisante");
      rc = is_header(ud, t);
      if (rc < 0)
        return rc;
      if (rc == 1) {
        t->header_line = t->csv.line;
        return 0;
      }
    }
    if (rc < 0)
      return rc;
    free_header(t);
  }
  if (t->sheet_wanted != NULL && tried == 0)
    return releve_kit_host_fail(args, -EBADMSG, 0, 0,
                                "feuille « %s » introuvable dans le classeur (option « sheet ») ; "
                                "feuilles du classeur : %s",
                                releve_kit_cell_excerpt(t->sheet_wanted, &e), list);
  if (t->sheet_wanted != NULL)
    return releve_kit_host_fail(args, -EBADMSG, 0, 0,
                                "en-tête introuvable dans les %u premières lignes non vides de la "
                                "feuille « %s » ; %s",
                                max_lines, releve_kit_cell_excerpt(t->sheet_wanted, &e), expected);
  return releve_kit_host_fail(args, -EBADMSG, 0, 0,
                              "en-tête introuvable dans les %u premières lignes non vides de "
                              "chaque feuille du classeur (%s) ; %s",
                              max_lines, list, expected);
}

int releve_kit_table_header(releve_kit_table *t, releve_kit_table_is_header is_header, void *ud,
                            unsigned max_lines, const char *expected) {
  if (t->book != NULL)
    return book_header(t, is_header, ud, max_lines, expected);
  unsigned seen = 0;
  for (;;) {
    /* Every candidate line is split with its own separator. */
    if (!releve_kit_csv_pending(&t->csv)) {
      int rc = releve_kit_reader_next(&t->reader);
      if (rc < 0)
        return rc;
      if (rc == 0)
        break;
      const char *line = t->reader.line;
      if (releve_kit_cell_blank(line) || skippable(t, line))
        continue;
      if (seen++ >= max_lines)
        break;
      t->csv.sep = releve_kit_csv_detect(line);
      rc = releve_kit_csv_feed(&t->csv, line, t->reader.len, t->reader.lineno);
      if (rc < 0)
        return record_failure(t, rc);
      if (rc == 0)
        continue;
    } else {
      int rc = read_record(t);
      if (rc <= 0)
        return rc;
    }
    record_blank(t);
    int rc = take_header(t);
    if (rc < 0)
      return releve_kit_host_fail(t->args, rc, 0, 0, "mémoire insuffisante");
    rc = is_header(ud, t);
    if (rc < 0)
      return rc;
    if (rc == 1) {
      t->sep = t->csv.sep;
      t->header_line = t->csv.line;
      return 0;
    }
  }
  if (seen == 0)
    return releve_kit_host_fail(t->args, -EBADMSG, 0, 0, "le fichier est vide ; %s", expected);
  if (seen == 1)
    return releve_kit_host_fail(t->args, -EBADMSG, 0, 0,
                                "en-tête introuvable : la seule ligne non vide ne convient pas ; "
                                "%s",
                                expected);
  return releve_kit_host_fail(t->args, -EBADMSG, 0, 0,
                              "en-tête introuvable dans les %u premières lignes non vides ; %s",
                              seen < max_lines ? seen : max_lines, expected);
}

int releve_kit_table_next(releve_kit_table *t) {
  for (;;) {
    int rc = read_record(t);
    if (rc <= 0)
      return rc;
    if (record_blank(t)) {
      t->skipped_blank++;
      continue;
    }
    size_t n = t->csv.n;
    while (n > t->ncolumns && t->csv.field[n - 1][0] == '\0')
      n--;
    if (n != t->ncolumns && t->book != NULL) {
      rc = releve_kit_host_error(t->args, t->csv.line, (unsigned)n, t->csv.field[n - 1],
                                 "valeur hors du tableau : la colonne %zu n'a pas de nom dans "
                                 "l'en-tête, qui en compte %zu ; ligne ignorée",
                                 n, t->ncolumns);
      if (rc < 0)
        return rc;
      continue;
    }
    if (n != t->ncolumns) {
      rc = releve_kit_host_error(t->args, t->csv.line, 0, NULL,
                                 "%zu champ%s au lieu des %zu de l'en-tête (séparateur : %s) ; "
                                 "ligne ignorée",
                                 n, n > 1 ? "s" : "", t->ncolumns, separator_name(t->sep));
      if (rc < 0)
        return rc;
      continue;
    }
    t->field = t->csv.field;
    t->n = n;
    t->line = t->csv.line;
    return 1;
  }
}
