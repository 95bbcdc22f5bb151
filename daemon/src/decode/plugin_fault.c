#include "decode/plugin_fault.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail/mail_queue.h"
#include "store/run.h"
#include "store/store_sql.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

static int notify(releve_store *s, const releve_config *cfg, const releve_actor *a,
                  const char *plugin, const char *problem, const char *file_name) {
  char *subject = releve_str_printf("relevé : les fichiers de %s attendent (module « %s » "
                                 "indisponible)",
                                 a->id, plugin);
  char *body = releve_str_printf(
      "Bonjour,\n\n"
      "Le fichier « %s » de l'acteur %s (%s) attend dans son dossier de dépôt "
      "(%s/%s/incoming/) : le module de lecture « %s » ne peut pas le lire sur ce "
      "serveur.\n\n"
      "Raison (détail technique) : %s\n\n"
      "Ce fichier n'est pas refusé, et ceux que cet acteur déposera ensuite ne le seront pas "
      "non plus : ils attendent et seront lus dès que le module sera de nouveau utilisable. "
      "Merci d'installer ou de corriger le module (ou les options de l'acteur), de vérifier "
      "avec « releve check-config », puis de recharger le service (« systemctl reload "
      "releved »). « releve status » montre les acteurs dont des fichiers attendent.\n\n"
      "Ce message est envoyé une fois, jusqu'à ce que le module serve de nouveau.\n\n"
      "-- \nrelevé\n",
      file_name, a->id, a->name ? a->name : a->id, cfg->spool, a->id, plugin, problem);
  char about[128];
  int rc;

  snprintf(about, sizeof about, "plugin fault of %s", a->id);
  rc = subject && body ? releve_mail_queue_notify_coordinator(s, cfg->mail_from, cfg->coordinator,
                                                          subject, body, about)
                       : -ENOMEM;
  free(subject);
  free(body);
  if (rc == -ENOENT) {
    releve_warn("%s: no mail.coordinator configured: nobody is mailed about its waiting files",
                a->id);
    rc = 0;
  }
  return rc == -EINVAL ? 0 : rc; /* a refused mail is logged and holds nothing back */
}

/* Runs sql on the actor (?1), then its plugin and problem (?2, ?3), then
 * now (?4), as many as n: the rows it changed, or a negative errno value. */
static int step_actor(releve_store *s, const char *sql, const releve_actor *a, const char *plugin,
                      const char *problem, const char *now, size_t n) {
  const char *const texts[] = {a->id, plugin, problem, now};
  long long changes;
  int rc = releve_store_run_texts(s, sql, texts, n, &changes);
  return rc < 0 ? rc : (int)changes;
}

int releve_plugin_fault_hold(releve_store *s, const releve_config *cfg, const releve_actor *a,
                             const char *plugin, const char *problem, const char *file_name,
                             int *first) {
  char now[32];
  int rc = releve_store_begin(s);

  *first = 0;
  releve_clock_utc_text(time(NULL), now);
  if (rc == 0 && (rc = step_actor(s, RELEVE_SQL_FAULT_NEW, a, plugin, problem, now, 4)) >= 0) {
    if (rc == 1) {
      *first = 1;
      rc = notify(s, cfg, a, plugin, problem, file_name);
    } else { /* known: the reason may have changed (another reload) */
      rc = step_actor(s, RELEVE_SQL_FAULT_UPDATE, a, plugin, problem, NULL, 3);
      rc = rc < 0 ? rc : 0;
    }
  }
  if (rc == 0)
    rc = releve_store_commit(s);
  else
    releve_store_rollback(s);
  if (rc)
    *first = 0;
  return rc;
}

int releve_plugin_fault_clear(releve_store *s, const releve_config *cfg, const int *served,
                              int *cleared) {
  size_t i;
  int rc = releve_store_begin(s);

  *cleared = 0;
  for (i = 0; rc == 0 && i < cfg->n_actors; i++)
    if (served[i] &&
        (rc = step_actor(s, RELEVE_SQL_FAULT_CLEAR, &cfg->actors[i], NULL, NULL, NULL, 1)) >= 0) {
      *cleared += rc;
      rc = 0;
    }
  if (rc == 0)
    rc = releve_store_commit(s);
  else
    releve_store_rollback(s);
  return rc;
}

int releve_plugin_faults(releve_store *s,
                         int (*cb)(void *ud, const releve_plugin_fault_row *r), void *ud) {
  releve_stmt *st;
  int rc;

  /* The table is there: a store opens only a database at this build's
   * schema version (store.h). */
  if ((rc = releve_store_prepare(s, RELEVE_SQL_FAULT_ALL, &st)) != 0)
    return rc;
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    releve_plugin_fault_row r;
    r.actor = releve_stmt_text(st, 0);
    r.plugin = releve_stmt_text(st, 1);
    r.problem = releve_stmt_text(st, 2);
    r.since = releve_stmt_text(st, 3);
    if ((rc = cb(ud, &r)) != 0) {
      releve_stmt_finalize(st);
      return rc;
    }
  }
  releve_stmt_finalize(st);
  return rc;
}
