/* `releve referentiel`: the indicators, their actors and targets. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static json_t *target_json(const releve_target *t) {
  json_t *o = json_pack("{s:s, s:s}", "text", t->text ? t->text : "", "kind",
                        releve_target_kind_name(t->kind));
  switch (t->kind) {
  case RELEVE_TARGET_LEVEL:
  case RELEVE_TARGET_SHARE:
  case RELEVE_TARGET_RISE:
  case RELEVE_TARGET_FLOOR:
  case RELEVE_TARGET_FALL:
    json_object_set_new(o, "value", json_real(t->value));
    break;
  case RELEVE_TARGET_RANGE:
    json_object_set_new(o, "min", json_real(t->min));
    json_object_set_new(o, "max", json_real(t->max));
    break;
  default:
    break;
  }
  return o;
}

static json_t *indicator_json(const releve_indicator *ind) {
  json_t *geos = json_array(), *o;
  const char *const *g;
  for (g = ind->geographies; *g; g++)
    json_array_append_new(geos, json_string(*g));
  o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:{s:s, s:s}, s:{s:s, s:s}, "
                   "s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}, s:i}",
                   "id", ind->id, "label", ind->label, "actor", ind->actor, "unit",
                   releve_unit_name(ind->unit), "share", ind->share, "period",
                   releve_period_kind_name(ind->period), "target", target_json(&ind->target),
                   "theme", "id", ind->theme->id, "name", ind->theme->name, "objective", "id",
                   ind->objective->id, "name", ind->objective->name, "sub_objective", "id",
                   ind->sub_objective->id, "name", ind->sub_objective->name, "goal", "id",
                   ind->goal->id, "name", ind->goal->name, "action", "id", ind->action->id,
                   "label", ind->action->name, "seed_line", ind->seed_line);
  if (o && ind->unit == RELEVE_UNIT_COUNT)
    json_object_set_new(o, "counts", json_string(releve_counts_name(ind->counts)));
  if (o)
    json_object_set_new(o, "geographies", geos);
  else
    json_decref(geos);
  return o;
}

int cmd_referentiel(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] referentiel [--json] [--contract ID] [--actor ID] [--theme T]\n\n"
      "Lists the indicators of a contract's référentiel (--contract, the only contract\n"
      "by default): id, referent actor, unit, period kind, target and label, by theme.\n"
      "--actor and --theme (G, T or H) filter.\n"
      "--json prints {\"contract\", \"title\", \"indicators\": [{\"id\", \"label\", \"actor\", \"unit\",\n"
      "\"share\", \"counts\" (count indicators: persons, households, structures, actions,\n"
      "places, hours, surface), \"period\", \"geographies\" (the cells expected: QPV, QP,\n"
      "QVA, PARIS, REP, REP+), \"target\": {\"text\", \"kind\", \"value\"|\"min\",\"max\"},\n"
      "\"theme\", \"objective\", \"sub_objective\", \"goal\": {\"id\", \"name\"},\n"
      "\"action\": {\"id\", \"label\"}, \"seed_line\"}], \"actors\": [{\"id\", \"name\"}]}.\n";
  static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                       {"actor", required_argument, NULL, 'a'},
                                       {"theme", required_argument, NULL, 't'},
                                       {"contract", required_argument, NULL, 'k'},
                                       {NULL, 0, NULL, 0}};
  const char *actor = NULL, *theme = NULL, *contract = NULL;
  const releve_referentiel *ref;
  int json = 0, opt, shown = 0;
  size_t i;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt == 'j')
      json = 1;
    else if (opt == 'a')
      actor = optarg;
    else if (opt == 't')
      theme = optarg;
    else if (opt == 'k')
      contract = optarg;
    else
      return cli_usage(usage);
  }
  if (optind != argc)
    return cli_usage(usage);
  /* A configured actor names its contract; a référentiel's actor without
   * an entry is looked for in the contract chosen otherwise. */
  if (cli_load_config(cli) ||
      cli_choose_contract(cli, contract,
                          actor && releve_config_actor(&cli->cfg, actor) ? actor : NULL))
    return CLI_FAIL;
  ref = &cli->contract->ref;
  if (actor && !releve_referentiel_actor(ref, actor)) {
    fprintf(stderr, "releve: aucun acteur « %s » dans le référentiel du contrat « %s »\n", actor,
            cli->contract->contracts[0].id);
    return CLI_FAIL;
  }
  if (json) {
    json_t *out = json_pack("{s:s, s:s, s:[], s:[]}", "contract", cli->contract->contracts[0].id,
                            "title", ref->title, "indicators", "actors");
    json_t *list = json_object_get(out, "indicators"), *actors = json_object_get(out, "actors");
    for (i = 0; i < ref->n_indicators; i++) {
      const releve_indicator *ind = &ref->indicators[i];
      if ((actor && strcmp(ind->actor, actor)) || (theme && strcmp(ind->theme->id, theme)))
        continue;
      json_array_append_new(list, indicator_json(ind));
    }
    for (i = 0; i < ref->n_actors; i++)
      json_array_append_new(actors, json_pack("{s:s, s:s}", "id", ref->actors[i].id, "name",
                                              ref->actors[i].name));
    return cli_print_json(out);
  }
  for (i = 0; i < ref->n_indicators; i++) {
    const releve_indicator *ind = &ref->indicators[i];
    if ((actor && strcmp(ind->actor, actor)) || (theme && strcmp(ind->theme->id, theme)))
      continue;
    if (i == 0 || ind->theme != ref->indicators[i - 1].theme || shown == 0)
      printf("%s%s — %s\n", shown ? "\n" : "", ind->theme->id, ind->theme->name);
    {
      static const int widths[] = {6, 14, 7, 11, 70};
      const char *row[] = {ind->id, ind->actor, releve_unit_name(ind->unit),
                           releve_target_kind_name(ind->target.kind), ind->label};
      cli_row(stdout, 2, row, widths, 5);
    }
    shown++;
  }
  printf("%d indicateur%s\n", shown, shown > 1 ? "s" : "");
  return CLI_OK;
}
