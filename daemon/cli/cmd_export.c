/* `releve export`: the référentiel's collection table, filled in. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "privacy.h"
#include "store_sql.h"
#include "util.h"

/* The year whose figures the mid-term evaluation (2019) reported. */
#define MID_TERM_YEAR 2018

/* A value as a French spreadsheet reads it: decimal comma, status words. */
static void value_text(sqlite3_stmt *st, int secret, char *out, size_t size) {
  const char *status = (const char *)sqlite3_column_text(st, 5);
  if (secret || strcmp(status, "suppressed") == 0) {
    snprintf(out, size, "secret");
  } else if (strcmp(status, "not_available") == 0) {
    snprintf(out, size, "nd");
  } else if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
    char *c;
    snprintf(out, size, "%.15g", sqlite3_column_double(st, 2));
    if ((c = strchr(out, '.')) != NULL)
      *c = ',';
  } else {
    snprintf(out, size, "%s", sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "");
  }
}

typedef struct geo_row {
  char geo[16];
  char start_period[16], start[64], mid[64], last_period[16], last[64];
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

static int export_indicator(releve_buf *b, sqlite3_stmt *st, const releve_indicator *ind,
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
    char v[64];
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
    value_text(st, row < sizeof secret && secret[row], v, sizeof v);
    row++;
    /* Rows come by year: the first seen is the start, the last the latest. */
    if (g->start_period[0] == '\0') {
      snprintf(g->start_period, sizeof g->start_period, "%s", period);
      snprintf(g->start, sizeof g->start, "%s", v);
    }
    if (sqlite3_column_int(st, 6) == MID_TERM_YEAR)
      snprintf(g->mid, sizeof g->mid, "%s", v);
    snprintf(g->last_period, sizeof g->last_period, "%s", period);
    snprintf(g->last, sizeof g->last, "%s", v);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return releve_store_errno(rc);
  for (i = 0; i < (n ? n : 1); i++) {
    const geo_row *g = n ? &rows[i] : NULL;
    const char *fields[] = {ind->theme->id, ind->action->id, ind->action->name, ind->id,
                            ind->label, ind->actor, releve_unit_name(ind->unit),
                            ind->target.text, releve_target_kind_name(ind->target.kind),
                            g ? g->geo : "", g ? g->start_period : "", g ? g->start : "",
                            g ? g->mid : "", g ? g->last_period : "", g ? g->last : ""};
    size_t k;
    for (k = 0; k < sizeof fields / sizeof fields[0]; k++) {
      if (k)
        releve_buf_adds(b, ";");
      releve_buf_add_csv(b, fields[k]);
    }
    releve_buf_adds(b, "\r\n");
  }
  return 0;
}

int cmd_export(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] export --format csv [-o FILE]\n\n"
      "The référentiel's collection table, one row per indicator and geography:\n"
      "theme, action, indicator, label, actor, unit, 2020 target (as written and its\n"
      "kind), then the situation at the start of the contract (first period received),\n"
      "the mid-term result (2018 figures) and the latest result with its period.\n"
      "CSV for French spreadsheets: UTF-8 with BOM, ';', CRLF, decimal comma;\n"
      "suppressed values read \"secret\", not available \"nd\". Without -o, stdout.\n"
      "Statistical secrecy: counts from 1 to secrecy.threshold-1 (default 5) read\n"
      "\"secret\", and so does a second cell wherever a total would give a blanked one\n"
      "back (QP = QPV + QVA, QPV and QVA = their quartiers, PARIS = its arrondissements).\n";
  static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {NULL, 0, NULL, 0}};
  static const char header[] =
      "\xef\xbb\xbftheme;action;action_libelle;indicateur;libelle;acteur;unite;objectif_2020;"
      "objectif_type;geographie;debut_periode;debut_valeur;mi_parcours_2018;dernier_periode;"
      "dernier_valeur\r\n";
  const char *format = NULL, *output = NULL;
  releve_buf b = RELEVE_BUF_INIT;
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
  if (strcmp(format, "csv") != 0) {
    fprintf(stderr, "releve: export format \"%s\" is not available in this build; use csv\n",
            format);
    return CLI_USAGE;
  }
  if (cli_load_config(cli) || cli_open_store(cli, 0) ||
      releve_store_prepare(&cli->store, RELEVE_SQL_OBS_FOR_INDICATOR, &st))
    return CLI_FAIL;
  releve_buf_adds(&b, header);
  for (i = 0; i < cli->cfg.ref.n_indicators && rc == 0; i++)
    rc = export_indicator(&b, st, &cli->cfg.ref.indicators[i], cli);
  sqlite3_finalize(st);
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
