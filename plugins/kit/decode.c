/* decode.c -- the decode loop shared by the CSV plugins. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"

int releve_kit_table_names(const releve_kit_table *t, releve_kit_names *names,
                           const char *const *reserved, const releve_kit_rename *renames) {
  for (size_t i = 0; i < t->ncolumns; i++) {
    char renamed[256];
    const char *name = t->name[i];
    for (const releve_kit_rename *r = renames; r != NULL && r->from != NULL; r++)
      if (strcmp(name, r->from) == 0) {
        name = r->to;
        break;
      }
    for (size_t k = 0; reserved != NULL && reserved[k] != NULL; k++)
      if (strcmp(name, reserved[k]) == 0) {
        int n = snprintf(renamed, sizeof renamed, "%s_source", reserved[k]);
        if (n < 0 || (size_t)n >= sizeof renamed)
          return -ENAMETOOLONG;
        name = renamed;
      }
    if (releve_kit_names_add(names, name) < 0)
      return -ENOMEM;
  }
  return 0;
}

int releve_kit_tally_drop(releve_kit_tally *tally, size_t reason) {
  if (reason < RELEVE_KIT_TALLY_MAX)
    tally->count[reason]++;
  return 0;
}

int releve_kit_table_reject(const releve_kit_table *t, long at, releve_kit_tally *tally,
                            size_t reason, const char *what, const char *expected) {
  releve_kit_excerpt value, name;
  const char *v = releve_kit_cell_excerpt(t->field[at], &value);
  int rc;
  if (what != NULL)
    rc = releve_kit_host_error(t->args, t->line, (unsigned)at + 1, t->field[at],
                               "%s « %s » illisible ; %s", what, v, expected);
  else
    rc = releve_kit_host_error(t->args, t->line, (unsigned)at + 1, t->field[at],
                               "valeur « %s » illisible dans la colonne « %s » ; %s", v,
                               releve_kit_cell_excerpt(t->raw[at], &name), expected);
  return rc < 0 ? rc : releve_kit_tally_drop(tally, reason);
}

void releve_kit_tally_log(const releve_kit_tally *tally, const releve_decode_args *args,
                          const char *plugin) {
  char text[512] = "";
  size_t o = 0;
  unsigned long total = 0;
  for (size_t k = 0; tally->labels[k] != NULL && k < RELEVE_KIT_TALLY_MAX; k++) {
    if (tally->count[k] == 0)
      continue;
    int n = snprintf(text + o, sizeof text - o, "%s%lu %s", total ? ", " : "", tally->count[k],
                     tally->labels[k]);
    if (n > 0 && (size_t)n < sizeof text - o)
      o += (size_t)n;
    total += tally->count[k];
  }
  if (total > 0)
    releve_kit_host_log(args, RELEVE_LOG_INFO, "%s: %lu rows dropped: %s", plugin, total, text);
}

int releve_kit_table_missing(const releve_kit_table *t, const char *const *missing, size_t n,
                             const char *expected) {
  char list[512] = "";
  size_t o = 0;
  for (size_t k = 0; k < n; k++) {
    int w = snprintf(list + o, sizeof list - o, "%s« %s »", k ? ", " : "", missing[k]);
    if (w > 0 && (size_t)w < sizeof list - o)
      o += (size_t)w;
  }
  const char *plural = n > 1 ? "s" : "";
  return releve_kit_host_fail(t->args, -EBADMSG, t->header_line, 0,
                              "colonne%s manquante%s dans l'en-tête : %s ; %s", plural, plural,
                              list, expected);
}

static int run(const releve_decode_args *args, const releve_kit_format *format, void *ud,
               releve_kit_table *t) {
  releve_kit_names names = {0};
  releve_kit_row row = {0};
  int rc = releve_kit_table_header(t, format->is_header, ud, format->max_title_lines,
                                   format->expected);
  if (rc == 0)
    rc = format->begin(ud, t, &names);
  if (rc == 0)
    rc = releve_kit_names_emit(&names, args);
  unsigned long emitted = 0;
  while (rc == 0 && (rc = releve_kit_table_next(t)) == 1) {
    releve_kit_row_reset(&row);
    rc = format->record(ud, t, &row);
    if (rc == 1) {
      if (row.n != names.n)
        rc = releve_kit_host_fail(args, -EBADMSG, t->line, 0,
                                  "erreur interne du greffon : %zu cellules pour %zu colonnes",
                                  row.n, names.n);
      else
        rc = releve_kit_row_emit(&row, args, t->line);
      emitted++;
    }
  }
  if (rc == 0 && t->book != NULL)
    releve_kit_host_log(args, RELEVE_LOG_INFO,
                        "%s: %lu rows from header row %lu of a workbook sheet, %lu blank rows "
                        "skipped",
                        format->name, emitted, t->header_line, t->skipped_blank);
  else if (rc == 0)
    releve_kit_host_log(args, RELEVE_LOG_INFO,
                        "%s: %lu rows from header line %lu (separator %s), %lu blank records "
                        "skipped",
                        format->name, emitted, t->header_line,
                        t->sep == ';' ? "';'" : t->sep == ',' ? "','" : "tab", t->skipped_blank);
  if (rc == -ENOMEM)
    rc = releve_kit_host_fail(args, rc, t->line, 0, "mémoire insuffisante");
  releve_kit_row_free(&row);
  releve_kit_names_free(&names);
  return rc;
}

int releve_kit_table_decode(const releve_decode_args *args, const releve_kit_format *format,
                            void *ud) {
  if (releve_kit_host_check(args) < 0)
    return -EINVAL;
  releve_kit_table t;
  int rc = releve_kit_table_init(&t, args, format->flags);
  for (size_t i = 0; format->options != NULL && format->options[i].name != NULL; i++)
    if (strcmp(format->options[i].name, "sheet") == 0 &&
        *releve_kit_host_option_str(args, format->options, i) != '\0')
      t.sheet_wanted = releve_kit_host_option_str(args, format->options, i);
  if (rc == 0)
    rc = run(args, format, ud, &t);
  if (format->end != NULL)
    format->end(ud, &t, rc);
  releve_kit_table_free(&t);
  return rc;
}
