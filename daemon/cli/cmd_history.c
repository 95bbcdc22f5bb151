/* `releve history IND`: every value ever received for an indicator. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "completeness/completeness.h"
#include "store/store_sql.h"

/* The columns of RELEVE_SQL_HISTORY as JSON, each of its column's type
 * (revisions.value and .share are REAL, the submission's id and the line
 * INTEGER, the rest TEXT), or null. */
enum { COL_TEXT, COL_REAL, COL_INTEGER };
static const unsigned char history_types[] = {
    COL_TEXT, COL_TEXT,    COL_REAL, COL_TEXT, COL_REAL, COL_TEXT, COL_TEXT,
    COL_TEXT, COL_INTEGER, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_INTEGER};

static json_t *column_json(releve_stmt *st, int i) {
  if (releve_stmt_is_null(st, i))
    return json_null();
  switch (history_types[i]) {
  case COL_INTEGER: return json_integer(releve_stmt_int64(st, i));
  case COL_REAL: return json_real(releve_stmt_double(st, i));
  default: return json_string(releve_stmt_text(st, i));
  }
}

static const char *text_or(releve_stmt *st, int i, const char *dflt) {
  const char *s = releve_stmt_text(st, i);
  return s ? s : dflt;
}

/* A stored status as the coordinator reads it. */
static const char *status_words(const char *status) {
  static const char *const words[][2] = {{"normal", "définitif"},
                                         {"provisional", "provisoire"},
                                         {"estimated", "estimé"},
                                         {"suppressed", "secret"},
                                         {"not_available", "indisponible"}};
  size_t i;
  for (i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(status, words[i][0]) == 0)
      return words[i][1];
  return status;
}

/* 100 columns: période, territoire, valeur, statut, reçu le, source. */
static const int history_widths[] = {9, 10, -14, 12, 16, 32};

/* One value received; the table's header first when asked. */
static void print_revision(releve_stmt *st, const releve_indicator *ind, int first) {
  static const char *const head[] = {"période", "territoire", "valeur",
                                     "statut",  "reçu (Paris)", "dépôt, ligne, fichier"};
  char value[2 * RELEVE_NUMBER_SIZE], share[RELEVE_NUMBER_SIZE];
  char date[32], source[160];
  const char *row[6];

  if (releve_stmt_is_null(st, 2))
    snprintf(value, sizeof value, "%s", text_or(st, 3, "—"));
  else
    releve_report_format(releve_stmt_double(st, 2), -1,
                         RELEVE_NUMBER_GROUPED |
                             (ind->unit == RELEVE_UNIT_PERCENT ? RELEVE_NUMBER_PERCENT : 0),
                         value);
  if (!releve_stmt_is_null(st, 4)) {
    size_t len = strlen(value);
    snprintf(value + len, sizeof value - len, " (%s)",
             releve_report_format(releve_stmt_double(st, 4), -1,
                                  RELEVE_NUMBER_GROUPED | RELEVE_NUMBER_PERCENT, share));
  }
  snprintf(source, sizeof source, "n° %lld, ligne %s, %s", releve_stmt_int64(st, 8),
           text_or(st, 13, "?"), text_or(st, 11, ""));
  row[0] = text_or(st, 0, "");
  row[1] = text_or(st, 1, "");
  row[2] = value;
  row[3] = status_words(text_or(st, 5, ""));
  row[4] = cli_date(text_or(st, 7, ""), date);
  row[5] = source;
  if (first)
    cli_row(stdout, 2, head, history_widths, 6);
  cli_row(stdout, 2, row, history_widths, 6);
}

typedef struct derived_ctx {
  const releve_indicator *ind;
  json_t *cells; /* --json */
  int n;
} derived_ctx;

/* The indicator's cells that follow from given ones (derive.h), in the
 * table of values received, marked "dérivée". */
static int derived_cell(void *ud, const releve_expected *c) {
  derived_ctx *d = ud;
  char period[16], value[RELEVE_NUMBER_SIZE];
  const char *row[6];

  if (c->indicator != d->ind || !c->derived)
    return 0;
  releve_period_format(&c->period, period, sizeof period);
  d->n++;
  if (d->cells) {
    json_array_append_new(d->cells, json_pack("{s:s, s:s, s:f}", "period", period, "geography",
                                              c->geography, "value", c->value));
    return 0;
  }
  row[0] = period;
  row[1] = c->geography;
  row[2] = releve_report_format(c->value, -1, RELEVE_NUMBER_GROUPED, value);
  row[3] = "dérivée";
  row[4] = "";
  row[5] = strcmp(c->geography, "QP") == 0 ? "QPV + QVA" : "somme de ses quartiers";
  cli_row(stdout, 2, row, history_widths, 6);
  return 0;
}

int cmd_history(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] history INDICATOR [--contract ID] [--json]\n\n"
      "Every value and revision received for INDICATOR, oldest first per cell, with its\n"
      "provenance: submission id, actor, channel, file name, sha256 and line. --contract\n"
      "names the contract whose référentiel and figures are read (needed when the\n"
      "configuration has several).\n"
      "--json prints {\"contract\", \"indicator\": {\"id\", \"label\", \"actor\", \"unit\"},\n"
      "\"revisions\":\n"
      "[{\"period\", \"geography\", \"value\", \"text\", \"share\", \"status\", \"comment\",\n"
      "\"received_at\", \"line\", \"submission\": {\"id\", \"actor\", \"channel\", \"name\",\n"
      "\"sha256\"}}], \"derived\": [{\"period\", \"geography\", \"value\"}]} (the cells that\n"
      "follow from given ones without being given: QP = QPV + QVA for counts and\n"
      "amounts, a QPV or QVA from all its quartiers; marked \"dérivée\" in the table).\n";
  static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                       {"contract", required_argument, NULL, 'k'},
                                       {NULL, 0, NULL, 0}};
  const char *contract = NULL;
  const releve_indicator *ind;
  releve_stmt *st;
  json_t *revs = NULL;
  derived_ctx der;
  char today[11];
  int json = 0, opt, rc, n = 0;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt == 'j')
      json = 1;
    else if (opt == 'k')
      contract = optarg;
    else
      return cli_usage(usage);
  }
  if (optind != argc - 1)
    return cli_usage(usage);
  if (cli_load_config(cli) || cli_choose_contract(cli, contract, NULL))
    return CLI_FAIL;
  ind = releve_referentiel_find(&cli->contract->ref, argv[optind]);
  if (ind == NULL) {
    fprintf(stderr, "releve: aucun indicateur « %s » dans le référentiel (un identifiant tel "
                    "que G01.2 est attendu)\n",
            argv[optind]);
    return CLI_FAIL;
  }
  if (cli_open_store(cli, 0) || releve_store_prepare(&cli->store, RELEVE_SQL_HISTORY, &st))
    return CLI_FAIL;
  rc = releve_stmt_bind_text(st, 1, ind->id);
  if (rc == 0)
    rc = releve_stmt_bind_text(st, 2, cli->contract->contracts[0].id);
  if (json)
    revs = json_array();
  else {
    const releve_actor *a = releve_config_actor(cli->contract, ind->actor);
    printf("%s — %s\n  acteur : %s ; unité : %s\n", ind->id, ind->label,
           a && a->name ? a->name : ind->actor, releve_unit_label(ind->unit));
  }
  while (rc >= 0 && (rc = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    n++;
    if (json) {
      json_t *r = json_object();
      static const char *const keys[] = {"period", "geography", "value", "text",
                                         "share", "status", "comment", "received_at"};
      int k;
      for (k = 0; k < 8; k++)
        json_object_set_new(r, keys[k], column_json(st, k));
      json_object_set_new(r, "line", column_json(st, 13));
      json_object_set_new(r, "submission",
                          json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", column_json(st, 8),
                                    "actor", column_json(st, 9), "channel", column_json(st, 10),
                                    "name", column_json(st, 11), "sha256", column_json(st, 12)));
      json_array_append_new(revs, r);
      continue;
    }
    print_revision(st, ind, n == 1);
  }
  releve_stmt_finalize(st);
  if (rc != RELEVE_STMT_DONE) {
    fprintf(stderr, "releve: lecture de la base impossible : %s\n", strerror(-rc));
    json_decref(revs);
    return CLI_FAIL;
  }
  memset(&der, 0, sizeof der);
  der.ind = ind;
  if (json)
    der.cells = json_array();
  cli_today(today);
  rc = releve_completeness_walk(&cli->store, cli->contract, ind->actor, 0, today, derived_cell, &der);
  if (rc) {
    fprintf(stderr, "releve: lecture de la base impossible : %s\n", strerror(-rc));
    json_decref(revs);
    json_decref(der.cells);
    return CLI_FAIL;
  }
  if (json)
    return cli_print_json(json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:o, s:o}", "contract",
                                    cli->contract->contracts[0].id, "indicator", "id", ind->id, "label", ind->label, "actor", ind->actor, "unit",
                                    releve_unit_name(ind->unit), "revisions", revs, "derived",
                                    der.cells));
  {
    char count[RELEVE_NUMBER_SIZE];
    printf("%s %s", cli_count(n, count), cli_plural(n, "valeur reçue", "valeurs reçues"));
    if (der.n)
      printf(", %s %s", cli_count(der.n, count), cli_plural(der.n, "dérivée", "dérivées"));
    printf("\n");
  }
  return CLI_OK;
}
