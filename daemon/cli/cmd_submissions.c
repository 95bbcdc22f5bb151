/* `releve submissions`: every file that came in, with its outcome and its
 * report; and the files part of `releve status` (last file, refused files
 * not replaced, files waiting in the spool), per actor. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "spool/spool.h"
#include "store/store_sql.h"
#include "util/date.h"

/* Columns of RELEVE_SQL_SUB_COLUMNS. */
enum { SUB_ID, SUB_ACTOR, SUB_CHANNEL, SUB_NAME, SUB_SIZE, SUB_SHA256, SUB_PLUGIN,
       SUB_RECEIVED, SUB_OUTCOME, SUB_ADDED, SUB_CHANGED, SUB_UNCHANGED, SUB_PROBLEMS,
       SUB_WARNINGS, SUB_REPORT };

static const char *col_text(releve_stmt *st, int i) {
  const char *s = releve_stmt_text(st, i);
  return s ? s : "";
}

static json_t *sub_json(releve_stmt *st) {
  return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i}",
                   "id", (json_int_t)releve_stmt_int64(st, SUB_ID), "actor",
                   col_text(st, SUB_ACTOR), "channel", col_text(st, SUB_CHANNEL), "name",
                   col_text(st, SUB_NAME), "size",
                   (json_int_t)releve_stmt_int64(st, SUB_SIZE), "sha256",
                   col_text(st, SUB_SHA256), "plugin", col_text(st, SUB_PLUGIN), "received_at",
                   col_text(st, SUB_RECEIVED), "outcome", col_text(st, SUB_OUTCOME), "added",
                   releve_stmt_int(st, SUB_ADDED), "changed",
                   releve_stmt_int(st, SUB_CHANGED), "unchanged",
                   releve_stmt_int(st, SUB_UNCHANGED), "problems",
                   releve_stmt_int(st, SUB_PROBLEMS), "warnings",
                   releve_stmt_int(st, SUB_WARNINGS));
}

/* What a file gave, in a few words: "12 valeurs", "3 problèmes". */
static void sub_detail(json_t *s, char *out, size_t size) {
  char n[RELEVE_NUMBER_SIZE];
  long long v;
  if (strcmp(json_string_value(json_object_get(s, "outcome")), "accepted") == 0) {
    v = json_integer_value(json_object_get(s, "added")) +
        json_integer_value(json_object_get(s, "changed")) +
        json_integer_value(json_object_get(s, "unchanged"));
    snprintf(out, size, "%s %s", cli_count(v, n), cli_plural(v, "valeur", "valeurs"));
  } else {
    v = json_integer_value(json_object_get(s, "problems"));
    snprintf(out, size, "%s %s", cli_count(v, n), cli_plural(v, "problème", "problèmes"));
  }
}

/* Runs st (bound) and appends each row's object to a; 0 or CLI_FAIL (said). */
static int collect(releve_stmt *st, json_t *a) {
  int rc;
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW)
    if (json_array_append_new(a, sub_json(st))) {
      rc = -ENOMEM;
      break;
    }
  releve_stmt_finalize(st);
  if (rc == RELEVE_STMT_DONE)
    return CLI_OK;
  fprintf(stderr, "releve: lecture des dépôts impossible : %s\n", strerror(-rc));
  return CLI_FAIL;
}

/* The rows of sql (its ?1 the actor) appended to a; 0 or CLI_FAIL (said). */
static int actor_rows(releve_cli *cli, const char *sql, const char *actor, json_t *a) {
  releve_stmt *st;
  if (a == NULL || releve_store_prepare(&cli->store, sql, &st))
    return CLI_FAIL;
  if (releve_stmt_bind_text(st, 1, actor)) {
    releve_stmt_finalize(st);
    return CLI_FAIL;
  }
  return collect(st, a);
}

json_t *cli_actor_files_json(releve_cli *cli, const char *actor) {
  json_t *lasts = json_array(), *pending = json_array(), *waiting, *out = NULL;
  int incoming = releve_spool_waiting(&cli->cfg, actor, RELEVE_SPOOL_INCOMING);
  int processing = releve_spool_waiting(&cli->cfg, actor, RELEVE_SPOOL_PROCESSING);

  /* A spool the coordinator may not read (the daemon's user's) leaves the
   * rest of the status to say. */
  if (incoming < 0 || processing < 0) {
    fprintf(stderr, "releve: dossier de dépôt de %s illisible : %s\n", actor,
            strerror(-(incoming < 0 ? incoming : processing)));
    waiting = json_null();
  } else {
    waiting = json_pack("{s:i, s:i}", "incoming", incoming, "processing", processing);
  }
  if (actor_rows(cli, RELEVE_SQL_SUB_LAST_OF_ACTOR, actor, lasts) == CLI_OK &&
      actor_rows(cli, RELEVE_SQL_SUB_REFUSED_PENDING, actor, pending) == CLI_OK)
    out = json_pack("{s:O, s:O, s:O}", "last_file",
                    json_array_size(lasts) ? json_array_get(lasts, 0) : json_null(),
                    "refused_pending", pending, "waiting", waiting);
  json_decref(lasts);
  json_decref(pending);
  json_decref(waiting);
  return out;
}

/* A file's name cut to at most w columns. */
static void print_name(json_t *sub, int w) {
  const char *name = json_string_value(json_object_get(sub, "name"));
  int n = cli_width(name);
  cli_cell(stdout, name, n < w ? n : w);
}

void cli_actor_files_print(json_t *files, int indent) {
  json_t *last = json_object_get(files, "last_file"), *s;
  json_t *waiting = json_object_get(files, "waiting");
  long long incoming = json_integer_value(json_object_get(waiting, "incoming"));
  long long processing = json_integer_value(json_object_get(waiting, "processing"));
  char n[RELEVE_NUMBER_SIZE], date[32];
  size_t i;

  /* Within 100 columns: long names are cut. */
  if (json_is_object(last)) {
    printf("%*sdernier fichier : ", indent, "");
    print_name(last, 33);
    printf(" — %s, %s, %s (n° %lld)\n",
           cli_date(json_string_value(json_object_get(last, "received_at")), date),
           releve_report_channel(json_string_value(json_object_get(last, "channel")), 1),
           cli_outcome(json_string_value(json_object_get(last, "outcome"))),
           (long long)json_integer_value(json_object_get(last, "id")));
  }
  json_array_foreach(json_object_get(files, "refused_pending"), i, s) {
    printf("%*sà remplacer : ", indent, "");
    print_name(s, 23);
    printf(", refusé le %s (releve submissions --show %lld)\n",
           cli_date(json_string_value(json_object_get(s, "received_at")), date),
           (long long)json_integer_value(json_object_get(s, "id")));
  }
  if (incoming + processing)
    printf("%*sen attente : %s %s (%lld dans incoming/, %lld dans processing/)\n", indent, "",
           cli_count(incoming + processing, n),
           cli_plural(incoming + processing, "fichier", "fichiers"), incoming, processing);
}

static void print_table(releve_cli *cli, json_t *subs) {
  /* 100 columns: n°, reçu le, acteur, fichier, canal, résultat, détail. */
  static const int widths[] = {-4, 16, 23, 25, 8, 8, 10};
  static const char *const head[] = {"n°",    "reçu (Paris)", "acteur", "fichier",
                                     "canal", "résultat", "détail"};
  json_t *s;
  size_t i;

  cli_row(stdout, 0, head, widths, 7);
  json_array_foreach(subs, i, s) {
    char id[24], date[32], detail[64], actor[128];
    const char *row[7];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(s, "id")));
    sub_detail(s, detail, sizeof detail);
    row[0] = id;
    row[1] = cli_date(json_string_value(json_object_get(s, "received_at")), date);
    row[2] = cli_actor_short(&cli->cfg, json_string_value(json_object_get(s, "actor")), actor);
    row[3] = json_string_value(json_object_get(s, "name"));
    row[4] = releve_report_channel(json_string_value(json_object_get(s, "channel")), 1);
    row[5] = cli_outcome(json_string_value(json_object_get(s, "outcome")));
    row[6] = detail;
    cli_row(stdout, 0, row, widths, 7);
  }
}

static int show(releve_cli *cli, long long id, int json) {
  releve_stmt *st;
  json_t *s;
  int rc;

  if (releve_store_prepare(&cli->store, RELEVE_SQL_SUB_SHOW, &st))
    return CLI_FAIL;
  if ((rc = releve_stmt_bind_int64(st, 1, id)) == 0)
    rc = releve_stmt_step(st);
  if (rc != RELEVE_STMT_ROW) {
    releve_stmt_finalize(st);
    if (rc == RELEVE_STMT_DONE)
      fprintf(stderr, "releve: aucun dépôt n° %lld (`releve submissions` les liste)\n", id);
    else
      fprintf(stderr, "releve: lecture des dépôts impossible : %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  s = sub_json(st);
  if (json) {
    json_object_set_new(s, "report", json_string(col_text(st, SUB_REPORT)));
    releve_stmt_finalize(st);
    return cli_print_json(s);
  }
  fputs(col_text(st, SUB_REPORT), stdout);
  releve_stmt_finalize(st);
  json_decref(s);
  return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_submissions(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] submissions [--actor ID] [--since YYYY-MM-DD]\n"
      "                                    [--outcome accepted|refused] [--json]\n"
      "       releve [-c FILE] submissions --show ID [--json]\n\n"
      "Every file that came in, oldest first: number, reception time (Paris time), actor, file\n"
      "name, channel (spool: dropped in the spool folder, poll: fetched by a scheduled\n"
      "pull, cli: `releve ingest`), outcome, and how many values it gave or problems it\n"
      "had. A file sent again with the same bytes is answered \"already received\" and not\n"
      "listed again. --since keeps the files received that day or later.\n"
      "--show ID prints the report that was sent back for that file.\n"
      "--json prints {\"count\", \"submissions\": [{\"id\", \"actor\", \"channel\", \"name\",\n"
      "\"size\", \"sha256\", \"plugin\", \"received_at\", \"outcome\", \"added\", \"changed\",\n"
      "\"unchanged\", \"problems\", \"warnings\"}]}; with --show, that one object with its\n"
      "\"report\".\n";
  static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                       {"actor", required_argument, NULL, 'a'},
                                       {"since", required_argument, NULL, 's'},
                                       {"outcome", required_argument, NULL, 'o'},
                                       {"show", required_argument, NULL, 'w'},
                                       {NULL, 0, NULL, 0}};
  const char *actor = NULL, *since = NULL, *outcome = NULL;
  long long show_id = 0;
  releve_stmt *st;
  json_t *subs;
  char check[11];
  int json = 0, opt;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    char *end;
    switch (opt) {
    case 'j': json = 1; break;
    case 'a': actor = optarg; break;
    case 's':
      if (releve_date_add(optarg, 0, check) || strcmp(check, optarg) != 0) {
        fprintf(stderr, "releve: --since %s : une date écrite AAAA-MM-JJ est attendue "
                        "(2023-01-16)\n", optarg);
        return CLI_USAGE;
      }
      since = optarg;
      break;
    case 'o':
      if (strcmp(optarg, "accepted") && strcmp(optarg, "refused")) {
        fprintf(stderr, "releve: --outcome %s : accepted ou refused est attendu (un fichier "
                        "déjà reçu n'est pas enregistré une seconde fois)\n", optarg);
        return CLI_USAGE;
      }
      outcome = optarg;
      break;
    case 'w':
      show_id = strtoll(optarg, &end, 10);
      if (*end || show_id <= 0) {
        fprintf(stderr, "releve: --show %s : le numéro d'un dépôt est attendu (colonne n° de "
                        "`releve submissions`)\n", optarg);
        return CLI_USAGE;
      }
      break;
    default: return cli_usage(usage);
    }
  }
  if (optind != argc || (show_id && (actor || since || outcome)))
    return cli_usage(usage);
  if (cli_load_config(cli) || cli_open_store(cli, 0))
    return CLI_FAIL;
  if (actor && releve_config_actor(&cli->cfg, actor) == NULL) {
    fprintf(stderr, "releve: aucun acteur « %s » (`releve referentiel --json` les liste)\n",
            actor);
    return CLI_FAIL;
  }
  if (show_id)
    return show(cli, show_id, json);
  if (releve_store_prepare(&cli->store, RELEVE_SQL_SUB_LIST, &st))
    return CLI_FAIL;
  if (releve_stmt_bind_text(st, 1, actor) || releve_stmt_bind_text(st, 2, since) ||
      releve_stmt_bind_text(st, 3, outcome) || (subs = json_array()) == NULL) {
    releve_stmt_finalize(st);
    return CLI_FAIL;
  }
  if (collect(st, subs)) {
    json_decref(subs);
    return CLI_FAIL;
  }
  if (json)
    return cli_print_json(json_pack("{s:i, s:o}", "count", (int)json_array_size(subs),
                                    "submissions", subs));
  if (json_array_size(subs))
    print_table(cli, subs);
  {
    char n[RELEVE_NUMBER_SIZE];
    size_t count = json_array_size(subs);
    printf("%s%s %s\n", count ? "\n" : "", cli_count((long long)count, n),
           cli_plural((long long)count, "dépôt", "dépôts"));
  }
  json_decref(subs);
  return CLI_OK;
}
