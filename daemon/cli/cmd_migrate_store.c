/* `releve migrate-store [--from DATABASE] TARGET`: the whole database
 * copied into a new one, an SQLite file moved to PostgreSQL. */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store/copy.h"

typedef struct copy_progress {
  cli_progress bar;
  long long rows;
} copy_progress;

static void on_rows(const char *table, long long done, long long total, void *data) {
  copy_progress *p = data;
  char a[RELEVE_NUMBER_SIZE], b[RELEVE_NUMBER_SIZE];

  cli_progress_draw(&p->bar, "copie de la table %s : %s / %s lignes", table, cli_count(done, a),
                    cli_count(total, b));
  if (done == total) {
    cli_progress_end(&p->bar);
    printf("  %-22s %12s %s\n", table, cli_count(total, a), cli_plural(total, "ligne", "lignes"));
    p->rows += total;
  }
}

int cmd_migrate_store(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] migrate-store [--from DATABASE] TARGET\n\n"
      "Copies every row of the database (the configuration's \"database\", or DATABASE)\n"
      "into TARGET, an SQLite file or a postgresql:// URI, which must hold no row yet:\n"
      "its schema is made as releved would make it, then figures, revisions,\n"
      "submissions, the mail queue and every other table are copied in one\n"
      "transaction and counted on both sides. Stop releved first; point \"database\"\n"
      "to TARGET once the copy is done.\n";
  static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                       {NULL, 0, NULL, 0}};
  const char *from = NULL, *target;
  releve_store *src, other = {0}, to = {0};
  copy_progress p = {0};
  char why[512], n[RELEVE_NUMBER_SIZE];
  int opt, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt != 'f')
      return cli_usage(usage);
    from = optarg;
  }
  if (optind + 1 != argc)
    return cli_usage(usage);
  target = argv[optind];
  if (from == NULL) {
    if (cli_load_config(cli))
      return CLI_FAIL;
    from = cli->cfg.database;
  }
  /* A read-only open of a file that is not there gives an empty stand-in:
   * copying that would make an empty database look like a moved one. */
  if (strstr(from, "://") == NULL && access(from, F_OK) != 0) {
    fprintf(stderr, "releve: migrate-store: la base %s n'existe pas\n", from);
    return CLI_FAIL;
  }
  if (strcmp(from, target) == 0) {
    fprintf(stderr, "releve: migrate-store: la source et la cible sont la même base (%s)\n", from);
    return CLI_FAIL;
  }
  if (cli->cfg_loaded && strcmp(from, cli->cfg.database) == 0) {
    if (cli_open_store(cli, 0))
      return CLI_FAIL;
    src = &cli->store;
  } else {
    if (releve_store_open(&other, from, RELEVE_STORE_RO))
      return CLI_FAIL;
    src = &other;
  }
  rc = releve_store_open(&to, target, RELEVE_STORE_RW);
  if (rc) {
    fprintf(stderr, "releve: migrate-store: la base cible %s ne s'ouvre pas : %s\n", target,
            strerror(-rc));
    releve_store_close(&other);
    return CLI_FAIL;
  }
  printf("Copie de %s vers %s :\n", src->path, to.path);
  cli_progress_init(&p.bar);
  rc = releve_store_copy(src, &to, on_rows, &p, why, sizeof why);
  cli_progress_end(&p.bar);
  if (rc)
    fprintf(stderr, "releve: migrate-store: rien n'a été copié : %s\n", why);
  else
    printf("Copie terminée : %s %s, comptées des deux côtés. Indiquez maintenant la nouvelle "
           "base dans \"database\" (releve.json) avant de redémarrer releved.\n",
           cli_count(p.rows, n), cli_plural(p.rows, "ligne", "lignes"));
  releve_store_close(&to);
  releve_store_close(&other);
  return rc ? CLI_FAIL : CLI_OK;
}
