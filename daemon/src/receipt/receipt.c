#include "receipt/receipt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "completeness/completeness.h"
#include "util/log.h"
#include "mail/mail_mime.h"
#include "mail/mail_queue.h"
#include "remind/remind_ladder.h"
#include "report/report.h"
#include "util/util.h"

static const char *verdict(releve_outcome o) {
  return o == RELEVE_ACCEPTED ? "accepté" : o == RELEVE_DUPLICATE ? "déjà reçu" : "refusé";
}

static const char *meaning(releve_outcome o) {
  if (o == RELEVE_ACCEPTED)
    return "Ses chiffres sont enregistrés.";
  if (o == RELEVE_DUPLICATE)
    return "Nous avions déjà reçu ce même fichier : rien n'a changé.";
  return "Aucun de ses chiffres n'a été enregistré ; le détail suit.";
}

int releve_receipt_queue(releve_store *s, const releve_config *cfg, const char *actor,
                         const char *file_name, const releve_ingest_result *res, long long *mail) {
  const releve_actor *a = releve_config_actor(cfg, actor);
  releve_ladder ladder;
  releve_mail m;
  char *name, *report, *subject = NULL, *body = NULL, why[256], today[32], due[11];
  char filled[RELEVE_NUMBER_SIZE], owes[RELEVE_NUMBER_SIZE];
  int rc, year, owed;

  if (mail)
    *mail = 0;
  if (a == NULL || a->n_emails == 0 || releve_ladder_of(cfg, &ladder) || !ladder.receipts)
    return 0;
  /* What the file did for the campaign comes first: the cells it filled,
   * and what this actor still owes after it. */
  releve_utc_text(time(NULL), today);
  today[10] = '\0';
  year = releve_completeness_campaign(cfg, today);
  releve_completeness_due(cfg, year, due);
  if ((rc = releve_completeness_owed(s, cfg, actor, year, today, &owed)) != 0)
    return rc;
  /* The name comes from the partner: keep it out of the header syntax. */
  name = releve_mime_printable(file_name, 0);
  report = releve_mime_printable(res->report ? res->report : "", 1);
  if (report) { /* the report's own closing lines are enough */
    size_t n = strlen(report);
    while (n && report[n - 1] == '\n')
      report[--n] = '\0';
  }
  if (name && report) {
    subject = releve_aprintf("relevé : fichier %s %s", name, verdict(res->outcome));
    body = releve_aprintf("Ce fichier a rempli %s case%s attendue%s du référentiel ; il vous "
                          "en reste %s à fournir pour la campagne en cours (chiffres de %d, "
                          "à rendre le %.2s/%.2s/%.4s).\n\n"
                          "Bonjour,\n\nVoici le compte rendu du fichier « %s » que vous nous "
                          "avez transmis : il est %s. %s\n\n%s\n\nBien cordialement,\n\n-- \n"
                          "relevé, collecte des indicateurs du contrat de ville\n"
                          "(message automatique%s%s)\n",
                          releve_report_format(res->filled, 0, RELEVE_NUMBER_GROUPED, filled),
                          res->filled > 1 ? "s" : "", res->filled > 1 ? "s" : "",
                          releve_report_format(owed, 0, RELEVE_NUMBER_GROUPED, owes), year, due + 8, due + 5, due, name, verdict(res->outcome),
                          meaning(res->outcome), report,
                          cfg->coordinator ? " ; pour toute question : " : "",
                          cfg->coordinator ? cfg->coordinator : "");
  }
  if (subject == NULL || body == NULL) {
    rc = -ENOMEM;
  } else {
    memset(&m, 0, sizeof m);
    m.from = cfg->mail_from;
    m.to = a->emails;
    m.reply_to = cfg->coordinator;
    m.subject = subject;
    m.body = body;
    rc = releve_mail_queue_queue(s, &m, mail, why, sizeof why);
    if (rc == -EINVAL)
      releve_err("receipt of %s/%s: %s", actor, name, why);
  }
  free(name);
  free(report);
  free(subject);
  free(body);
  return rc;
}

int releve_receipt_on_outcome(void *ud, const releve_ingest_env *env, const char *actor,
                              const char *name, const releve_ingest_result *res) {
  int rc = releve_receipt_queue(env->store, env->cfg, actor, name, res, NULL);
  (void)ud;
  return rc == -EINVAL ? 0 : rc;
}
