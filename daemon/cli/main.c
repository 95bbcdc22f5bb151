/* releve -- the administrator's command line of relevé. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/log.h"

static const releve_command commands[] = {
    {"init", "write a complete working configuration rooted at DIR", cmd_init},
    {"check-config", "check the configuration; exit 0 when all is right", cmd_check_config},
    {"referentiel", "list the référentiel's indicators and targets", cmd_referentiel},
    {"status", "completeness and files received by actor, theme and campaign", cmd_status},
    {"missing", "the cells each actor still owes", cmd_missing},
    {"history", "every value and revision of an indicator, with provenance", cmd_history},
    {"submissions", "the files that came in, their outcome and report", cmd_submissions},
    {"export", "the evaluation table (CSV, XLSX, HTML)", cmd_export},
    {"ingest", "check and store partner files", cmd_ingest},
    {"template", "the collection table an actor fills in", cmd_template},
    {"remind", "remind partners of missing figures, send the mail queue", cmd_remind},
    {"plugins", "the source plugins loaded and refused", cmd_plugins},
    {"pull", "pull one scheduled source now and say what happened", cmd_pull},
    {"addresses", "check where a file's addresses are placed, storing nothing", cmd_addresses},
    {"receive", "take one partner's message on stdin, as a mail server pipes it", cmd_receive},
    {"mail-token", "the secret address an actor's partners reply to", cmd_mail_token},
    {"migrate-store", "copy the whole database into a new one (SQLite to PostgreSQL)",
     cmd_migrate_store},
    {NULL, NULL, NULL},
};

static void usage(FILE *out) {
  const releve_command *c;
  fprintf(out, "usage: releve [-c FILE] COMMAND [ARGS]\n\n"
               "Config: -c FILE, else $RELEVE_CONFIG, else " RELEVE_SYSTEM_CONFIG
               ", else the built-in default.\n\ncommands:\n");
  for (c = commands; c->name; c++)
    fprintf(out, "  %-14s %s\n", c->name, c->summary);
  fprintf(out, "\n`releve COMMAND --help` tells more.\n");
}

int main(int argc, char **argv) {
  static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
  releve_cli cli;
  const releve_command *c;
  int opt, rc;

  memset(&cli, 0, sizeof cli);
  /* "+": stop at the command name; its own options are parsed by it. */
  while ((opt = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
    switch (opt) {
    case 'c': cli.config_opt = optarg; break;
    case 'h': usage(stdout); return CLI_OK;
    case 'V': printf("releve " RELEVE_VERSION "\n"); return CLI_OK;
    default: usage(stderr); return CLI_USAGE;
    }
  }
  if (optind >= argc) {
    usage(stderr);
    return CLI_USAGE;
  }
  for (c = commands; c->name; c++)
    if (strcmp(c->name, argv[optind]) == 0)
      break;
  if (c->name == NULL) {
    fprintf(stderr, "releve: unknown command \"%s\"\n", argv[optind]);
    usage(stderr);
    return CLI_USAGE;
  }
  if (releve_log_get_level() == RELEVE_INFO)
    releve_log_set_level(RELEVE_WARNING); /* the CLI speaks through its output */
  argv += optind;
  argc -= optind;
  optind = 0; /* reset getopt for the command */
  rc = c->run(&cli, argc, argv);
  cli_close(&cli);
  return rc;
}
