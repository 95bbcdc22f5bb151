/* `releve status` and `releve missing`: completeness of the collection. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "completeness.h"

typedef struct tally {
  char key[64];
  const char *name;
  int expected, given, late;
} tally;

typedef struct status_ctx {
  tally *actors, *themes, *periods;
  size_t n_actors, n_themes, n_periods;
  tally total;
} status_ctx;

static tally *find(tally **list, size_t *n, const char *key, const char *name) {
  size_t i;
  tally *p;
  for (i = 0; i < *n; i++)
    if (strcmp((*list)[i].key, key) == 0)
      return &(*list)[i];
  p = realloc(*list, (*n + 1) * sizeof **list);
  if (p == NULL)
    return NULL;
  *list = p;
  p = &p[(*n)++];
  memset(p, 0, sizeof *p);
  snprintf(p->key, sizeof p->key, "%s", key);
  p->name = name;
  return p;
}

static void add(tally *t, const releve_expected *c) {
  if (t == NULL)
    return;
  t->expected++;
  t->given += c->given;
  t->late += c->late;
}

static int status_cell(void *ud, const releve_expected *c) {
  status_ctx *s = ud;
  char period[16];
  releve_period_format(&c->period, period, sizeof period);
  add(find(&s->actors, &s->n_actors, c->actor->id, c->actor->name), c);
  add(find(&s->themes, &s->n_themes, c->indicator->theme->id, c->indicator->theme->name), c);
  add(find(&s->periods, &s->n_periods, period, NULL), c);
  add(&s->total, c);
  return 0;
}

static json_t *tally_json(const tally *t, const char *keyname) {
  json_t *o = json_pack("{s:s, s:i, s:i, s:i, s:i}", keyname, t->key, "expected", t->expected,
                        "given", t->given, "missing", t->expected - t->given, "late", t->late);
  if (t->name)
    json_object_set_new(o, "name", json_string(t->name));
  return o;
}

static json_t *tallies_json(const tally *list, size_t n, const char *keyname) {
  json_t *a = json_array();
  size_t i;
  for (i = 0; i < n; i++)
    json_array_append_new(a, tally_json(&list[i], keyname));
  return a;
}

static void print_tallies(const char *title, const tally *list, size_t n) {
  size_t i;
  printf("\n");
  cli_cell(stdout, title, 44);
  printf(" %8s %8s %8s %8s %6s\n", "expected", "given", "missing", "late", "done");
  for (i = 0; i < n; i++) {
    const tally *t = &list[i];
    char label[160];
    snprintf(label, sizeof label, "%s%s%s", t->key, t->name ? " " : "", t->name ? t->name : "");
    cli_cell(stdout, label, 44);
    printf(" %8d %8d %8d %8d %5.0f%%\n", t->expected, t->given, t->expected - t->given, t->late,
           t->expected ? 100.0 * t->given / t->expected : 100.0);
  }
}

static int parse_common(int argc, char **argv, const char *usage, int with_actor, int *json,
                        int *year, const char **actor) {
  static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                       {"year", required_argument, NULL, 'y'},
                                       {"actor", required_argument, NULL, 'a'},
                                       {NULL, 0, NULL, 0}};
  int opt;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt == 'j') {
      *json = 1;
    } else if (opt == 'y') {
      char *end;
      *year = (int)strtol(optarg, &end, 10);
      if (*end || *year < 1990 || *year > 2100) {
        fprintf(stderr, "releve: --year %s: a year such as 2019 is expected\n", optarg);
        return CLI_USAGE;
      }
    } else if (opt == 'a' && with_actor) {
      *actor = optarg;
    } else {
      fputs(usage, stderr);
      return CLI_USAGE;
    }
  }
  if (optind != argc) {
    fputs(usage, stderr);
    return CLI_USAGE;
  }
  return CLI_OK;
}

static int open_for_report(releve_cli *cli, int year, const char *actor) {
  if (cli_load_config(cli) || cli_open_store(cli, 0))
    return CLI_FAIL;
  if (year && (year < cli->cfg.first_year || year > cli->cfg.last_year)) {
    fprintf(stderr, "releve: %d is outside the contract (%d to %d)\n", year,
            cli->cfg.first_year, cli->cfg.last_year);
    return CLI_FAIL;
  }
  if (actor && releve_config_actor(&cli->cfg, actor) == NULL) {
    fprintf(stderr, "releve: no actor \"%s\" (see `releve referentiel --json`)\n", actor);
    return CLI_FAIL;
  }
  return CLI_OK;
}

int cmd_status(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] status [--year Y] [--json]\n\n"
      "Completeness of the collection by actor, theme and period: cells expected\n"
      "(indicator x period x scope), given (a value, or a suppressed / not available\n"
      "status), missing, and late (missing past the due date). Without --year, every\n"
      "year of the contract up to last year.\n"
      "--json prints {\"today\", \"year\", \"total\": {expected, given, missing, late},\n"
      "\"actors\"|\"themes\": [{\"id\", \"name\", …counts}], \"periods\": [{\"period\", …counts}],\n"
      "\"sources\": [{\"id\", \"actor\", \"url\", \"schedule\", \"failing\", \"failures\" (in a row),\n"
      "\"last_attempt\", \"last_success\", \"last_error\"}] (scheduled pulls),\n"
      "\"mail\": {\"pending\", \"retrying\", \"sent\", \"failed\", \"failures\": [{\"id\",\n"
      "\"recipients\", \"subject\", \"created_at\", \"attempts\", \"error\"}]} (the outbox)}.\n";
  status_ctx s;
  char today[11];
  int json = 0, year = 0, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if ((rc = parse_common(argc, argv, usage, 0, &json, &year, NULL)) != CLI_OK)
    return rc;
  if (open_for_report(cli, year, NULL))
    return CLI_FAIL;
  memset(&s, 0, sizeof s);
  snprintf(s.total.key, sizeof s.total.key, "total");
  cli_today(today);
  rc = releve_completeness_walk(&cli->store, &cli->cfg, NULL, year, today, status_cell, &s);
  if (rc) {
    fprintf(stderr, "releve: reading the database failed: %s\n", strerror(-rc));
  } else if (json) {
    json_t *out = json_pack("{s:s, s:i, s:{s:i, s:i, s:i, s:i}}", "today", today, "year", year,
                            "total", "expected", s.total.expected, "given", s.total.given,
                            "missing", s.total.expected - s.total.given, "late", s.total.late);
    json_object_set_new(out, "actors", tallies_json(s.actors, s.n_actors, "id"));
    json_object_set_new(out, "themes", tallies_json(s.themes, s.n_themes, "id"));
    json_object_set_new(out, "periods", tallies_json(s.periods, s.n_periods, "period"));
    json_object_set_new(out, "sources", cli_pull_status_json(cli));
    json_object_set_new(out, "mail", cli_mail_status_json(cli));
    rc = cli_print_json(out);
  } else {
    printf("Completeness on %s%s: %d of %d cells given, %d missing, %d late\n", today,
           year ? "" : " (all years due)", s.total.given, s.total.expected,
           s.total.expected - s.total.given, s.total.late);
    print_tallies("actor", s.actors, s.n_actors);
    print_tallies("theme", s.themes, s.n_themes);
    print_tallies("period", s.periods, s.n_periods);
    cli_pull_status_print(cli);
    cli_mail_status_print(cli);
  }
  free(s.actors);
  free(s.themes);
  free(s.periods);
  return rc ? CLI_FAIL : CLI_OK;
}

typedef struct missing_ctx {
  json_t *cells; /* --json */
  int count;
  const releve_actor *last_actor;
} missing_ctx;

static int missing_cell(void *ud, const releve_expected *c) {
  missing_ctx *m = ud;
  char period[16];

  if (c->given)
    return 0;
  releve_period_format(&c->period, period, sizeof period);
  m->count++;
  if (m->cells) {
    json_array_append_new(
        m->cells, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "actor", c->actor->id,
                            "indicator", c->indicator->id, "label", c->indicator->label, "action",
                            c->indicator->action->id, "period", period, "geography",
                            c->geography, "due", c->due, "late", c->late));
    return 0;
  }
  if (m->last_actor != c->actor)
    printf("%s%s — %s\n", m->last_actor ? "\n" : "", c->actor->id, c->actor->name);
  m->last_actor = c->actor;
  {
    static const int widths[] = {7, 10, 6, 5, 60};
    const char *row[] = {c->indicator->id, period, c->geography, c->late ? "late" : "",
                         c->indicator->label};
    cli_row(stdout, 2, row, widths, 5);
  }
  return 0;
}

int cmd_missing(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] missing [--actor ID] [--year Y] [--json]\n\n"
      "The cells still owed: indicator, period, scope, and whether they are late.\n"
      "--json prints {\"today\", \"count\", \"cells\": [{\"actor\", \"indicator\", \"label\",\n"
      "\"action\", \"period\", \"geography\", \"due\", \"late\"}]}.\n";
  missing_ctx m;
  const char *actor = NULL;
  char today[11];
  int json = 0, year = 0, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if ((rc = parse_common(argc, argv, usage, 1, &json, &year, &actor)) != CLI_OK)
    return rc;
  if (open_for_report(cli, year, actor))
    return CLI_FAIL;
  memset(&m, 0, sizeof m);
  if (json)
    m.cells = json_array();
  cli_today(today);
  rc = releve_completeness_walk(&cli->store, &cli->cfg, actor, year, today, missing_cell, &m);
  if (rc) {
    fprintf(stderr, "releve: reading the database failed: %s\n", strerror(-rc));
    json_decref(m.cells);
    return CLI_FAIL;
  }
  if (json)
    return cli_print_json(
        json_pack("{s:s, s:i, s:o}", "today", today, "count", m.count, "cells", m.cells));
  printf("%s%d missing cell%s\n", m.count ? "\n" : "", m.count, m.count == 1 ? "" : "s");
  return CLI_OK;
}
