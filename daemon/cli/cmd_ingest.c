/* `releve ingest` and `releve plugins`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decode/plugin_check.h"
#include "decode/reader.h"
#include "ingest/ingest.h"
#include "util/path.h"

/* "[2/5] caf.csv  37 %" on a terminal. */
typedef struct progress {
  cli_progress line;
  const char *name;
  int index, count;
} progress;

static void show_progress(void *ud, unsigned long long done, unsigned long long size) {
  progress *p = ud;
  unsigned long long percent = size ? done * 100 / size : 0;
  if (p->count > 1)
    cli_progress_draw(&p->line, "[%d/%d] %s  %3llu %%", p->index, p->count, p->name, percent);
  else
    cli_progress_draw(&p->line, "%s  %3llu %%", p->name, percent);
}

int cmd_ingest(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] ingest --actor ID [--plugin NAME] [--dry-run] FILE...\n\n"
      "Decodes each FILE with the first of the actor's plugins that recognises it (the\n"
      "actor's \"plugins\" in order, then the collection table, \"template\"), or with\n"
      "plugin NAME whatever the file holds (--plugin), maps and checks every figure against the\n"
      "référentiel and stores them in one transaction per file (all or nothing). Prints the\n"
      "report the partner would receive (in French). The same file sent twice changes\n"
      "nothing. --dry-run checks without storing. Exit status: 0 when every file was\n"
      "accepted (or already received), 1 when one was refused or could not be read.\n";
  static const struct option opts[] = {{"actor", required_argument, NULL, 'a'},
                                       {"dry-run", no_argument, NULL, 'n'},
                                       {"plugin", required_argument, NULL, 'p'},
                                       {NULL, 0, NULL, 0}};
  const char *actor = NULL, *forced = NULL;
  releve_plugins plugins;
  releve_ingest_env env;
  int dry = 0, opt, status = CLI_OK, i;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt == 'a')
      actor = optarg;
    else if (opt == 'n')
      dry = 1;
    else if (opt == 'p')
      forced = optarg;
    else
      return cli_usage(usage);
  }
  if (actor == NULL || optind >= argc)
    return cli_usage(usage);
  if (cli_load_config(cli))
    return CLI_FAIL;
  if (releve_config_actor(&cli->cfg, actor) == NULL) {
    fprintf(stderr, "releve: no actor \"%s\" (see `releve referentiel --json`)\n", actor);
    return CLI_FAIL;
  }
  /* The store first: run as root, it becomes the state's owner before any
   * plugin is loaded. */
  if (cli_open_store(cli, 1) || cli_load_plugins(cli, &plugins))
    return CLI_FAIL;
  if (forced && releve_plugins_find(&plugins, forced) == NULL) {
    fprintf(stderr, "releve: no plugin \"%s\" in %s (see `releve plugins`)\n", forced,
            cli->cfg.plugins);
    releve_plugins_unload(&plugins);
    return CLI_FAIL;
  }
  if (!forced) {
    char *why = releve_plugin_fault(&plugins, releve_config_actor(&cli->cfg, actor), NULL);
    if (why) {
      fprintf(stderr, "releve: actor %s: %s; nothing was read (see `releve check-config`)\n",
              actor, why);
      free(why);
      releve_plugins_unload(&plugins);
      return CLI_FAIL;
    }
  }
  env.cfg = &cli->cfg;
  env.store = &cli->store;
  env.plugins = &plugins;
  for (i = optind; i < argc; i++) {
    releve_ingest_request req;
    releve_ingest_result res;
    progress shown = {.name = argv[i], .index = i - optind + 1, .count = argc - optind};
    int rc;
    memset(&req, 0, sizeof req);
    req.actor = actor;
    req.path = argv[i];
    req.channel = "cli";
    req.dry_run = dry;
    req.plugin = forced;
    cli_progress_init(&shown.line);
    if (shown.line.tty) {
      req.progress = show_progress;
      req.progress_ud = &shown;
    }
    rc = releve_ingest_file(&env, &req, &res);
    cli_progress_end(&shown.line);
    if (rc) {
      fprintf(stderr, "releve: %s: not ingested (%s); nothing was stored\n", argv[i],
              strerror(-rc));
      status = CLI_FAIL;
      continue;
    }
    fputs(res.report, stdout);
    if (i + 1 < argc)
      fputs("\n", stdout);
    if (res.outcome == RELEVE_REFUSED)
      status = CLI_FAIL;
    releve_ingest_result_free(&res);
  }
  releve_plugins_unload(&plugins);
  return status;
}

static const char *type_name(releve_option_type t) {
  return t == RELEVE_OPT_STRING ? "string" : t == RELEVE_OPT_INT ? "integer" : "boolean";
}

int cmd_plugins(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] plugins [--json]\n\n"
      "Lists the plugins of the plugin folder: those loaded (name, version, options) and\n"
      "those refused, with why. --json prints {\"dir\", \"plugins\": [{\"file\", \"loaded\",\n"
      "\"refused\", \"name\", \"version\", \"description\", \"format\" (its French name in\n"
      "reports), \"recognises\" (false: an ABI 1.0 plugin, which takes every file),\n"
      "\"options\": [{\"name\", \"type\", \"default\", \"help\"}]}]}.\n";
  releve_plugins p;
  json_t *list;
  size_t i;
  int json = argc == 2 && strcmp(argv[1], "--json") == 0;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  if (argc > 2 || (argc == 2 && !json))
    return cli_usage(usage);
  if (cli_load_config(cli) || cli_load_plugins(cli, &p))
    return CLI_FAIL;
  list = json_array();
  for (i = 0; i < p.n; i++) {
    const releve_loaded_plugin *lp = &p.items[i];
    json_t *o = json_pack("{s:s, s:b}", "file", lp->file, "loaded", lp->desc != NULL);
    if (lp->desc) {
      const releve_option *opt;
      json_t *opts = json_array();
      for (opt = lp->desc->options; opt && opt->name; opt++)
        json_array_append_new(opts, json_pack("{s:s, s:s, s:s?, s:s?}", "name", opt->name, "type",
                                              type_name(opt->type), "default",
                                              opt->default_value, "help", opt->help));
      json_object_set_new(o, "name", json_string(lp->desc->name));
      json_object_set_new(o, "version", json_string(lp->desc->version ? lp->desc->version : ""));
      json_object_set_new(o, "description",
                          json_string(lp->desc->description ? lp->desc->description : ""));
      json_object_set_new(o, "format", json_string(releve_reader_format(lp->desc)));
      json_object_set_new(o, "recognises",
                          json_boolean(RELEVE_PLUGIN_HAS(lp->desc, recognise) &&
                                       lp->desc->recognise != NULL));
      json_object_set_new(o, "options", opts);
    } else {
      json_object_set_new(o, "refused", json_string(lp->refused));
    }
    json_array_append_new(list, o);
  }
  if (json) {
    releve_plugins_unload(&p);
    return cli_print_json(json_pack("{s:s, s:o}", "dir", cli->cfg.plugins, "plugins", list));
  }
  printf("plugin folder %s\n", cli->cfg.plugins);
  for (i = 0; i < p.n; i++) {
    const releve_loaded_plugin *lp = &p.items[i];
    if (lp->desc)
      printf("  %-16s %-8s %s\n", lp->desc->name, lp->desc->version ? lp->desc->version : "",
             lp->desc->description ? lp->desc->description : "");
    else
      printf("  %-16s refused: %s\n", releve_path_basename(lp->file), lp->refused);
  }
  json_decref(list);
  releve_plugins_unload(&p);
  return CLI_OK;
}
