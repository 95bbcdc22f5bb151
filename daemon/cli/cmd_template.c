/* `releve template`: the collection table an actor fills and drops. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "period.h"
#include "template.h"
#include "util.h"

int cmd_template(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] template --actor ID --year Y [-o FILE]\n\n"
      "Writes the collection table for ACTOR and year Y, pre-filled with one row per\n"
      "indicator and scope the actor owes (school year Y-(Y+1) for school-year\n"
      "indicators): indicateur;libelle;periode;geographie;valeur;part;statut;commentaire.\n"
      "UTF-8 with BOM, ';', CRLF: it opens as is in a French spreadsheet. Fill valeur (and\n"
      "part where asked), statut when needed (provisoire, estimé, secret, nd), and drop it\n"
      "in the actor's spool folder. Without -o, stdout.\n";
  static const struct option opts[] = {{"actor", required_argument, NULL, 'a'},
                                       {"year", required_argument, NULL, 'y'},
                                       {"output", required_argument, NULL, 'o'},
                                       {NULL, 0, NULL, 0}};
  const char *actor = NULL, *output = NULL;
  const releve_actor *a;
  char *text = NULL, *end;
  int year = 0, opt, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
    if (opt == 'a')
      actor = optarg;
    else if (opt == 'y') {
      year = (int)strtol(optarg, &end, 10);
      if (*end)
        year = 0;
    } else if (opt == 'o')
      output = optarg;
    else {
      fputs(usage, stderr);
      return CLI_USAGE;
    }
  }
  if (actor == NULL || year == 0 || optind != argc) {
    fputs(usage, stderr);
    return CLI_USAGE;
  }
  if (cli_load_config(cli))
    return CLI_FAIL;
  if ((a = releve_config_actor(&cli->cfg, actor)) == NULL) {
    fprintf(stderr, "releve: no actor \"%s\"\n", actor);
    return CLI_FAIL;
  }
  if (year < cli->cfg.first_year || year > cli->cfg.last_year) {
    fprintf(stderr, "releve: %d is outside the contract (%d to %d)\n", year, cli->cfg.first_year,
            cli->cfg.last_year);
    return CLI_FAIL;
  }
  rc = releve_template_write(&cli->cfg, a, year, &text);
  if (rc == 0) {
    if (output)
      rc = releve_write_file_atomic(output, text, strlen(text), 0644);
    else if (fputs(text, stdout) < 0 || fflush(stdout) != 0)
      rc = -EIO;
  }
  free(text);
  if (rc) {
    fprintf(stderr, "releve: template: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  return CLI_OK;
}
