/* The spool's part of `releve status`: uploads that were interrupted and
 * sit in an incoming/ folder, never to be read (cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util/log.h"
#include "spool/spool.h"

typedef struct stale_ctx {
  const releve_config *cfg;
  json_t *list; /* --json */
  int count;
} stale_ctx;

static void stale_one(stale_ctx *x, const char *actor, const char *name) {
  char *shown = releve_log_escape(name); /* a partner's name, maybe with a newline */
  if (x->list) {
    json_array_append_new(x->list,
                          json_pack("{s:s, s:s}", "actor", actor, "name", shown ? shown : "?"));
  } else {
    if (x->count == 0)
      printf("\ndépôts interrompus (nom temporaire, intact depuis plus de %d h, jamais lu) :\n",
             x->cfg->stale_upload_hours);
    printf("  %s : %s\n", actor, shown ? shown : "?");
  }
  x->count++;
  free(shown);
}

static int each_stale(stale_ctx *x) {
  time_t now = time(NULL);
  size_t a, i, n;
  int rc = 0;

  for (a = 0; a < x->cfg->n_actors && rc == 0; a++) {
    char **names;
    rc = releve_spool_stale_uploads(x->cfg, x->cfg->actors[a].id, now, &names, &n);
    for (i = 0; rc == 0 && i < n; i++)
      stale_one(x, x->cfg->actors[a].id, names[i]);
    releve_spool_names_free(names);
  }
  if (rc)
    fprintf(stderr, "releve: reading the spool failed: %s\n", strerror(-rc));
  return rc;
}

json_t *cli_spool_status_json(releve_cli *cli) {
  stale_ctx x = {&cli->cfg, json_array(), 0};
  if (x.list == NULL || each_stale(&x) != 0) {
    json_decref(x.list);
    return NULL;
  }
  return json_pack("{s:i, s:o}", "stale_upload_hours", cli->cfg.stale_upload_hours,
                   "stale_uploads", x.list);
}

int cli_spool_status_print(releve_cli *cli) {
  stale_ctx x = {&cli->cfg, NULL, 0};
  return each_stale(&x) ? CLI_FAIL : CLI_OK;
}
