#include "receipt/receipt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "completeness/completeness.h"
#include "config/reminders.h"
#include "mail/mail_mime.h"
#include "mail/mail_queue.h"
#include "mail/mail_token.h"
#include "report/summary.h"
#include "util/clock.h"
#include "util/log.h"

static releve_verdict verdict_of(releve_outcome o) {
  return o == RELEVE_ACCEPTED ? RELEVE_VERDICT_ACCEPTED
         : o == RELEVE_DUPLICATE ? RELEVE_VERDICT_DUPLICATE
                                 : RELEVE_VERDICT_REFUSED;
}

int releve_receipt_queue(releve_store *s, const releve_config *cfg, const char *actor,
                         const char *file_name, const releve_ingest_result *res, long long *mail) {
  const releve_actor *a = releve_config_actor(cfg, actor);
  releve_config view;
  releve_report_receipt text;
  releve_mail m;
  char *name, *report, *subject = NULL, *body = NULL, why[256], today[32], due[11];
  char reply_to[RELEVE_MAIL_ADDRESS_MAX];
  int rc, owed;

  if (mail)
    *mail = 0;
  if (a == NULL || a->n_emails == 0)
    return 0;
  /* What the actor still owes is counted in its contract. */
  releve_config_view(cfg, a->contract, &view);
  cfg = &view;
  if (!cfg->ladder.receipts)
    return 0;
  memset(&text, 0, sizeof text);
  releve_clock_utc_text(time(NULL), today);
  today[10] = '\0';
  text.year = releve_completeness_campaign(cfg, today);
  releve_completeness_due(cfg, text.year, due);
  if ((rc = releve_completeness_owed(s, cfg, actor, text.year, today, &owed)) != 0)
    return rc;
  /* The name comes from the partner: keep it out of the header syntax. */
  name = releve_mime_printable(file_name, 0);
  report = releve_mime_printable(res->report ? res->report : "", 1);
  text.verdict = verdict_of(res->outcome);
  text.file_name = name;
  text.report = report;
  text.filled = res->filled;
  text.owed = owed;
  text.due = due;
  text.coordinator = cfg->coordinator;
  if (name && report)
    releve_report_receipt_text(&text, &subject, &body);
  if (subject == NULL || body == NULL) {
    rc = -ENOMEM;
  } else if ((rc = releve_mail_token_reply_to(s, cfg, actor, reply_to, sizeof reply_to)) == 0) {
    memset(&m, 0, sizeof m);
    m.from = cfg->mail_from;
    m.to = a->emails;
    m.reply_to = reply_to[0] ? reply_to : NULL;
    m.in_reply_to = res->message_id; /* a mailed file: its receipt answers in the thread */
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
