/* `releve init DIR` and `releve check-config`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/log.h"
#include "decode/plugin_check.h"
#include "decode/reader.h"

int cmd_init(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve init DIR\n\n"
      "Writes a complete working configuration rooted at DIR: DIR/releve.json, a copy of\n"
      "the référentiel (DIR/referentiel.json), DIR/spool and DIR/var. Every actor of the\n"
      "référentiel gets an entry with a placeholder address (referent@example.org) to\n"
      "replace. An existing releve.json is never overwritten.\n";
  releve_diags d = {0};
  int rc;

  (void)cli;
  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if (argc != 2)
    return cli_usage(usage);
  rc = releve_config_init_dir(argv[1], &d);
  releve_diags_print(&d, stderr);
  releve_diags_free(&d);
  if (rc)
    return CLI_FAIL;
  printf("wrote %s/releve.json and %s/referentiel.json\n"
         "next: edit the actors' \"emails\", then `releve -c %s/releve.json check-config`\n",
         argv[1], argv[1], argv[1]);
  return CLI_OK;
}

int cmd_check_config(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] check-config\n\n"
      "Checks everything a running daemon needs: JSON syntax (with line and column),\n"
      "unknown keys, types, the référentiel, actors and their mappings, campaigns,\n"
      "that the database, spool and outbox folders are writable, that the plugin folder\n"
      "is safe, that every plugin loads (each is tried in a child process first: one that\n"
      "crashes, exits or hangs while loading is an error), that every plugin an actor\n"
      "names is there and its first one takes its options, and that an actor whose\n"
      "plugin reads personal data says so. Prints each problem as\n"
      "FILE[:LINE:COL]: KEY: error: WHY.\n"
      "Exit status 0 only when there is no error (warnings are allowed).\n";
  releve_diags d = {0};
  releve_plugins plugins;
  const char *path, *why;
  size_t errors, warnings, i;
  int rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if (argc != 1)
    return cli_usage(usage);
  rc = releve_config_open(&cli->cfg, cli->config_opt, &d, &path, &why);
  cli->cfg_loaded = 1;
  if (rc == 0)
    releve_config_check_environment(&cli->cfg, &d);
  if (rc == 0) {
    int level = releve_log_get_level();
    releve_log_set_level(RELEVE_ERR - 1); /* the diagnostics below say it all */
    if (releve_plugins_load(&plugins, cli->cfg.plugins) == 0) {
      releve_readers_check_config(&cli->cfg, &plugins, path ? path : "(built-in default)", &d);
      releve_plugins_check(&plugins, &cli->cfg, &d);
      /* What each actor's plugin declares: one that reads people needs the
       * personal-data settings in the actor's entry. */
      releve_plugins_enforce_privacy(&cli->cfg, &plugins, &d, RELEVE_DIAG_ERROR);
    }
    releve_log_set_level(level);
    releve_plugins_unload(&plugins);
  }
  releve_diags_print(&d, stdout);
  errors = releve_diags_count(&d, RELEVE_DIAG_ERROR);
  warnings = releve_diags_count(&d, RELEVE_DIAG_WARNING);
  releve_diags_free(&d);
  printf("%s (%s): %zu error%s, %zu warning%s", path ? path : "built-in default", why, errors,
         errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  if (errors == 0 && cli->cfg.n_contracts == 1)
    printf("; %zu indicators, %zu actors, %zu campaigns", cli->cfg.ref.n_indicators,
           cli->cfg.n_actors, cli->cfg.n_campaigns);
  printf("\n");
  for (i = 0; errors == 0 && cli->cfg.n_contracts > 1 && i < cli->cfg.n_contracts; i++) {
    releve_config view;
    releve_config_view(&cli->cfg, &cli->cfg.contracts[i], &view);
    printf("  contract %s (%d-%d, %s): %zu indicators, %zu actors, %zu campaign%s\n",
           view.contracts[0].id, view.first_year, view.last_year,
           view.contracts[0].geography ? view.contracts[0].geography : "either QPV vintage",
           view.ref.n_indicators, view.n_actors, view.n_campaigns, view.n_campaigns == 1 ? "" : "s");
  }
  return errors ? CLI_FAIL : CLI_OK;
}
