/* The coordinator's mail about a source that keeps failing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mail/mail_queue.h"
#include "pull/pull.h"
#include "util/log.h"
#include "util/str.h"

int releve_pull_notify(releve_store *store, const releve_source *src, const char *from,
                       const char *coordinator, const releve_pull_result *res) {
  char *subject, *body, about[128];
  int rc;

  if (coordinator == NULL)
    return -ENOENT;
  subject = releve_str_printf("relevé : la récupération « %s » échoue (%d tentatives)", src->id,
                           res->failures);
  body = releve_str_printf(
      "Bonjour,\n\n"
      "La récupération programmée « %s » (acteur %s) a échoué %d fois de suite.\n\n"
      "Adresse : %s\n"
      "Programme : %s\n"
      "Dernière erreur (détail technique) : %s\n\n"
      "relevé continue d'essayer : le délai entre deux essais double à chaque échec "
      "(d'abord %d s), sans dépasser la prochaine échéance du programme. "
      "Merci de vérifier l'adresse, les identifiants et le certificat du serveur, ou de "
      "prendre contact avec le partenaire. La commande « releve pull %s » relance la "
      "récupération immédiatement et affiche son résultat ; « releve status » montre les "
      "sources en échec.\n\n"
      "Ce message est envoyé une fois par série d'échecs.\n\n"
      "-- \nrelevé\n",
      src->id, src->actor, res->failures, src->url, src->schedule_text,
      res->error ? res->error : "inconnue", src->retry_seconds, src->id);
  if (subject == NULL || body == NULL) {
    free(subject);
    free(body);
    return -ENOMEM;
  }
  snprintf(about, sizeof about, "pull %s", src->id);
  rc = releve_mail_queue_notify_coordinator(store, from, coordinator, subject, body, about);
  free(subject);
  free(body);
  return rc;
}
