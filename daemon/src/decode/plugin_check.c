#include "decode/plugin_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/str.h"

/* Checks the actor's options into d; 0 when they fit. */
static int options_fit(const releve_plugin *plugin, const releve_actor *a, const char *file,
                       const char *path, releve_diags *d) {
  releve_option_value *v = calloc(releve_plugin_option_count(plugin) + 1, sizeof *v);
  int rc = v ? releve_plugin_options(plugin, a->options, file, path, d, v) : -1;
  free(v);
  return rc;
}

char *releve_plugin_fault(const releve_plugins *p, const releve_actor *a, const char **plugin) {
  const releve_plugin *first;
  const releve_loaded_plugin *lp;
  releve_diags d = {0};
  char *why = NULL;
  size_t k;

  for (k = 0; k < a->n_plugins; k++) {
    const char *name = a->plugins[k];
    if (releve_plugins_find(p, name) ||
        (a->template_implied && a->n_plugins > 1 && strcmp(name, "template") == 0))
      continue;
    if (plugin)
      *plugin = name;
    if ((lp = releve_plugins_refused(p, name)) != NULL)
      return releve_str_printf("plugin \"%s\" refused (%s: %s)", name, lp->file, lp->refused);
    return releve_str_printf("no plugin \"%s\" in %s", name, p->dir ? p->dir : "(none)");
  }
  if ((first = releve_plugins_find(p, a->plugin)) == NULL)
    return NULL; /* the implied collection table, checked above when alone */
  if (options_fit(first, a, "config", "options", &d) != 0) {
    if (plugin)
      *plugin = a->plugin;
    why = releve_str_printf("plugin \"%s\": options: %s", a->plugin,
                         d.n ? d.items[0].message : "out of memory");
  }
  releve_diags_free(&d);
  return why;
}

void releve_plugins_check(const releve_plugins *p, const releve_config *cfg, releve_diags *d) {
  const char *file = cfg->file ? cfg->file : "(built-in default)";
  char path[128];
  size_t i;

  for (i = 0; i < p->n; i++)
    if (p->items[i].refused)
      releve_diags_add(d, p->items[i].broken ? RELEVE_DIAG_ERROR : RELEVE_DIAG_WARNING, file,
                       "plugins", 0, 0, "plugin %s %s: %s", p->items[i].file,
                       p->items[i].broken ? "is broken" : "is refused", p->items[i].refused);
  for (i = 0; i < cfg->n_actors; i++) {
    const releve_actor *a = &cfg->actors[i];
    const releve_plugin *first = releve_plugins_find(p, a->plugin);
    if (first == NULL || a->path == NULL)
      continue;
    snprintf(path, sizeof path, "%s.options", a->path);
    options_fit(first, a, file, path, d);
  }
}

size_t releve_plugins_enforce_privacy(releve_config *cfg, const releve_plugins *plugins,
                                      releve_diags *diags, int severity) {
  size_t a, forced = 0;
  for (a = 0; a < cfg->n_actors; a++) {
    releve_actor *act = &cfg->actors[a];
    const char *named = NULL;
    size_t k;
    if (!act->configured || act->personal_data)
      continue;
    /* Any plugin that may read the actor's files: each file is read by
     * one of them. */
    for (k = 0; named == NULL && act->plugins && act->plugins[k]; k++) {
      const releve_plugin *p = releve_plugins_find(plugins, act->plugins[k]);
      if (p && (releve_plugin_flags(p) & RELEVE_PLUGIN_PERSONAL_DATA))
        named = act->plugins[k];
    }
    if (named == NULL)
      continue;
    act->personal_data = 1;
    forced++;
    releve_diags_add(diags, severity, cfg->file ? cfg->file : "(built-in default)", "actors", 0,
                     0,
                     "actor \"%s\": plugin \"%s\" decodes person-level records; add "
                     "\"personal_data\": true (and \"keep_days\", 0 to delete each file once "
                     "counted) to its entry%s",
                     act->id, named,
                     severity == RELEVE_DIAG_ERROR ? "" : "; its files are handled as personal "
                                                           "data meanwhile");
  }
  return forced;
}
