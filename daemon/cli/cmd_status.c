/* `releve status` and `releve missing`: completeness of the collection, and
 * (status) what came in from each actor. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "completeness/completeness.h"
#include "decode/plugin_fault.h"
#include "remind/remind.h"
#include "spool/spool.h"
#include "store/store_sql.h"
#include "util/buf.h"
#include "util/date.h"

typedef struct tally {
  char key[64];
  const char *name;
  int expected, given, derived, late;
  int year; /* campaigns */
  /* Themes and campaigns: whose. Two contracts' référentiels may share a
   * theme's id and a year, never their cells. */
  const releve_contract *contract;
} tally;

typedef struct status_ctx {
  tally *actors, *themes, *periods, *campaigns, *contracts;
  size_t n_actors, n_themes, n_periods, n_campaigns, n_contracts;
  int several; /* contracts walked: campaigns are told apart by contract */
  tally total;
} status_ctx;

static tally *find(tally **list, size_t *n, const releve_contract *k, const char *key,
                   const char *name) {
  size_t i;
  tally *p;
  for (i = 0; i < *n; i++)
    if ((*list)[i].contract == k && strcmp((*list)[i].key, key) == 0)
      return &(*list)[i];
  p = realloc(*list, (*n + 1) * sizeof **list);
  if (p == NULL)
    return NULL;
  *list = p;
  p = &p[(*n)++];
  memset(p, 0, sizeof *p);
  snprintf(p->key, sizeof p->key, "%s", key);
  p->name = name;
  p->contract = k;
  return p;
}

static void add(tally *t, const releve_expected *c) {
  if (t == NULL)
    return;
  t->expected++;
  t->given += c->given;
  t->derived += c->derived;
  t->late += c->late;
}

static int status_cell(void *ud, const releve_expected *c) {
  status_ctx *s = ud;
  const releve_contract *k = c->actor->contract;
  char period[16], year[16];
  tally *campaign;
  releve_period_format(&c->period, period, sizeof period);
  /* A school year 2018-2019 is owed to the campaign of 2018 (config.h);
   * each contract has its campaigns. */
  snprintf(year, sizeof year, "%d", c->period.year);
  add(find(&s->contracts, &s->n_contracts, NULL, k->id, k->name), c);
  add(find(&s->actors, &s->n_actors, NULL, c->actor->id, c->actor->name), c);
  add(find(&s->themes, &s->n_themes, k, c->indicator->theme->id, c->indicator->theme->name), c);
  add(find(&s->periods, &s->n_periods, NULL, period, NULL), c);
  if ((campaign = find(&s->campaigns, &s->n_campaigns, k, year, NULL)) != NULL)
    campaign->year = c->period.year;
  add(campaign, c);
  add(&s->total, c);
  return 0;
}

static json_t *tally_json(const tally *t, const char *keyname) {
  json_t *o = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", keyname, t->key, "expected",
                        t->expected, "given", t->given, "derived", t->derived, "missing",
                        t->expected - t->given, "late", t->late);
  if (t->name)
    json_object_set_new(o, "name", json_string(t->name));
  if (t->contract)
    json_object_set_new(o, "contract", json_string(t->contract->id));
  return o;
}

static json_t *tallies_json(const tally *list, size_t n, const char *keyname) {
  json_t *a = json_array();
  size_t i;
  for (i = 0; i < n; i++)
    json_array_append_new(a, tally_json(&list[i], keyname));
  return a;
}

/* A campaign's due date, in its contract. */
static void campaign_due(releve_cli *cli, const tally *t, char due[11]) {
  releve_config view;
  releve_config_view(&cli->cfg, t->contract, &view);
  releve_completeness_due(&view, t->year, due);
}

/* The campaigns as JSON: the contract, the year as a number, with its due
 * date. */
static json_t *campaigns_json(releve_cli *cli, const status_ctx *s) {
  json_t *a = json_array();
  size_t i;
  for (i = 0; i < s->n_campaigns; i++) {
    const tally *t = &s->campaigns[i];
    char due[11];
    campaign_due(cli, t, due);
    json_array_append_new(a, json_pack("{s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:i}", "contract",
                                       t->contract->id, "year", t->year, "due", due, "expected",
                                       t->expected, "given", t->given, "derived", t->derived,
                                       "missing", t->expected - t->given, "late", t->late));
  }
  return a;
}

/* Label column, then the six counts ("dérivées": of the received, those
 * that follow from given cells, derive.h): 99 columns. */
static const int tally_widths[] = {35, -10, -8, -8, -11, -10, -11};

static void print_tally_head(const char *title) {
  const char *head[] = {title,        "attendues", "reçues",    "dérivées",
                        "manquantes", "en retard", "complétude"};
  printf("\n");
  cli_row(stdout, 0, head, tally_widths, 7);
}

static void print_tally(const char *label, const tally *t) {
  char n[6][RELEVE_NUMBER_SIZE];
  const char *row[] = {label,
                       cli_count(t->expected, n[0]),
                       cli_count(t->given, n[1]),
                       cli_count(t->derived, n[5]),
                       cli_count(t->expected - t->given, n[2]),
                       cli_count(t->late, n[3]),
                       cli_share(t->given, t->expected, n[4])};
  cli_row(stdout, 0, row, tally_widths, 7);
}

/* Per actor, the files part (JSON, already merged into each actor's
 * object) under the actor's counts. Across several contracts, each actor
 * says its contract first: the same partner may be an actor of each. */
static void print_actors(releve_cli *cli, const status_ctx *s, json_t *actors) {
  size_t i;
  print_tally_head("Acteur");
  for (i = 0; i < s->n_actors; i++) {
    const releve_actor *a = releve_config_actor(&cli->cfg, s->actors[i].key);
    char name[128], label[192];
    cli_actor_short(&cli->cfg, s->actors[i].key, name);
    if (cli->contract == NULL && a)
      snprintf(label, sizeof label, "%s · %s", a->contract->id, name);
    else
      snprintf(label, sizeof label, "%s", name);
    print_tally(label, &s->actors[i]);
    cli_actor_files_print(json_array_get(actors, i), 2);
  }
}

static void print_themes(const status_ctx *s) {
  size_t i;
  print_tally_head("Thème");
  for (i = 0; i < s->n_themes; i++) {
    const tally *t = &s->themes[i];
    char label[200];
    snprintf(label, sizeof label, "%s%s%s — %s", s->several ? t->contract->id : "",
             s->several ? " · " : "", t->key, t->name);
    print_tally(label, &s->themes[i]);
  }
}

static void print_campaigns(releve_cli *cli, const status_ctx *s) {
  size_t i;
  print_tally_head("Campagne");
  for (i = 0; i < s->n_campaigns; i++) {
    const tally *t = &s->campaigns[i];
    char label[160], due[11], date[32];
    campaign_due(cli, t, due);
    snprintf(label, sizeof label, "%s%s%d, à rendre le %s", s->several ? t->contract->id : "",
             s->several ? " " : "", t->year, cli_date(due, date));
    print_tally(label, t);
  }
}

static void print_contracts(const status_ctx *s) {
  size_t i;
  print_tally_head("Contrat");
  for (i = 0; i < s->n_contracts; i++)
    print_tally(s->contracts[i].key, &s->contracts[i]);
}

/* Each actor's files merged into its object of actors (same order), and
 * the whole counted in files: {"accepted", "refused", "waiting"}. */
static int add_files(releve_cli *cli, const status_ctx *s, json_t *actors, json_t *files) {
  releve_stmt *st;
  long long waiting = 0;
  size_t i;
  int rc;

  for (i = 0; i < s->n_actors; i++) {
    json_t *f = cli_actor_files_json(cli, s->actors[i].key), *w;
    if (f == NULL)
      return CLI_FAIL;
    w = json_object_get(f, "waiting");
    waiting += json_integer_value(json_object_get(w, "incoming")) +
               json_integer_value(json_object_get(w, "processing"));
    json_object_update(json_array_get(actors, i), f);
    json_decref(f);
  }
  json_object_set_new(files, "accepted", json_integer(0));
  json_object_set_new(files, "refused", json_integer(0));
  if (releve_store_prepare(&cli->store, RELEVE_SQL_SUBMISSION_COUNTS, &st))
    return CLI_FAIL;
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW)
    json_object_set_new(files, releve_stmt_text(st, 0), json_integer(releve_stmt_int64(st, 1)));
  releve_stmt_finalize(st);
  json_object_set_new(files, "waiting", json_integer(waiting));
  if (rc != RELEVE_STMT_DONE) {
    fprintf(stderr, "releve: lecture des dépôts impossible : %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  return CLI_OK;
}

static void print_summary(const releve_cli *cli, const status_ctx *s, const char *today, int year,
                          json_t *files) {
  char n[6][RELEVE_NUMBER_SIZE], date[48];
  long long accepted = json_integer_value(json_object_get(files, "accepted"));
  long long refused = json_integer_value(json_object_get(files, "refused"));
  long long waiting = json_integer_value(json_object_get(files, "waiting"));

  releve_date_french(today, date, sizeof date);
  if (year)
    printf("Complétude au %s, année %d", date, year);
  else
    printf("Complétude au %s, toutes les années dues", date);
  if (cli->contract) {
    printf(cli->cfg.n_contracts > 1 ? ", contrat « %s »\n" : "\n",
           cli->contract->contracts[0].id);
  } else {
    printf(", contrats ");
    cli_contract_list(&cli->cfg, stdout);
    printf("\n");
  }
  printf("%s %s (dont %s %s) sur %s (%s) : %s %s, dont %s en retard\n",
         cli_count(s->total.given, n[0]),
         cli_plural(s->total.given, "cellule reçue", "cellules reçues"),
         cli_count(s->total.derived, n[5]), cli_plural(s->total.derived, "dérivée", "dérivées"),
         cli_count(s->total.expected, n[1]), cli_share(s->total.given, s->total.expected, n[2]),
         cli_count(s->total.expected - s->total.given, n[3]),
         cli_plural(s->total.expected - s->total.given, "manquante", "manquantes"),
         cli_count(s->total.late, n[4]));
  printf("Fichiers reçus : %s %s, %s %s ; %s en attente dans les dossiers de dépôt\n",
         cli_count(accepted, n[0]), cli_plural(accepted, "accepté", "acceptés"),
         cli_count(refused, n[1]), cli_plural(refused, "refusé", "refusés"),
         cli_count(waiting, n[5]));
}

/* The actors whose address is still `releve init`'s placeholder: no
 * reminder goes to them (remind.h). */
static json_t *placeholders_json(const releve_config *cfg) {
  json_t *list = json_array();
  size_t i;
  for (i = 0; list && i < cfg->n_actors; i++)
    if (cfg->actors[i].placeholder)
      json_array_append_new(list, json_string(cfg->actors[i].id));
  return list;
}

static void print_placeholders(const releve_config *cfg) {
  json_t *list = placeholders_json(cfg), *v;
  char n[RELEVE_NUMBER_SIZE];
  size_t i;
  if (list && json_array_size(list)) {
    printf("Adresses provisoires à remplacer (aucune relance ne leur est envoyée) : %s %s — ",
           cli_count((long long)json_array_size(list), n),
           cli_plural((long long)json_array_size(list), "acteur", "acteurs"));
    json_array_foreach(list, i, v) printf("%s%s", i ? ", " : "", json_string_value(v));
    printf("\n");
  }
  json_decref(list);
}

/* What status and missing are asked: --json, --year, --contract and
 * (missing) --actor. */
typedef struct report_args {
  int json, year;
  const char *actor, *contract;
} report_args;

static int parse_common(int argc, char **argv, const char *usage, int with_actor,
                        report_args *r) {
  static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                       {"year", required_argument, NULL, 'y'},
                                       {"actor", required_argument, NULL, 'a'},
                                       {"contract", required_argument, NULL, 'k'},
                                       {NULL, 0, NULL, 0}};
  int opt;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt == 'j') {
      r->json = 1;
    } else if (opt == 'y') {
      char *end;
      r->year = (int)strtol(optarg, &end, 10);
      if (*end || r->year < 1990 || r->year > 2100) {
        fprintf(stderr, "releve: --year %s : une année telle que 2019 est attendue\n", optarg);
        return CLI_USAGE;
      }
    } else if (opt == 'a' && with_actor) {
      r->actor = optarg;
    } else if (opt == 'k') {
      r->contract = optarg;
    } else
      return cli_usage(usage);
  }
  if (optind != argc)
    return cli_usage(usage);
  return CLI_OK;
}

static int year_in(const releve_contract *k, int year) {
  return year == 0 || (year >= k->first_year && year <= k->last_year);
}

/* The walk looks up every expected cell: in one read transaction, rather
 * than one per lookup, it locks the database once. The chosen contract's
 * cells, else those of every contract the year falls in. */
static int walk_cells(releve_cli *cli, const char *actor, int year, const char *today,
                      releve_expected_cb cb, void *ud) {
  size_t i;
  int rc = releve_store_begin_read(&cli->store);
  if (rc == 0 && cli->contract)
    rc = releve_completeness_walk(&cli->store, cli->contract, actor, year, today, cb, ud);
  for (i = 0; rc == 0 && cli->contract == NULL && i < cli->cfg.n_contracts; i++) {
    releve_config view;
    if (!year_in(&cli->cfg.contracts[i], year))
      continue;
    releve_config_view(&cli->cfg, &cli->cfg.contracts[i], &view);
    rc = releve_completeness_walk(&cli->store, &view, actor, year, today, cb, ud);
  }
  releve_store_rollback(&cli->store);
  return rc;
}

/* The contract asked for (--contract), the actor's, the only one; else
 * every contract (cli->contract NULL). */
static int open_for_report(releve_cli *cli, const report_args *r) {
  size_t i;
  if (cli_load_config(cli))
    return CLI_FAIL;
  if ((r->contract || r->actor || cli->cfg.n_contracts == 1) &&
      cli_choose_contract(cli, r->contract, r->actor))
    return CLI_FAIL;
  if (cli->contract && !year_in(&cli->contract->contracts[0], r->year)) {
    fprintf(stderr, "releve: %d est hors du contrat « %s » (%d à %d)\n", r->year,
            cli->contract->contracts[0].id, cli->contract->first_year,
            cli->contract->last_year);
    return CLI_FAIL;
  }
  for (i = 0; cli->contract == NULL && i < cli->cfg.n_contracts; i++)
    if (year_in(&cli->cfg.contracts[i], r->year))
      break;
  if (i == cli->cfg.n_contracts) {
    fprintf(stderr, "releve: %d est hors de tous les contrats (", r->year);
    cli_contract_list(&cli->cfg, stderr);
    fprintf(stderr, ")\n");
    return CLI_FAIL;
  }
  return cli_open_store(cli, 0) ? CLI_FAIL : CLI_OK;
}

/* ---- actors whose files wait for their plugin (plugin_fault.h) ---------- */

typedef struct faults_ctx {
  releve_cli *cli;
  json_t *list; /* --json, else printed */
  int n;
} faults_ctx;

static int fault_row(void *ud, const releve_plugin_fault_row *r) {
  faults_ctx *f = ud;
  /* A folder this user cannot read (< 0) is said as unknown. */
  int waiting = releve_spool_waiting(&f->cli->cfg, r->actor, RELEVE_SPOOL_INCOMING);
  char count[32];
  if (f->list) {
    json_array_append_new(f->list, json_pack("{s:s, s:s, s:s, s:s, s:o}", "actor", r->actor,
                                             "plugin", r->plugin, "problem", r->problem,
                                             "since", r->since, "waiting",
                                             waiting < 0 ? json_null() : json_integer(waiting)));
    return 0;
  }
  if (f->n++ == 0)
    printf("\nacteurs dont les fichiers attendent un module de lecture :\n");
  if (waiting < 0)
    snprintf(count, sizeof count, "? fichiers");
  else
    snprintf(count, sizeof count, "%d fichier%s", waiting, waiting > 1 ? "s" : "");
  printf("  %s (module « %s ») : %s dans incoming/ ; depuis %s : %s\n", r->actor, r->plugin,
         count, r->since, r->problem);
  return 0;
}

static json_t *faults_json(releve_cli *cli) {
  faults_ctx f = {cli, json_array(), 0};
  if (releve_plugin_faults(&cli->store, fault_row, &f) != 0) {
    json_decref(f.list);
    return json_null();
  }
  return f.list;
}

static void faults_print(releve_cli *cli) {
  faults_ctx f = {cli, NULL, 0};
  int rc = releve_plugin_faults(&cli->store, fault_row, &f);
  if (rc)
    fprintf(stderr, "releve: lecture des modules en défaut impossible : %s\n", strerror(-rc));
}

int cmd_status(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] status [--contract ID] [--year Y] [--json]\n\n"
      "Completeness of the collection by actor, theme and campaign: cells expected\n"
      "(indicator x period x geography: the indicator's \"geographies\" in the\n"
      "référentiel, or the actor's \"scopes\"), given (a value, or a suppressed / not\n"
      "available status), of which derived (QP = QPV + QVA for counts and amounts, a\n"
      "QPV or QVA from all its quartiers), missing, and late (missing past the due\n"
      "date). Without --year, every year of the contract up to last year. --contract:\n"
      "that contract alone; without it, every contract of the configuration, also\n"
      "counted by contract. Under each actor, the files: the last one\n"
      "received (time, name, channel, outcome), those refused and not replaced since by\n"
      "an accepted one, and those waiting in its incoming/ and processing/ folders.\n"
      "--json prints {\"today\", \"year\", \"contract\" (null: every one), \"total\":\n"
      "{expected, given, derived, missing, late}, \"contracts\": [{\"id\", \"name\",\n"
      "…counts}], \"files\": {\"accepted\", \"refused\", \"waiting\"},\n"
      "\"actors\": [{\"id\", \"name\", …counts, \"last_file\": submission or null,\n"
      "\"refused_pending\": [submission], \"waiting\": {\"incoming\", \"processing\"} or null\n"
      "when its spool folders cannot be read}]\n"
      "(a submission as `releve submissions --json` gives it),\n"
      "\"themes\": [{\"contract\", \"id\", \"name\", …counts}],\n"
      "\"periods\": [{\"period\", …counts}],\n"
      "\"campaigns\": [{\"contract\", \"year\", \"due\", …counts}],\n"
      "\"sources\": [{\"id\", \"actor\", \"url\", \"schedule\", \"failing\", \"failures\" (in a row),\n"
      "\"last_attempt\", \"last_success\", \"last_error\"}] (scheduled pulls),\n"
      "\"mail\": {\"pending\", \"retrying\", \"sent\", \"failed\", \"failures\": [{\"id\",\n"
      "\"recipients\", \"subject\", \"created_at\", \"attempts\", \"error\"}]} (the mail queue),\n"
      "\"plugin_faults\": [{\"actor\", \"plugin\", \"problem\", \"since\", \"waiting\"}] (actors\n"
      "whose files wait in incoming/ because their plugin cannot read them here),\n"
      "\"spool\": {\"stale_upload_hours\", \"stale_uploads\": [{\"actor\", \"name\"}]}\n"
      "(uploads left under a temporary name, never read)}.\n";
  status_ctx s;
  report_args r = {0};
  json_t *actors = NULL, *files = NULL;
  const releve_config *shown;
  char today[11];
  int json, year, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if ((rc = parse_common(argc, argv, usage, 0, &r)) != CLI_OK)
    return rc;
  json = r.json;
  year = r.year;
  if (open_for_report(cli, &r))
    return CLI_FAIL;
  shown = cli->contract ? cli->contract : &cli->cfg;
  memset(&s, 0, sizeof s);
  s.several = cli->contract == NULL;
  snprintf(s.total.key, sizeof s.total.key, "total");
  cli_today(today);
  rc = walk_cells(cli, NULL, year, today, status_cell, &s);
  if (rc) {
    fprintf(stderr, "releve: lecture de la base impossible : %s\n", strerror(-rc));
  } else if ((actors = tallies_json(s.actors, s.n_actors, "id")) == NULL ||
             (files = json_object()) == NULL || add_files(cli, &s, actors, files)) {
    rc = CLI_FAIL;
  } else if (json) {
    json_t *out = json_pack("{s:s, s:i, s:{s:i, s:i, s:i, s:i, s:i}, s:O, s:O}", "today",
                            today, "year", year, "total", "expected", s.total.expected, "given",
                            s.total.given, "derived", s.total.derived, "missing",
                            s.total.expected - s.total.given, "late", s.total.late, "files",
                            files, "actors", actors);
    json_object_set_new(out, "contract",
                        cli->contract ? json_string(cli->contract->contracts[0].id) : json_null());
    json_object_set_new(out, "contracts", tallies_json(s.contracts, s.n_contracts, "id"));
    json_object_set_new(out, "themes", tallies_json(s.themes, s.n_themes, "id"));
    json_object_set_new(out, "periods", tallies_json(s.periods, s.n_periods, "period"));
    json_object_set_new(out, "campaigns", campaigns_json(cli, &s));
    json_object_set_new(out, "sources", cli_pull_status_json(cli));
    json_object_set_new(out, "mail", cli_mail_status_json(cli));
    json_object_set_new(out, "plugin_faults", faults_json(cli));
    json_object_set_new(out, "placeholders", placeholders_json(shown));
    json_object_set_new(out, "spool", cli_spool_status_json(cli));
    rc = cli_print_json(out);
  } else {
    print_summary(cli, &s, today, year, files);
    print_placeholders(shown);
    if (s.several)
      print_contracts(&s);
    print_actors(cli, &s, actors);
    print_themes(&s);
    print_campaigns(cli, &s);
    cli_pull_status_print(cli);
    cli_mail_status_print(cli);
    faults_print(cli);
    cli_spool_status_print(cli);
  }
  json_decref(actors);
  json_decref(files);
  free(s.actors);
  free(s.themes);
  free(s.periods);
  free(s.campaigns);
  free(s.contracts);
  return rc ? CLI_FAIL : CLI_OK;
}

/* `releve missing` prints an actor's cells once it has them all, so that
 * its total and first due date come before the list. */
typedef struct missing_ctx {
  json_t *cells; /* --json */
  int count, actors, derived;
  const releve_actor *actor;
  releve_buf cells_of_actor; /* its releve_expected, one after the other */
} missing_ctx;

static void print_actor_cells(missing_ctx *m) {
  static const int widths[] = {6, 9, 10, 10, 9, 48};
  static const char *const head[] = {"indic.",   "période",   "territoire",
                                     "échéance", "en retard", "libellé"};
  const releve_actor *a = m->actor;
  const releve_expected *cells = (const releve_expected *)m->cells_of_actor.data;
  size_t i, late = 0, n_cells = m->cells_of_actor.len / sizeof *cells;
  char n[2][RELEVE_NUMBER_SIZE], date[32];
  const char *first_due = cells[0].due;

  for (i = 0; i < n_cells; i++) {
    late += cells[i].late != 0;
    if (strcmp(cells[i].due, first_due) < 0)
      first_due = cells[i].due;
  }
  printf("%s%s\n  %s %s, dont %s en retard ; première échéance : %s\n", m->actors ? "\n" : "",
         a->name ? a->name : a->id, cli_count((long long)n_cells, n[0]),
         cli_plural((long long)n_cells, "cellule manquante", "cellules manquantes"),
         cli_count((long long)late, n[1]), cli_date(first_due, date));
  printf("  contact : ");
  for (i = 0; i < a->n_emails; i++)
    printf("%s%s", i ? ", " : "", a->emails[i]);
  printf("%s (acteur %s)\n", a->n_emails ? "" : "aucune adresse", a->id);
  cli_row(stdout, 2, head, widths, 6);
  for (i = 0; i < n_cells; i++) {
    const releve_expected *c = &cells[i];
    char period[16];
    const char *row[6];
    releve_period_format(&c->period, period, sizeof period);
    row[0] = c->indicator->id;
    row[1] = period;
    row[2] = c->geography;
    row[3] = cli_date(c->due, date);
    row[4] = c->late ? "oui" : "";
    row[5] = c->indicator->label;
    cli_row(stdout, 2, row, widths, 6);
  }
  m->actors++;
  m->cells_of_actor.len = 0;
}

static int missing_cell(void *ud, const releve_expected *c) {
  missing_ctx *m = ud;
  char period[16];

  m->derived += c->derived;
  if (c->given)
    return 0;
  m->count++;
  if (m->cells) {
    releve_period_format(&c->period, period, sizeof period);
    json_array_append_new(
        m->cells, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "contract",
                            c->actor->contract->id, "actor", c->actor->id,
                            "indicator", c->indicator->id, "label", c->indicator->label, "action",
                            c->indicator->action->id, "period", period, "geography",
                            c->geography, "due", c->due, "late", c->late));
    return 0;
  }
  if (m->actor != c->actor && m->cells_of_actor.len)
    print_actor_cells(m);
  m->actor = c->actor;
  return releve_buf_add(&m->cells_of_actor, (const char *)c, sizeof *c);
}

int cmd_missing(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] missing [--contract ID] [--actor ID] [--year Y] [--json]\n\n"
      "The cells still owed, by actor: how many, how many late, the first due date and\n"
      "the contact, then each cell (indicator, period, geography, due date, late or not).\n"
      "A cell derived from given ones (QP = QPV + QVA, a QPV from its quartiers) is not\n"
      "owed; their number closes the list. --contract: that contract's cells alone\n"
      "(an actor's are its contract's); without it, every contract's.\n"
      "--json prints {\"today\", \"count\", \"derived\", \"cells\": [{\"contract\", \"actor\",\n"
      "\"indicator\",\n"
      "\"label\", \"action\", \"period\", \"geography\", \"due\", \"late\"}]}.\n";
  missing_ctx m;
  report_args r = {0};
  char today[11], n[RELEVE_NUMBER_SIZE];
  int json, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if ((rc = parse_common(argc, argv, usage, 1, &r)) != CLI_OK)
    return rc;
  json = r.json;
  if (open_for_report(cli, &r))
    return CLI_FAIL;
  memset(&m, 0, sizeof m);
  if (json)
    m.cells = json_array();
  cli_today(today);
  rc = walk_cells(cli, r.actor, r.year, today, missing_cell, &m);
  if (rc == 0 && m.cells_of_actor.len)
    print_actor_cells(&m);
  releve_buf_free(&m.cells_of_actor);
  if (rc) {
    fprintf(stderr, "releve: lecture de la base impossible : %s\n", strerror(-rc));
    json_decref(m.cells);
    return CLI_FAIL;
  }
  if (json)
    return cli_print_json(
        json_pack("{s:s, s:i, s:i, s:o}", "today", today, "count", m.count, "derived", m.derived,
                  "cells", m.cells));
  printf("%s%s %s", m.count ? "\n" : "", cli_count(m.count, n),
         cli_plural(m.count, "cellule manquante", "cellules manquantes"));
  if (m.actors > 1)
    printf(" pour %d acteurs", m.actors);
  if (m.derived)
    printf(" ; %s %s de cellules reçues", cli_count(m.derived, n),
           cli_plural(m.derived, "autre dérivée", "autres dérivées"));
  printf("\n");
  return CLI_OK;
}
