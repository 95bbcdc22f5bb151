/* `releve pull SOURCE_ID`, and the scheduled pulls' part of `releve
 * status`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli.h"
#include "util/transfer.h"
#include "pull/pull.h"
#include "spool/spool.h"

static void on_transferred(void *data, CURL *easy, CURLcode result) {
  releve_pull *pull = data;
  (void)easy;
  releve_pull_transferred(pull, result);
}

static void on_abandoned(void *data, CURL *easy) {
  (void)data;
  (void)easy;
}

/* "caf-data  1.2 of 3.4 MiB  35 %" on a terminal, from curl's counts. */
typedef struct progress {
  cli_progress line;
  const char *id;
} progress;

static int show_progress(void *ud, curl_off_t total, curl_off_t now, curl_off_t ut,
                         curl_off_t un) {
  progress *p = ud;
  (void)ut;
  (void)un;
  if (total > 0)
    cli_progress_draw(&p->line, "%s  %.1f of %.1f MiB  %3d %%", p->id, now / 1048576.0,
                      total / 1048576.0, (int)(now * 100 / total));
  else
    cli_progress_draw(&p->line, "%s  %.1f MiB", p->id, now / 1048576.0);
  return 0; /* go on */
}

/* Runs one transfer on a loop of its own. */
static int transfer(releve_pull *pull, CURL *easy, const char *id) {
  progress shown = {.id = id};
  uv_loop_t loop;
  releve_transfer *f;
  int rc = uv_loop_init(&loop);

  if (rc)
    return rc;
  cli_progress_init(&shown.line);
  if (shown.line.tty &&
      (curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, show_progress) != CURLE_OK ||
       curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &shown) != CURLE_OK ||
       curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L) != CURLE_OK))
    shown.line.tty = 0; /* no progress, the transfer all the same */
  rc = releve_transfer_init(&loop, &f);
  if (rc == 0) {
    rc = releve_transfer_add(f, easy, on_transferred, pull);
    while (rc == 0 && releve_transfer_running(f) > 0 && uv_run(&loop, UV_RUN_ONCE))
      ;
    releve_transfer_close(f, on_abandoned);
  }
  cli_progress_end(&shown.line);
  uv_run(&loop, UV_RUN_DEFAULT); /* lets the closed handles go */
  if (uv_loop_close(&loop) != 0)
    fprintf(stderr, "releve: the transfer loop still had handles\n");
  return rc;
}

static void report(const releve_source *src, const releve_pull_dirs *dirs,
                   const releve_pull_result *r) {
  switch (r->outcome) {
  case RELEVE_PULL_NOT_MODIFIED:
    printf("%s: not modified (304): nothing written, nothing to ingest\n", src->id);
    break;
  case RELEVE_PULL_UNCHANGED:
    printf("%s: unchanged (same sha256 %.12s… as the last pull): nothing dropped\n", src->id,
           r->sha256);
    break;
  case RELEVE_PULL_DROPPED:
    printf("%s: dropped %s/%s (%llu bytes, sha256 %.12s…)\n", src->id, dirs->incoming, r->dropped,
           r->size, r->sha256);
    break;
  case RELEVE_PULL_FAILED:
    printf("%s: failed (%d in a row): %s\n", src->id, r->failures, r->error);
    break;
  }
  if (!r->recorded)
    fprintf(stderr, "releve: %s: the outcome could not be recorded in the database\n", src->id);
}

static int pull_one(releve_cli *cli, const releve_source *src) {
  releve_pull_dirs dirs;
  releve_pull_result res;
  releve_pull *pull;
  char *incoming, *staging;
  CURL *easy;
  int rc;

  if (releve_pull_dirs_for(&cli->cfg, src, &incoming, &staging) != 0) {
    fprintf(stderr, "releve: out of memory\n");
    return CLI_FAIL;
  }
  dirs.incoming = incoming;
  dirs.staging = staging;
  rc = releve_pull_prepare(src, &dirs, &cli->store, &pull);
  if (rc == -EBUSY)
    fprintf(stderr,
            "releve: %s is being pulled by another process (releved?); try again "
            "in a moment\n",
            src->id);
  else if (rc)
    fprintf(stderr, "releve: %s: %s\n", src->id, strerror(-rc));
  if (rc == 0 && (easy = releve_pull_handle(pull)) != NULL &&
      (rc = transfer(pull, easy, src->id)) != 0) {
    releve_pull_transferred(pull, CURLE_FAILED_INIT);
    rc = 0;
  }
  if (rc == 0 && (rc = releve_pull_finish(pull, &cli->store, &res)) != 0)
    fprintf(stderr, "releve: %s: %s\n", src->id, strerror(-rc));
  if (rc == 0) {
    report(src, &dirs, &res);
    if (res.outcome == RELEVE_PULL_FAILED && res.recorded &&
        res.failures == src->notify_after_failures) {
      int n = releve_pull_notify(&cli->store, src, cli->cfg.mail_from, cli->cfg.coordinator, &res);
      if (n == 0)
        printf("%s: %d failures in a row: mail to the coordinator queued\n", src->id, res.failures);
      else
        fprintf(stderr,
                "releve: %s: %d failures in a row; the coordinator could not be told "
                "(%s)\n",
                src->id, res.failures,
                n == -ENOENT ? "no mail.coordinator configured" : strerror(-n));
    }
    if (res.outcome == RELEVE_PULL_FAILED)
      rc = -EIO;
    releve_pull_result_free(&res);
  }
  free(incoming);
  free(staging);
  return rc ? CLI_FAIL : CLI_OK;
}

int cmd_pull(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] pull SOURCE_ID\n\n"
      "Pulls one source of \"sources\" now, as releved would on its schedule, and says what\n"
      "happened:\n"
      "  SOURCE: not modified (304): nothing written, nothing to ingest\n"
      "  SOURCE: unchanged (same sha256 … as the last pull): nothing dropped\n"
      "  SOURCE: dropped SPOOL/ACTOR/incoming/NAME (N bytes, sha256 …)\n"
      "  SOURCE: failed (N in a row): WHY\n"
      "A dropped file is ingested by releved like any file put in incoming/. The outcome\n"
      "is recorded as releved records it (`releve status` shows failing sources). Run it\n"
      "as releved's user, so that releved can read the file. Exit status: 0 unless the\n"
      "pull failed.\n";
  const releve_sources *sources = &cli->cfg.sources;
  const releve_source *src;
  size_t i;
  int rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if (argc != 2 || argv[1][0] == '-')
    return cli_usage(usage);
  if (cli_load_config(cli))
    return CLI_FAIL;
  src = releve_sources_find(sources, argv[1]);
  if (src == NULL) {
    fprintf(stderr, "releve: no source \"%s\" in %s; configured:", argv[1],
            cli->cfg.file ? cli->cfg.file : "the built-in default");
    for (i = 0; i < sources->n; i++)
      fprintf(stderr, " %s", sources->items[i].id);
    fprintf(stderr, "%s\n", sources->n ? "" : " none");
    return CLI_FAIL;
  }
  /* The store first: run as root, it becomes the state's owner before the
   * spool folders are made. */
  if (cli_open_store(cli, 1) != CLI_OK)
    rc = -EIO;
  else if ((rc = releve_spool_prepare(&cli->cfg)) != 0)
    fprintf(stderr, "releve: cannot prepare the spool %s: %s\n", cli->cfg.spool, strerror(-rc));
  else
    rc = pull_one(cli, src) == CLI_OK ? 0 : -EIO;
  return rc ? CLI_FAIL : CLI_OK;
}

/* ---- status ----------------------------------------------------------------- */

typedef struct pull_row {
  char *source, *last_error;
  time_t last_attempt, last_success;
  int failures;
} pull_row;

typedef struct pull_rows {
  pull_row *items;
  size_t n;
} pull_rows;

static int collect(void *ud, const char *source, time_t last_attempt, time_t last_success,
                   int failures, const char *last_error) {
  pull_rows *rows = ud;
  pull_row *p = realloc(rows->items, (rows->n + 1) * sizeof *p);
  if (p == NULL)
    return -ENOMEM;
  rows->items = p;
  p = &p[rows->n];
  memset(p, 0, sizeof *p);
  p->source = strdup(source);
  p->last_error = last_error ? strdup(last_error) : NULL;
  if (p->source == NULL || (last_error && p->last_error == NULL)) {
    free(p->source);
    free(p->last_error);
    return -ENOMEM;
  }
  rows->n++;
  p->last_attempt = last_attempt;
  p->last_success = last_success;
  p->failures = failures;
  return 0;
}

static void rows_free(pull_rows *rows) {
  size_t i;
  for (i = 0; i < rows->n; i++) {
    free(rows->items[i].source);
    free(rows->items[i].last_error);
  }
  free(rows->items);
}

static const pull_row *row_of(const pull_rows *rows, const char *id) {
  size_t i;
  for (i = 0; i < rows->n; i++)
    if (strcmp(rows->items[i].source, id) == 0)
      return &rows->items[i];
  return NULL;
}

static json_t *time_json(time_t t) {
  char buf[32];
  struct tm tm;
  if (t == 0)
    return json_null();
  gmtime_r(&t, &tm);
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return json_string(buf);
}

/* Reads the rows of the pulls table; CLI_OK or CLI_FAIL. */
static int pull_state(releve_cli *cli, pull_rows *rows) {
  int rc;
  memset(rows, 0, sizeof *rows);
  rc = releve_pull_rows(&cli->store, collect, rows);
  if (rc) {
    fprintf(stderr, "releve: reading the pulls table failed: %s\n", strerror(-rc));
    rows_free(rows);
    return CLI_FAIL;
  }
  return CLI_OK;
}

json_t *cli_pull_status_json(releve_cli *cli) {
  const releve_sources *sources = &cli->cfg.sources;
  pull_rows rows;
  json_t *out;
  size_t i;

  if (pull_state(cli, &rows))
    return NULL;
  out = json_array();
  for (i = 0; out && i < sources->n; i++) {
    const releve_source *s = &sources->items[i];
    const pull_row *r = row_of(&rows, s->id);
    json_array_append_new(
        out, json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:o, s:o, s:o}", "id", s->id, "actor",
                       s->actor, "url", s->url, "schedule", s->schedule_text, "failing",
                       r && r->failures > 0, "failures", r ? r->failures : 0, "last_attempt",
                       time_json(r ? r->last_attempt : 0), "last_success",
                       time_json(r ? r->last_success : 0), "last_error",
                       r && r->last_error ? json_string(r->last_error) : json_null()));
  }
  rows_free(&rows);
  return out;
}

int cli_pull_status_print(releve_cli *cli) {
  const releve_sources *sources = &cli->cfg.sources;
  pull_rows rows;
  size_t i, failing = 0;

  if (pull_state(cli, &rows))
    return CLI_FAIL;
  for (i = 0; i < sources->n; i++) {
    const pull_row *r = row_of(&rows, sources->items[i].id);
    failing += r && r->failures > 0;
  }
  if (sources->n && failing)
    printf("\nCollectes programmées : %zu %s, %zu en échec\n", sources->n,
           cli_plural((long long)sources->n, "source", "sources"), failing);
  else if (sources->n)
    printf("\nCollectes programmées : %zu %s, aucune en échec\n", sources->n,
           cli_plural((long long)sources->n, "source", "sources"));
  for (i = 0; i < sources->n; i++) {
    const releve_source *s = &sources->items[i];
    const pull_row *r = row_of(&rows, s->id);
    const releve_actor *a = releve_config_actor(&cli->cfg, s->actor);
    char last[32] = "jamais", stamp[32];
    struct tm tm;
    if (r == NULL || r->failures == 0)
      continue;
    if (r->last_success) {
      gmtime_r(&r->last_success, &tm);
      strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
      cli_date(stamp, last);
    }
    printf("  EN ÉCHEC %s (%s) : %d %s d'affilée, dernier : %s ; dernier succès : %s\n", s->id,
           a && a->name ? a->name : s->actor, r->failures,
           cli_plural(r->failures, "échec", "échecs"), r->last_error ? r->last_error : "?", last);
  }
  rows_free(&rows);
  return CLI_OK;
}
