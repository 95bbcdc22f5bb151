/* reader.c -- choosing the plugin that reads a file (see reader.h). */
#include "decode/reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/workbook.h"
#include "util/buf.h"
#include "util/fd.h"
#include "util/log.h"

const char *releve_reader_format(const releve_plugin *plugin) {
  if (RELEVE_PLUGIN_HAS(plugin, format) && plugin->format && *plugin->format)
    return plugin->format;
  return plugin->name;
}

/* What recognise() says, the best over the heads (a workbook's sheets); a
 * plugin that cannot tell (ABI 1.0, or no recognise) takes every file, as
 * it did before readers were chosen. */
static int recognises(const releve_plugin *plugin, const releve_reader_head *heads, size_t n,
                      const char *file_name, const releve_reader_probe *probe) {
  int best = 0;
  if (!RELEVE_PLUGIN_HAS(plugin, recognise) || plugin->recognise == NULL)
    return 1;
  if (probe)
    probe->asking(probe->ud, plugin->name);
  for (size_t i = 0; i < n; i++) {
    int c = plugin->recognise(heads[i].bytes, heads[i].n, file_name);
    c = c < 0 ? 0 : c > 100 ? 100 : c;
    if (c > best)
      best = c;
  }
  return best;
}

/* "« caf » (export …), « template » (tableau …)": the formats the actor
 * can send, for a refused file's report. */
static void list_formats(releve_buf *b, const releve_plugins *p, const releve_actor *a) {
  size_t i, k = 0;
  for (i = 0; i < a->n_plugins; i++) {
    const releve_plugin *plugin = releve_plugins_find(p, a->plugins[i]);
    if (plugin)
      releve_buf_addf(b, "%s%s (module « %s »)", k++ ? ", " : "", releve_reader_format(plugin),
                      plugin->name);
  }
}

int releve_reader_choose(const releve_plugins *p, const releve_actor *a, const char *forced,
                         const unsigned char *head, size_t n, const char *file_name,
                         releve_reader_choice *out, char **why) {
  releve_reader_head one = {head, n};
  return releve_reader_choose_heads(p, a, forced, &one, 1, file_name, out, why);
}

static int choose(const releve_plugins *p, const releve_actor *a, const char *forced,
                  const releve_reader_head *heads, size_t n, const char *file_name,
                  const releve_reader_probe *probe, releve_reader_choice *out, char **why) {
  releve_buf b = RELEVE_BUF_INIT;
  size_t i, missing = 0;

  memset(out, 0, sizeof *out);
  *why = NULL;
  if (forced) {
    out->plugin = releve_plugins_find(p, forced);
    if (out->plugin == NULL) {
      releve_buf_addf(&b, "le module de lecture « %s » demandé n'est pas disponible sur le "
                          "serveur (voir `releve plugins`)",
                      forced);
      goto refuse;
    }
    out->forced = 1;
    out->confidence = 100;
    out->primary = strcmp(forced, a->plugin) == 0;
    return 0;
  }
  for (i = 0; i < a->n_plugins; i++) {
    const releve_plugin *plugin = releve_plugins_find(p, a->plugins[i]);
    int c;
    if (plugin == NULL) {
      releve_err("actor %s: plugin \"%s\" is not loaded (see `releve plugins`)", a->id,
                 a->plugins[i]);
      missing++;
      continue;
    }
    if ((c = recognises(plugin, heads, n, file_name, probe)) == 0)
      continue;
    if (out->plugin == NULL) {
      out->plugin = plugin;
      out->confidence = c;
      out->primary = i == 0;
    } else if (out->n_others < RELEVE_READER_MAX) {
      out->others[out->n_others++] = plugin->name;
    }
  }
  if (out->plugin) {
    releve_debug("%s: read by plugin %s (confidence %d), %zu other plugin%s recognised it",
                 file_name, out->plugin->name, out->confidence, out->n_others,
                 out->n_others == 1 ? "" : "s");
    return 0;
  }
  if (missing == a->n_plugins) {
    releve_buf_addf(&b, "aucun module de lecture de cet acteur n'est disponible sur le serveur ; "
                        "l'administrateur a été prévenu");
    goto refuse;
  }
  releve_buf_adds(&b, "ce fichier n'est dans aucun des formats que cet acteur peut envoyer : ");
  list_formats(&b, p, a);
  releve_buf_adds(&b, " ; enregistrez-le dans l'un de ces formats (le tableau de collecte est "
                      "joint aux rappels) et déposez-le à nouveau");
  if (missing)
    releve_buf_addf(&b, " (%zu module%s de cet acteur indisponible%s sur le serveur : "
                        "l'administrateur a été prévenu)",
                    missing, missing > 1 ? "s" : "", missing > 1 ? "s" : "");
refuse:
  *why = releve_buf_steal(&b);
  return *why ? -ENOENT : -ENOMEM;
}

int releve_reader_choose_heads(const releve_plugins *p, const releve_actor *a,
                               const char *forced, const releve_reader_head *heads, size_t n,
                               const char *file_name, releve_reader_choice *out, char **why) {
  return choose(p, a, forced, heads, n, file_name, NULL, out, why);
}

typedef struct sheet_heads {
  releve_reader_head head[RELEVE_WORKBOOK_HEAD_SHEETS];
  size_t n;
} sheet_heads;

static int keep_head(void *ud, const unsigned char *head, size_t n) {
  sheet_heads *h = ud;
  unsigned char *copy = malloc(n ? n : 1);
  if (copy == NULL)
    return -ENOMEM;
  memcpy(copy, head, n);
  h->head[h->n++] = (releve_reader_head){copy, n};
  return 0;
}

int releve_reader_choose_file(const releve_plugins *p, const releve_actor *a, const char *forced,
                              int fd, const char *file_name, const releve_reader_probe *probe,
                              releve_reader_choice *out, char **why) {
  unsigned char *head = malloc(RELEVE_PLUGIN_HEAD_MAX);
  sheet_heads h = {.n = 0};
  ssize_t n;
  int rc;

  memset(out, 0, sizeof *out);
  *why = NULL;
  if (head == NULL)
    return -ENOMEM;
  n = releve_fd_pread(fd, head, RELEVE_PLUGIN_HEAD_MAX, 0);
  if (n < 0) {
    free(head);
    return -EIO;
  }
  /* A workbook's reader is chosen on the first rows of its sheets, written
   * as CSV lines; any other file on its first bytes. */
  rc = releve_workbook_heads(fd, RELEVE_PLUGIN_HEAD_MAX, keep_head, &h, why);
  if (rc == 1) {
    rc = choose(p, a, forced, h.head, h.n, file_name, probe, out, why);
  } else if (rc == 0) {
    releve_reader_head one = {head, (size_t)n};
    rc = choose(p, a, forced, &one, 1, file_name, probe, out, why);
  } else if (*why != NULL) {
    rc = -ENOENT; /* a workbook that cannot be read: why says why, in French */
  }
  for (size_t i = 0; i < h.n; i++)
    free((void *)h.head[i].bytes);
  free(head);
  return rc;
}

int releve_reader_options(const releve_reader_choice *c, const releve_actor *a,
                          releve_option_value **out) {
  releve_diags d = {0};
  int rc;

  *out = calloc(releve_plugin_option_count(c->plugin) + 1, sizeof **out);
  if (*out == NULL)
    return -ENOMEM;
  /* Options that do not fit are the configuration's fault: no outcome. */
  rc = releve_plugin_options(c->plugin, c->primary ? a->options : NULL, "config", "options", &d,
                             *out);
  if (rc)
    releve_diags_print(&d, stderr);
  releve_diags_free(&d);
  return rc ? -ENOPKG : 0;
}

char *releve_reader_note(const releve_reader_choice *c, const releve_actor *a) {
  releve_buf b = RELEVE_BUF_INIT;
  size_t i;

  if (c->plugin == NULL || (!c->forced && c->n_others == 0))
    return NULL;
  if (c->forced) {
    releve_buf_addf(&b, "module de lecture « %s » imposé par l'administrateur, sans "
                        "reconnaissance du format",
                    c->plugin->name);
    return releve_buf_steal(&b);
  }
  releve_buf_addf(&b, "ce fichier est reconnu par les modules « %s »", c->plugin->name);
  for (i = 0; i < c->n_others; i++)
    releve_buf_addf(&b, "%s« %s »", i + 1 == c->n_others ? " et " : ", ", c->others[i]);
  releve_buf_adds(&b, " ; l'ordre configuré pour cet acteur (");
  for (i = 0; i < a->n_plugins; i++)
    releve_buf_addf(&b, "%s%s", i ? ", " : "", a->plugins[i]);
  releve_buf_addf(&b, ") désigne « %s »", c->plugin->name);
  return releve_buf_steal(&b);
}

void releve_readers_check_config(const releve_config *cfg, const releve_plugins *p,
                                 const char *file, releve_diags *diags) {
  size_t i, k, missing_template = 0;
  for (i = 0; i < cfg->n_actors; i++) {
    const releve_actor *a = &cfg->actors[i];
    const char *where = a->plugins_path ? a->plugins_path : "actors";
    if (a->n_plugins > RELEVE_READER_MAX)
      releve_diags_add(diags, RELEVE_DIAG_ERROR, file, where, 0, 0,
                       "%zu plugins for actor \"%s\"; at most %d", a->n_plugins, a->id,
                       RELEVE_READER_MAX);
    for (k = 0; k < a->n_plugins; k++) {
      releve_buf names = RELEVE_BUF_INIT;
      const releve_loaded_plugin *refused;
      size_t j;
      if (releve_plugins_find(p, a->plugins[k]))
        continue;
      for (j = 0; j < p->n; j++)
        if (p->items[j].desc)
          releve_buf_addf(&names, "%s%s", names.data ? ", " : "", p->items[j].desc->name);
      if (a->template_implied && strcmp(a->plugins[k], "template") == 0)
        /* Not named by the configuration: said once for the folder below. */
        missing_template++;
      else if ((refused = releve_plugins_refused(p, a->plugins[k])) != NULL)
        releve_diags_add(diags, RELEVE_DIAG_ERROR, file, where, 0, 0,
                         "actor \"%s\": plugin \"%s\" refused (%s: %s); its files would wait "
                         "in incoming/",
                         a->id, a->plugins[k], refused->file, refused->refused);
      else
        releve_diags_add(diags, RELEVE_DIAG_ERROR, file, where, 0, 0,
                         "actor \"%s\": no plugin \"%s\" in %s (loaded: %s; see `releve "
                         "plugins`); its files would wait in incoming/",
                         a->id, a->plugins[k], p->dir ? p->dir : cfg->plugins,
                         names.data ? names.data : "none");
      releve_buf_free(&names);
    }
  }
  if (missing_template)
    releve_diags_add(diags, RELEVE_DIAG_WARNING, file, "plugins", 0, 0,
                     "no plugin \"template\" in %s: the %zu actor%s that rely on it cannot "
                     "send the collection table",
                     p->dir ? p->dir : cfg->plugins, missing_template,
                     missing_template == 1 ? "" : "s");
}
