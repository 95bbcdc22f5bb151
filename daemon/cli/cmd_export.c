/* `releve export`: the référentiel's evaluation table (the rows, their
 * secrecy, progress and completeness here; the formats in export_*.c). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "completeness/completeness.h"
#include "config/privacy.h"
#include "export.h"
#include "referentiel/geo.h"
#include "store/store_sql.h"
#include "util/buf.h"
#include "util/fs.h"

/* The year whose figures the mid-term evaluation (2019) reported. */
#define MID_TERM_YEAR 2018
#define MAX_GEOS 64

/* A stored cell as the export shows it: not available reads "nd" (it has
 * nothing to hide), suppressed or blanked by secrecy "secret", and the
 * share a blanked count carries goes with it. */
static void value_of(releve_stmt *st, int secret, export_value *v) {
  const char *status = releve_stmt_text(st, 5);
  memset(v, 0, sizeof *v);
  if (strcmp(status, "not_available") == 0) {
    v->kind = EXPORT_TEXT;
    snprintf(v->text, sizeof v->text, "nd");
  } else if (secret || strcmp(status, "suppressed") == 0) {
    v->kind = v->share_kind = EXPORT_TEXT;
    snprintf(v->text, sizeof v->text, "secret");
    return;
  } else if (!releve_stmt_is_null(st, 2)) {
    v->kind = EXPORT_NUMBER;
    v->number = releve_stmt_double(st, 2);
  } else if (!releve_stmt_is_null(st, 3)) {
    const char *text = releve_stmt_text(st, 3);
    size_t n = strlen(text);
    if (n >= sizeof v->text) /* never half a UTF-8 character */
      for (n = sizeof v->text - 1; n && ((unsigned char)text[n] & 0xc0) == 0x80; n--)
        ;
    v->kind = EXPORT_TEXT;
    memcpy(v->text, text, n);
    v->text[n] = '\0';
  }
  if (!releve_stmt_is_null(st, 4)) {
    v->share_kind = EXPORT_NUMBER;
    v->share = releve_stmt_double(st, 4);
  }
}

/* RELEVE_SQL_OBS_FOR_INDICATOR's parameters: the indicator, in the
 * contract exported. */
static int bind_indicator(releve_stmt *st, const releve_indicator *ind, const releve_config *cfg) {
  int rc = releve_stmt_bind_text(st, 1, ind->id);
  return rc ? rc : releve_stmt_bind_text(st, 2, cfg->contracts[0].id);
}

/* Statistical secrecy: the indicator's counts, period by period, get the
 * cells to blank (privacy.h). secret[k] is for the k-th row of the query. */
static int find_secrets(releve_stmt *st, const releve_indicator *ind, const releve_cli *cli,
                        unsigned char *secret, size_t max) {
  releve_secrecy_cell cells[MAX_GEOS];
  char geos[MAX_GEOS][16], period[16] = "";
  size_t n = 0, k = 0, first = 0, i;
  int rc;

  memset(secret, 0, max);
  if (!releve_privacy_secrecy_covers(ind) || cli->contract->secrecy_threshold <= 0)
    return 0;
  if ((rc = bind_indicator(st, ind, cli->contract)) != 0)
    return rc;
  for (;;) {
    rc = releve_stmt_step(st);
    if (rc == RELEVE_STMT_ROW && strcmp(period, releve_stmt_text(st, 0)) == 0 &&
        n < MAX_GEOS) {
      /* same period: one more cell */
    } else {
      releve_privacy_secrecy_apply(cells, n, cli->contract->secrecy_threshold, cli->contract->addresses);
      for (i = 0; i < n && first + i < max; i++)
        secret[first + i] = (unsigned char)cells[i].secret;
      if (rc != RELEVE_STMT_ROW)
        break;
      first = k;
      n = 0;
      snprintf(period, sizeof period, "%s", releve_stmt_text(st, 0));
    }
    snprintf(geos[n], sizeof geos[n], "%s", releve_stmt_text(st, 1));
    cells[n].geography = geos[n];
    /* A figure the partner sent as secret is an unknown of the equations
     * too. */
    cells[n].secret = strcmp(releve_stmt_text(st, 5), "suppressed") == 0;
    cells[n].has_value = !releve_stmt_is_null(st, 2) && !cells[n].secret;
    cells[n].value = releve_stmt_double(st, 2);
    n++;
    k++;
  }
  releve_stmt_reset(st);
  return rc;
}

typedef struct geo_rows {
  char geo[16];
  char periods[EXPORT_MAX_YEARS][16];
  export_row row;
} geo_rows;

/* The scopes first, in the order a reader expects, then the finer codes. */
static int geo_rank(const char *g) {
  static const char *const order[] = {"QPV", "QVA", "QP", "REP+", "REP", "PARIS", NULL};
  for (int i = 0; order[i]; i++)
    if (strcmp(order[i], g) == 0)
      return i;
  return 100;
}

static int geo_cmp(const void *a, const void *b) {
  const geo_rows *x = a, *y = b;
  int d = geo_rank(x->geo) - geo_rank(y->geo);
  return d ? d : strcmp(x->geo, y->geo);
}

static void progress_figure(const export_value *v, releve_progress_figure *f) {
  memset(f, 0, sizeof *f);
  f->has_value = v->kind == EXPORT_NUMBER;
  f->value = v->number;
  f->has_share = v->share_kind == EXPORT_NUMBER;
  f->share = v->share;
}

/* A geography's series becomes its row: start, mid-term, latest, progress. */
static void settle_row(export_context *ctx, geo_rows *g) {
  export_row *r = &g->row;
  releve_progress_input in;
  size_t i, start = 0;

  for (i = 0; i < r->n_years; i++) {
    if (r->years[i] == ctx->points[0])
      start = i;
    if (r->years[i] == ctx->points[1])
      r->mid = r->series[i];
  }
  if (r->years[start] != ctx->points[0]) {
    r->start_fallback = 1;
    snprintf(r->note, sizeof r->note,
             "%d non reçu : situation de départ prise en %s, première période reçue",
             ctx->points[0], g->periods[0]);
  }
  r->start = r->series[start];
  snprintf(r->start_period, sizeof r->start_period, "%s", g->periods[start]);
  r->last = r->series[r->n_years - 1];
  snprintf(r->last_period, sizeof r->last_period, "%s", g->periods[r->n_years - 1]);

  memset(&in, 0, sizeof in);
  progress_figure(&r->start, &in.start);
  progress_figure(&r->last, &in.last);
  in.same_period = start == r->n_years - 1;
  in.has_total = 1;
  for (i = 0; i < r->n_years; i++) {
    if (r->series[i].kind == EXPORT_NUMBER)
      in.total += r->series[i].number;
    else
      in.has_total = 0; /* a total with a hole in it is no total */
  }
  releve_progress_compute(r->ind, &in, &r->progress);
}

static int export_indicator(export_writer *w, releve_stmt *st, const releve_indicator *ind,
                            releve_cli *cli, export_context *ctx) {
  static geo_rows geos[MAX_GEOS];
  unsigned char secret[4096];
  const releve_config *cfg = cli->contract;
  const releve_ref_actor *ra = releve_referentiel_actor(&cfg->ref, ind->actor);
  const export_tally *actor_tally = NULL;
  size_t n = 0, i, row = 0;
  int rc = find_secrets(st, ind, cli, secret, sizeof secret);

  if (rc)
    return rc;
  for (i = 0; i < cfg->n_actors; i++)
    if (strcmp(cfg->actors[i].id, ind->actor) == 0)
      actor_tally = &ctx->actors[i];
  if ((rc = bind_indicator(st, ind, cfg)) != 0)
    return rc;
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    const char *period = releve_stmt_text(st, 0);
    const char *geo = releve_stmt_text(st, 1);
    int year = releve_stmt_int(st, 6);
    geo_rows *g = NULL;
    export_row *r;
    row++;
    if (year > ctx->points[2])
      continue; /* after the end of the contract */
    for (i = 0; i < n && g == NULL; i++)
      if (strcmp(geos[i].geo, geo) == 0)
        g = &geos[i];
    if (g == NULL) {
      if (n == MAX_GEOS)
        continue;
      g = &geos[n++];
      memset(g, 0, sizeof *g);
      snprintf(g->geo, sizeof g->geo, "%s", geo);
    }
    r = &g->row;
    if (r->n_years == EXPORT_MAX_YEARS) { /* a longer contract: keep the latest years */
      memmove(&r->years[0], &r->years[1], sizeof r->years - sizeof r->years[0]);
      memmove(&r->series[0], &r->series[1], sizeof r->series - sizeof r->series[0]);
      memmove(&g->periods[0], &g->periods[1], sizeof g->periods - sizeof g->periods[0]);
      r->n_years--;
    }
    /* Rows come by year: the series is in order. */
    r->years[r->n_years] = year;
    snprintf(g->periods[r->n_years], sizeof g->periods[0], "%s", period);
    value_of(st, row - 1 < sizeof secret && secret[row - 1], &r->series[r->n_years]);
    r->n_years++;
  }
  releve_stmt_reset(st);
  if (rc != RELEVE_STMT_DONE)
    return rc;
  qsort(geos, n, sizeof geos[0], geo_cmp);
  rc = 0;
  for (i = 0; i < (n ? n : 1) && rc == 0; i++) {
    export_row empty, *r = n ? &geos[i].row : &empty;
    if (n == 0)
      memset(&empty, 0, sizeof empty);
    r->ind = ind;
    r->actor_name = ra ? ra->name : ind->actor;
    r->geography = n ? geos[i].geo : "";
    r->geography_name = releve_geography_label(&cfg->geography, r->geography, r->geography_buf,
                                               sizeof r->geography_buf);
    if (r->geography_name == r->geography)
      r->geography_name = releve_geo_name(r->geography);
    r->action = &ctx->nodes[ind->action - cfg->ref.nodes];
    r->actor = actor_tally;
    if (n)
      settle_row(ctx, &geos[i]);
    ctx->rows++;
    if (n && (ind->target.kind != RELEVE_TARGET_NONE &&
              ind->target.kind != RELEVE_TARGET_QUALITATIVE))
      ctx->marks[r->progress.mark]++;
    rc = w->row(w, r);
  }
  return rc;
}

/* Completeness by actor and by node of the tree (its theme and action). */
typedef struct tally_walk {
  export_context *ctx;
  const releve_config *cfg;
} tally_walk;

static void count(export_tally *t, int given) {
  t->due++;
  t->given += given != 0;
}

static int tally_cell(void *ud, const releve_expected *cell) {
  tally_walk *tw = ud;
  const releve_indicator *ind = cell->indicator;
  const releve_node *nodes = tw->cfg->ref.nodes;
  count(&tw->ctx->total, cell->given);
  count(&tw->ctx->actors[cell->actor - tw->cfg->actors], cell->given);
  count(&tw->ctx->nodes[ind->theme - nodes], cell->given);
  count(&tw->ctx->nodes[ind->action - nodes], cell->given);
  return 0;
}

/* "2015,2018,2022": three years in order. */
static int parse_points(const char *s, int points[3]) {
  char *end;
  for (int i = 0; i < 3; i++) {
    long y = strtol(s, &end, 10);
    if (end == s || y < 1990 || y > 2100 || (i && y <= points[i - 1]) ||
        *end != (i < 2 ? ',' : '\0'))
      return -EINVAL;
    points[i] = (int)y;
    s = end + 1;
  }
  return 0;
}

/* A binary workbook is not for a terminal. */
static int refuses_terminal(const char *format, const char *output) {
  if (output == NULL && strcmp(format, "xlsx") == 0 && isatty(STDOUT_FILENO)) {
    fputs("releve: an XLSX workbook is binary: give -o FILE or redirect the output\n", stderr);
    return 1;
  }
  return 0;
}

static int write_table(releve_cli *cli, const char *format, export_context *ctx,
                       releve_buf *out) {
  tally_walk tw = {ctx, cli->contract};
  char today[11];
  export_writer *w;
  releve_stmt *st;
  size_t i;
  int rc;

  cli_today(today);
  if ((rc = releve_completeness_walk(&cli->store, cli->contract, NULL, 0, today, tally_cell, &tw)))
    return rc;
  w = strcmp(format, "csv") == 0    ? export_csv_new(ctx)
      : strcmp(format, "xlsx") == 0 ? export_xlsx_new(ctx)
                                    : export_html_new(ctx);
  if (w == NULL)
    return -ENOMEM;
  if ((rc = releve_store_prepare(&cli->store, RELEVE_SQL_OBS_FOR_INDICATOR, &st)) != 0) {
    w->free(w);
    return rc;
  }
  for (i = 0; i < cli->contract->ref.n_indicators && rc == 0; i++)
    rc = export_indicator(w, st, &cli->contract->ref.indicators[i], cli, ctx);
  releve_stmt_finalize(st);
  if (rc == 0)
    rc = w->finish(w, out);
  w->free(w);
  if (rc == 0 && out->data == NULL)
    rc = -ENOMEM;
  return rc;
}

int cmd_export(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] export --format csv|xlsx|html [--contract ID]\n"
      "                             [--points Y1,Y2,Y3] [-o FILE]\n\n"
      "The référentiel's evaluation table, in its order (theme, objective,\n"
      "sub-objective, goal, action, indicator), one row per indicator and geography:\n"
      "the 2020 target, the situation at the start of the contract (the first\n"
      "restitution point; when that year is missing, the first year received, said\n"
      "so), the mid-term result (second point), the latest result up to the third\n"
      "point, the progress toward a numeric target with its mark (atteint, en\n"
      "progrès, en recul, non mesurable), and the completeness of the action and of\n"
      "the actor.\n"
      "--contract: the contract exported, its référentiel, years and figures (needed\n"
      "when the configuration has several).\n"
      "--points: the restitution points (default: the contract's first year, 2018,\n"
      "the contract's last year).\n"
      "csv: one row per indicator and geography with every column, for French\n"
      "spreadsheets: UTF-8 with BOM, ';', CRLF, decimal comma.\n"
      "xlsx: the table on one sheet and one per theme (figures as numbers, progress\n"
      "and completeness as percentages, printable on A4 landscape), completeness per\n"
      "actor and per theme with its chart.\n"
      "html: a self-contained page in French with a summary, completeness bars and\n"
      "a chart per indicator, for reading (1280 px) and printing (A4 landscape).\n"
      "Suppressed values read \"secret\", not available \"nd\".\n"
      "Without -o, stdout (xlsx: not to a terminal); with -o, the file is replaced\n"
      "atomically. Statistical secrecy, on counts of persons and households only:\n"
      "counts from 1 to secrecy.threshold-1 (default 5) read \"secret\", and so does a\n"
      "second cell wherever a total would give a blanked one back (QP = QPV + QVA,\n"
      "QPV and QVA = their quartiers, PARIS = its arrondissements), and the share a\n"
      "blanked count carries.\n";
  static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"points", required_argument, NULL, 'p'},
                                       {"contract", required_argument, NULL, 'k'},
                                       {NULL, 0, NULL, 0}};
  const char *format = NULL, *output = NULL, *points = NULL, *contract = NULL;
  releve_buf b = RELEVE_BUF_INIT;
  export_context ctx;
  int opt, rc = 0;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
    if (opt == 'f')
      format = optarg;
    else if (opt == 'o')
      output = optarg;
    else if (opt == 'p')
      points = optarg;
    else if (opt == 'k')
      contract = optarg;
    else
      return cli_usage(usage);
  }
  if (optind != argc || format == NULL)
    return cli_usage(usage);
  if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "html") != 0) {
    fprintf(stderr, "releve: unknown export format \"%s\": csv, xlsx or html\n", format);
    return CLI_USAGE;
  }
  memset(&ctx, 0, sizeof ctx);
  if (points && parse_points(points, ctx.points) != 0) {
    fprintf(stderr, "releve: --points \"%s\": three years in increasing order were expected, "
                    "e.g. 2015,2018,2022\n", points);
    return CLI_USAGE;
  }
  if (refuses_terminal(format, output))
    return CLI_USAGE;
  if (cli_load_config(cli) || cli_choose_contract(cli, contract, NULL) ||
      cli_open_store(cli, 0))
    return CLI_FAIL;
  if (points == NULL) {
    ctx.points[0] = cli->contract->first_year;
    ctx.points[1] = MID_TERM_YEAR;
    ctx.points[2] = cli->contract->last_year;
    if (ctx.points[1] <= ctx.points[0] || ctx.points[1] >= ctx.points[2])
      ctx.points[1] = (ctx.points[0] + ctx.points[2]) / 2;
  }
  ctx.cfg = cli->contract;
  ctx.nodes = calloc(cli->contract->ref.n_nodes + 1, sizeof *ctx.nodes);
  ctx.actors = calloc(cli->contract->n_actors + 1, sizeof *ctx.actors);
  rc = ctx.nodes && ctx.actors ? write_table(cli, format, &ctx, &b) : -ENOMEM;
  free(ctx.nodes);
  free(ctx.actors);
  if (rc == 0) {
    if (output)
      rc = releve_fs_write_atomic(output, b.data, b.len, 0644);
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
