/* `releve history IND`: every value ever received for an indicator. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "store_sql.h"

static json_t *column_json(sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_NULL: return json_null();
  case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
  case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
  default: return json_string((const char *)sqlite3_column_text(st, i));
  }
}

static const char *text_or(sqlite3_stmt *st, int i, const char *dflt) {
  const char *s = (const char *)sqlite3_column_text(st, i);
  return s ? s : dflt;
}

int cmd_history(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] history INDICATOR [--json]\n\n"
      "Every value and revision received for INDICATOR, oldest first per cell, with its\n"
      "provenance: submission id, actor, channel, file name, sha256 and line.\n"
      "--json prints {\"indicator\": {\"id\", \"label\", \"actor\", \"unit\"}, \"revisions\":\n"
      "[{\"period\", \"geography\", \"value\", \"text\", \"share\", \"status\", \"comment\",\n"
      "\"received_at\", \"line\", \"submission\": {\"id\", \"actor\", \"channel\", \"name\",\n"
      "\"sha256\"}}]}.\n";
  static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
  const releve_indicator *ind;
  sqlite3_stmt *st;
  json_t *revs = NULL;
  int json = 0, opt, rc, n = 0;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt != 'j') {
      fputs(usage, stderr);
      return CLI_USAGE;
    }
    json = 1;
  }
  if (optind != argc - 1) {
    fputs(usage, stderr);
    return CLI_USAGE;
  }
  if (cli_load_config(cli))
    return CLI_FAIL;
  ind = releve_referentiel_find(&cli->cfg.ref, argv[optind]);
  if (ind == NULL) {
    fprintf(stderr, "releve: no indicator \"%s\" in the référentiel (ids look like G01.2)\n",
            argv[optind]);
    return CLI_FAIL;
  }
  if (cli_open_store(cli, 0) || releve_store_prepare(&cli->store, RELEVE_SQL_HISTORY, &st))
    return CLI_FAIL;
  sqlite3_bind_text(st, 1, ind->id, -1, SQLITE_STATIC);
  if (json)
    revs = json_array();
  else
    printf("%s — %s (%s, %s)\n", ind->id, ind->label, ind->actor, releve_unit_name(ind->unit));
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
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
    printf("  %-10s %-9s %14s %-13s %s  #%lld %s %s:%s\n", text_or(st, 0, ""),
           text_or(st, 1, ""),
           sqlite3_column_type(st, 2) != SQLITE_NULL ? text_or(st, 2, "") : text_or(st, 3, "—"),
           text_or(st, 5, ""), text_or(st, 7, ""), (long long)sqlite3_column_int64(st, 8),
           text_or(st, 10, ""), text_or(st, 11, ""), text_or(st, 13, "?"));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    fprintf(stderr, "releve: reading the database failed: %s\n", sqlite3_errstr(rc));
    json_decref(revs);
    return CLI_FAIL;
  }
  if (json)
    return cli_print_json(json_pack("{s:{s:s, s:s, s:s, s:s}, s:o}", "indicator", "id", ind->id,
                                    "label", ind->label, "actor", ind->actor, "unit",
                                    releve_unit_name(ind->unit), "revisions", revs));
  printf("%d value%s received\n", n, n == 1 ? "" : "s");
  return CLI_OK;
}
