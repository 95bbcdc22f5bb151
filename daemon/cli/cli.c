#include "cli.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode/plugin_check.h"
#include "export.h"
#include "store/state.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/log.h"

int cli_load_config(releve_cli *cli) {
  releve_diags d = {0};
  const char *path, *why;
  int rc;

  rc = releve_config_open(&cli->cfg, cli->config_opt, &d, &path, &why);
  cli->cfg_loaded = 1;
  if (path == NULL)
    fprintf(stderr, "releve: no configuration file; using the built-in default "
                    "(database and outbox in ./var, spool in ./spool)\n");
  if (rc) {
    releve_diags_print(&d, stderr);
    fprintf(stderr, "releve: the configuration %s has errors (`releve check-config` lists "
                    "them all)\n",
            path ? path : "(built-in default)");
  }
  releve_diags_free(&d);
  return rc ? CLI_FAIL : CLI_OK;
}

void cli_contract_list(const releve_config *cfg, FILE *out) {
  size_t i;
  for (i = 0; i < cfg->n_contracts; i++)
    fprintf(out, "%s« %s »", i ? ", " : "", cfg->contracts[i].id);
}

int cli_choose_contract(releve_cli *cli, const char *id, const char *actor) {
  const releve_contract *k = NULL;
  const releve_actor *a = NULL;

  if (actor && (a = releve_config_actor(&cli->cfg, actor)) == NULL) {
    fprintf(stderr, "releve: aucun acteur « %s » (`releve referentiel --json` les liste)\n",
            actor);
    return CLI_FAIL;
  }
  if (id && (k = releve_config_contract(&cli->cfg, id)) == NULL) {
    fprintf(stderr, "releve: aucun contrat « %s » ; la configuration a ", id);
    cli_contract_list(&cli->cfg, stderr);
    fprintf(stderr, "\n");
    return CLI_FAIL;
  }
  if (k && a && a->contract != k) {
    fprintf(stderr, "releve: l'acteur « %s » relève du contrat « %s », pas de « %s »\n", actor,
            a->contract->id, id);
    return CLI_FAIL;
  }
  if (k == NULL)
    k = a ? a->contract : cli->cfg.n_contracts == 1 ? &cli->cfg.contracts[0] : NULL;
  if (k == NULL) {
    fprintf(stderr, "releve: la configuration a plusieurs contrats (");
    cli_contract_list(&cli->cfg, stderr);
    fprintf(stderr, ") : dites lequel avec --contract ID\n");
    return CLI_FAIL;
  }
  releve_config_view(&cli->cfg, k, &cli->view);
  cli->contract = &cli->view;
  return CLI_OK;
}

int cli_load_plugins(releve_cli *cli, releve_plugins *p) {
  releve_diags d = {0};
  if (releve_plugins_load(p, cli->cfg.plugins) != 0) {
    fprintf(stderr, "releve: cannot use the plugin folder %s\n", cli->cfg.plugins);
    return CLI_FAIL;
  }
  releve_plugins_enforce_privacy(&cli->cfg, p, &d, RELEVE_DIAG_WARNING);
  releve_diags_print(&d, stderr);
  releve_diags_free(&d);
  return CLI_OK;
}

int cli_open_store(releve_cli *cli, int writable) {
  char why[512];
  int rc = releve_state_become_owner(&cli->cfg, why, sizeof why);
  if (rc < 0) {
    fprintf(stderr, "releve: %s\n", why);
    return CLI_FAIL;
  }
  rc = releve_store_open(&cli->store, cli->cfg.database,
                         writable ? RELEVE_STORE_RW : RELEVE_STORE_RO);
  if (rc) {
    fprintf(stderr, "releve: cannot open the database %s: %s\n", cli->cfg.database,
            strerror(-rc));
    return CLI_FAIL;
  }
  cli->store_open = 1;
  /* A read-only open of a missing database yields a writable empty
   * stand-in: give it the référentiel so reports have something to say. */
  if (!cli->store.readonly) {
    rc = releve_store_sync(&cli->store, &cli->cfg, NULL);
    if (rc) {
      fprintf(stderr, "releve: cannot record the référentiel in %s: %s\n", cli->cfg.database,
              strerror(-rc));
      return CLI_FAIL;
    }
  }
  return CLI_OK;
}

void cli_close(releve_cli *cli) {
  if (cli->store_open)
    releve_store_close(&cli->store);
  if (cli->cfg_loaded)
    releve_config_free(&cli->cfg);
  cli->store_open = cli->cfg_loaded = 0;
}

int cli_print_json(json_t *v) {
  int rc;
  if (v == NULL) {
    fprintf(stderr, "releve: out of memory\n");
    return CLI_FAIL;
  }
  rc = json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
  fputc('\n', stdout);
  json_decref(v);
  return rc == 0 && fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int cli_usage(const char *usage) {
  fputs(usage, stderr);
  return CLI_USAGE;
}

int cli_wants_help(int argc, char **argv, const char *usage) {
  int i;
  for (i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage, stdout);
      return 1;
    }
  return 0;
}

int cli_width(const char *s) {
  int w = 0;
  for (; *s; s++)
    w += ((unsigned char)*s & 0xc0) != 0x80;
  return w;
}

/* n bytes of s, a control character (a file name may hold a newline or an
 * escape sequence) shown as '?' so that it cannot move the terminal. */
static void put_text(FILE *out, const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i], out);
}

void cli_cell(FILE *out, const char *s, int w) {
  int right = w < 0, n = cli_width(s), cols = 0;
  const char *p = s;

  if (right)
    w = -w;
  if (n <= w) {
    fprintf(out, "%*s", right ? w - n : 0, "");
    put_text(out, s, strlen(s));
    fprintf(out, "%*s", right ? 0 : w - n, "");
    return;
  }
  /* Cut at a character boundary, keeping room for the ellipsis. */
  while (*p && cols < w - 1) {
    p++;
    while (((unsigned char)*p & 0xc0) == 0x80)
      p++;
    cols++;
  }
  put_text(out, s, (size_t)(p - s));
  fputs("…", out);
}

void cli_row(FILE *out, int indent, const char *const *cells, const int *widths, size_t n) {
  size_t i;
  fprintf(out, "%*s", indent, "");
  for (i = 0; i < n; i++) {
    int w = widths[i];
    /* The last cell, on the left: cut it if it must, never pad it. */
    if (i + 1 == n && w > 0 && cli_width(cells[i]) < w)
      w = cli_width(cells[i]);
    if (i)
      fputc(' ', out);
    cli_cell(out, cells[i], w);
  }
  fputc('\n', out);
}

void cli_today(char out[11]) {
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

const char *cli_count(long long n, char out[RELEVE_NUMBER_SIZE]) {
  return releve_report_format((double)n, 0, RELEVE_NUMBER_GROUPED, out);
}

const char *cli_share(long long part, long long whole, char out[RELEVE_NUMBER_SIZE]) {
  double pct = whole ? floor(1000.0 * (double)part / (double)whole) / 10 : 100;
  return releve_report_format(pct, pct == floor(pct) ? 0 : 1,
                              RELEVE_NUMBER_GROUPED | RELEVE_NUMBER_PERCENT, out);
}

const char *cli_date(const char *iso, char out[32]) {
  int y, mo, d, h, mi;
  if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5) {
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    releve_clock_paris_tm(timegm(&tm), &tm);
    strftime(out, 32, "%d/%m/%Y %H:%M", &tm);
  } else if (strlen(iso) == 10 && sscanf(iso, "%4d-%2d-%2d", &y, &mo, &d) == 3)
    snprintf(out, 32, "%02d/%02d/%04d", d, mo, y);
  else
    snprintf(out, 32, "%s", iso);
  return out;
}

const char *cli_actor_short(const releve_config *cfg, const char *id, char out[128]) {
  const releve_actor *a = releve_config_actor(cfg, id);
  export_short_name(a && a->name ? a->name : id, out);
  return out;
}

const char *cli_outcome(const char *outcome) {
  if (strcmp(outcome, "accepted") == 0)
    return "accepté";
  if (strcmp(outcome, "refused") == 0)
    return "refusé";
  return outcome;
}

const char *cli_plural(long long n, const char *singular, const char *plural) {
  return n > 1 || n < -1 ? plural : singular;
}

void cli_progress_init(cli_progress *p) {
  memset(p, 0, sizeof *p);
  p->tty = isatty(STDERR_FILENO);
}

void cli_progress_draw(cli_progress *p, const char *fmt, ...) {
  struct timespec now;
  va_list ap;
  if (!p->tty)
    return;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (p->shown &&
      (now.tv_sec - p->last.tv_sec) * 1000 + (now.tv_nsec - p->last.tv_nsec) / 1000000 < 200)
    return;
  p->last = now;
  p->shown = 1;
  fputc('\r', stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\033[K", stderr);
  fflush(stderr);
}

void cli_progress_end(cli_progress *p) {
  if (p->shown)
    fputs("\r\033[K", stderr);
  p->shown = 0;
}
