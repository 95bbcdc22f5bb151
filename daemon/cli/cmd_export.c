/* `releve export`: the référentiel's collection table, filled in (the
 * rows and their secrecy here, the formats in export_*.c). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "export.h"
#include "privacy.h"
#include "report.h"
#include "store_sql.h"
#include "util.h"

/* The year whose figures the mid-term evaluation (2019) reported. */
#define MID_TERM_YEAR 2018

const char *const export_column_names[EXPORT_COLUMNS] = {
    "theme",        "action",       "action_libelle", "indicateur",       "libelle",
    "acteur",       "unite",        "objectif_2020",  "objectif_type",    "geographie",
    "debut_periode", "debut_valeur", "mi_parcours_2018", "dernier_periode", "dernier_valeur"};

const char *const export_column_titles[EXPORT_COLUMNS] = {
    "Thème",       "Action",          "Libellé de l'action", "Indicateur",        "Libellé",
    "Acteur",      "Unité",           "Objectif 2020",       "Type d'objectif",   "Territoire",
    "Période de départ", "Situation de départ", "Mi-parcours (2018)", "Dernière période",
    "Dernier résultat"};

static const char *value_text(const export_value *v, char buf[32]) {
  if (v->kind == EXPORT_NUMBER)
    return releve_report_number(v->number, buf);
  return v->kind == EXPORT_TEXT ? v->text : "";
}

void export_row_texts(const export_row *r, const char *fields[EXPORT_COLUMNS], char buf[3][32]) {
  const releve_indicator *ind = r->ind;
  const char *f[EXPORT_COLUMNS] = {
      ind->theme->id,   ind->action->id,
      ind->action->name, ind->id,
      ind->label,       ind->actor,
      releve_unit_name(ind->unit), ind->target.text,
      releve_target_kind_name(ind->target.kind), r->geography,
      r->start_period,  value_text(&r->start, buf[0]),
      value_text(&r->mid, buf[1]), r->last_period,
      value_text(&r->last, buf[2])};
  memcpy(fields, f, sizeof f);
}

/* A stored cell as the export shows it: not available reads "nd" (it has
 * nothing to hide), suppressed or blanked by secrecy "secret". */
static void value_of(sqlite3_stmt *st, int secret, export_value *v) {
  const char *status = (const char *)sqlite3_column_text(st, 5);
  memset(v, 0, sizeof *v);
  if (strcmp(status, "not_available") == 0) {
    v->kind = EXPORT_TEXT;
    snprintf(v->text, sizeof v->text, "nd");
  } else if (secret || strcmp(status, "suppressed") == 0) {
    v->kind = EXPORT_TEXT;
    snprintf(v->text, sizeof v->text, "secret");
  } else if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
    v->kind = EXPORT_NUMBER;
    v->number = sqlite3_column_double(st, 2);
  } else if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
    const char *text = (const char *)sqlite3_column_text(st, 3);
    size_t n = strlen(text);
    if (n >= sizeof v->text) /* never half a UTF-8 character */
      for (n = sizeof v->text - 1; n && ((unsigned char)text[n] & 0xc0) == 0x80; n--)
        ;
    v->kind = EXPORT_TEXT;
    memcpy(v->text, text, n);
    v->text[n] = '\0';
  }
}

typedef struct geo_row {
  char geo[16];
  char start_period[16], last_period[16];
  export_value start, mid, last;
} geo_row;

/* Statistical secrecy: the indicator's counts, period by period, get the
 * cells to blank (privacy.h). secret[k] is for the k-th row of the query. */
static int find_secrets(sqlite3_stmt *st, const releve_indicator *ind, const releve_cli *cli,
                        unsigned char *secret, size_t max) {
  releve_secrecy_cell cells[64];
  char geos[64][16], period[16] = "";
  size_t n = 0, k = 0, first = 0, i;
  int rc;

  memset(secret, 0, max);
  if (ind->unit != RELEVE_UNIT_COUNT || cli->cfg.secrecy_threshold <= 0)
    return 0;
  sqlite3_bind_text(st, 1, ind->id, -1, SQLITE_STATIC);
  for (;;) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && strcmp(period, (const char *)sqlite3_column_text(st, 0)) == 0 &&
        n < 64) {
      /* same period: one more cell */
    } else {
      releve_secrecy_apply(cells, n, cli->cfg.secrecy_threshold, cli->cfg.addresses);
      for (i = 0; i < n && first + i < max; i++)
        secret[first + i] = (unsigned char)cells[i].secret;
      if (rc != SQLITE_ROW)
        break;
      first = k;
      n = 0;
      snprintf(period, sizeof period, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    snprintf(geos[n], sizeof geos[n], "%s", (const char *)sqlite3_column_text(st, 1));
    cells[n].geography = geos[n];
    /* A figure the partner sent as secret is an unknown of the equations
     * too. */
    cells[n].secret = strcmp((const char *)sqlite3_column_text(st, 5), "suppressed") == 0;
    cells[n].has_value = sqlite3_column_type(st, 2) != SQLITE_NULL && !cells[n].secret;
    cells[n].value = sqlite3_column_double(st, 2);
    n++;
    k++;
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : releve_store_errno(rc);
}

static int export_indicator(export_writer *w, sqlite3_stmt *st, const releve_indicator *ind,
                            const releve_cli *cli) {
  geo_row rows[64];
  unsigned char secret[4096];
  size_t n = 0, i, row = 0;
  int rc = find_secrets(st, ind, cli, secret, sizeof secret);

  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, ind->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *period = (const char *)sqlite3_column_text(st, 0);
    const char *geo = (const char *)sqlite3_column_text(st, 1);
    geo_row *g = NULL;
    export_value v;
    for (i = 0; i < n; i++)
      if (strcmp(rows[i].geo, geo) == 0)
        g = &rows[i];
    if (g == NULL) {
      if (n == sizeof rows / sizeof rows[0])
        continue;
      g = &rows[n++];
      memset(g, 0, sizeof *g);
      snprintf(g->geo, sizeof g->geo, "%s", geo);
    }
    value_of(st, row < sizeof secret && secret[row], &v);
    row++;
    /* Rows come by year: the first seen is the start, the last the latest. */
    if (g->start_period[0] == '\0') {
      snprintf(g->start_period, sizeof g->start_period, "%s", period);
      g->start = v;
    }
    if (sqlite3_column_int(st, 6) == MID_TERM_YEAR)
      g->mid = v;
    snprintf(g->last_period, sizeof g->last_period, "%s", period);
    g->last = v;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return releve_store_errno(rc);
  rc = 0;
  for (i = 0; i < (n ? n : 1) && rc == 0; i++) {
    export_row r;
    memset(&r, 0, sizeof r);
    r.ind = ind;
    r.geography = n ? rows[i].geo : "";
    r.start_period = n ? rows[i].start_period : "";
    r.last_period = n ? rows[i].last_period : "";
    if (n) {
      r.start = rows[i].start;
      r.mid = rows[i].mid;
      r.last = rows[i].last;
    }
    rc = w->row(w, &r);
  }
  return rc;
}

/* A binary workbook is not for a terminal. */
static int refuses_terminal(const char *format, const char *output) {
  if (output == NULL && strcmp(format, "xlsx") == 0 && isatty(STDOUT_FILENO)) {
    fputs("releve: an XLSX workbook is binary: give -o FILE or redirect the output\n", stderr);
    return 1;
  }
  return 0;
}

int cmd_export(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] export --format csv|xlsx|html [-o FILE]\n\n"
      "The référentiel's collection table, one row per indicator and geography:\n"
      "theme, action, indicator, label, actor, unit, 2020 target (as written and its\n"
      "kind), then the situation at the start of the contract (first period received),\n"
      "the mid-term result (2018 figures) and the latest result with its period.\n"
      "csv: for French spreadsheets: UTF-8 with BOM, ';', CRLF, decimal comma.\n"
      "xlsx: one workbook, figures as numbers, a sheet per theme and one with them all.\n"
      "html: a self-contained page in French, one table per theme, for reading and\n"
      "printing. Suppressed values read \"secret\", not available \"nd\".\n"
      "Without -o, stdout (xlsx: not to a terminal); with -o, the file is replaced\n"
      "atomically. Statistical secrecy: counts from 1 to secrecy.threshold-1\n"
      "(default 5) read \"secret\", and so does a second cell wherever a total would\n"
      "give a blanked one back (QP = QPV + QVA, QPV and QVA = their quartiers,\n"
      "PARIS = its arrondissements).\n";
  static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {NULL, 0, NULL, 0}};
  const char *format = NULL, *output = NULL;
  releve_buf b = RELEVE_BUF_INIT;
  export_writer *w;
  sqlite3_stmt *st;
  size_t i;
  int opt, rc = 0;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
    if (opt == 'f')
      format = optarg;
    else if (opt == 'o')
      output = optarg;
    else {
      fputs(usage, stderr);
      return CLI_USAGE;
    }
  }
  if (optind != argc || format == NULL) {
    fputs(usage, stderr);
    return CLI_USAGE;
  }
  if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "html") != 0) {
    fprintf(stderr, "releve: unknown export format \"%s\": csv, xlsx or html\n", format);
    return CLI_USAGE;
  }
  if (refuses_terminal(format, output))
    return CLI_USAGE;
  if (cli_load_config(cli) || cli_open_store(cli, 0))
    return CLI_FAIL;
  w = strcmp(format, "csv") == 0    ? export_csv_new()
      : strcmp(format, "xlsx") == 0 ? export_xlsx_new()
                                    : export_html_new(cli->cfg.ref.title,
                                                      cli->cfg.secrecy_threshold);
  if (w == NULL || releve_store_prepare(&cli->store, RELEVE_SQL_OBS_FOR_INDICATOR, &st)) {
    if (w)
      w->free(w);
    fprintf(stderr, "releve: export failed: %s\n", w ? "cannot read the database" : strerror(ENOMEM));
    return CLI_FAIL;
  }
  for (i = 0; i < cli->cfg.ref.n_indicators && rc == 0; i++)
    rc = export_indicator(w, st, &cli->cfg.ref.indicators[i], cli);
  sqlite3_finalize(st);
  if (rc == 0)
    rc = w->finish(w, &b);
  w->free(w);
  if (rc == 0 && b.data == NULL)
    rc = -ENOMEM;
  if (rc == 0) {
    if (output)
      rc = releve_write_file_atomic(output, b.data, b.len, 0644);
    else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
      rc = -EIO;
  }
  releve_buf_free(&b);
  if (rc) {
    fprintf(stderr, "releve: export failed: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  return CLI_OK;
}
