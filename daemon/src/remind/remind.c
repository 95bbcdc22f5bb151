#include "remind/remind.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "completeness/completeness.h"
#include "mail/mail_queue.h"
#include "mail/mail_token.h"
#include "remind/template.h"
#include "spool/spool.h"
#include "store/store_sql.h"
#include "store/submission.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"

/* What the completeness walk found for one actor and year. */
typedef struct owed {
  releve_remind_cell *cells;
  size_t n, cap;
  int expected;
} owed;

static int collect(void *ud, const releve_expected *e) {
  owed *o = ud;
  o->expected++;
  if (e->given)
    return 0;
  if (o->n == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 32;
    releve_remind_cell *p = realloc(o->cells, cap * sizeof *p);
    if (p == NULL)
      return -ENOMEM;
    o->cells = p;
    o->cap = cap;
  }
  o->cells[o->n].indicator = e->indicator;
  o->cells[o->n].geography = e->geography;
  releve_period_format(&e->period, o->cells[o->n].period, sizeof o->cells[o->n].period);
  o->n++;
  return 0;
}

static int already_sent(releve_store *s, const char *actor, int year, const char *step, int *done) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_REMINDER_DONE, &st);
  if (rc)
    return rc;
  releve_stmt_bind_text(st, 1, actor);
  releve_stmt_bind_int64(st, 2, year);
  releve_stmt_bind_text(st, 3, step);
  rc = releve_stmt_step(st);
  *done = rc == RELEVE_STMT_ROW;
  releve_stmt_finalize(st);
  return rc < 0 ? rc : 0;
}

static int record_reminder(releve_store *s, const releve_reminder *r) {
  releve_stmt *st;
  char now[32];
  int rc = releve_store_prepare(s, RELEVE_SQL_REMINDER_INSERT, &st);
  if (rc)
    return rc;
  releve_clock_utc_text(time(NULL), now);
  releve_stmt_bind_text(st, 1, r->actor->id);
  releve_stmt_bind_int64(st, 2, r->campaign->year);
  releve_stmt_bind_text(st, 3, r->step->name);
  releve_stmt_bind_text(st, 4, now);
  releve_stmt_bind_int64(st, 5, (long long)r->n_cells);
  releve_stmt_bind_int64(st, 6, r->mail);
  rc = releve_stmt_run(st);
  releve_stmt_finalize(st);
  return rc;
}

/* The outbox row and the reminders row, together or not at all. 1 when
 * another process recorded this step first. */
static int queue(releve_store *s, releve_reminder *r, const releve_mail *m) {
  char why[256];
  int rc = releve_store_begin(s);

  if (rc)
    return rc;
  rc = releve_mail_queue_queue(s, m, &r->mail, why, sizeof why);
  if (rc == -EINVAL)
    releve_err("reminder %s to %s (campaign %d): %s", r->step->name, r->actor->id,
               r->campaign->year, why);
  if (rc == 0)
    rc = record_reminder(s, r);
  if (rc == 0)
    return releve_store_commit(s);
  releve_store_rollback(s);
  return rc == -EEXIST ? 1 : rc;
}

typedef struct run {
  releve_store *s;
  const releve_config *cfg;
  const char *date;
  int dry_run;
  releve_remind_cb cb;
  void *ud;
  releve_remind_summary *sum;
  releve_template_format format; /* of the table attached */
} run;

static int remind_actor(run *x, const releve_campaign *k, const releve_ladder_step *step,
                        const releve_actor *a) {
  releve_reminder r;
  releve_mail_attachment att;
  releve_mail m;
  owed o;
  const char *cc[2] = {NULL, NULL};
  char name[96], *subject = NULL, *body = NULL, reply_to[RELEVE_MAIL_ADDRESS_MAX];
  releve_buf table = RELEVE_BUF_INIT;
  releve_template t;
  size_t n_stale;
  int rc, done = 0;

  memset(&o, 0, sizeof o);
  memset(&r, 0, sizeof r);
  rc = releve_completeness_walk(x->s, x->cfg, a->id, k->year, x->date, collect, &o);
  if (rc || o.expected == 0)
    goto out;
  if (o.n == 0) {
    x->sum->complete++;
    goto out;
  }
  if ((rc = already_sent(x->s, a->id, k->year, step->name, &done)) != 0)
    goto out;
  if (done) {
    x->sum->already++;
    goto out;
  }
  r.campaign = k;
  r.step = step;
  r.actor = a;
  r.cells = o.cells;
  r.n_cells = o.n;
  r.to = a->emails;
  r.cc = cc;
  if (a->placeholder) {
    x->sum->placeholder++;
    r.skipped = "adresse provisoire de « releve init » à remplacer : aucune relance d'ici là";
    releve_warn("reminder %s for campaign %d not sent to %s: its address is still the "
                "placeholder written by releve init",
                step->name, k->year, a->id);
    rc = x->cb ? x->cb(x->ud, &r) : 0;
    goto out;
  }
  if (releve_spool_waiting(x->cfg, a->id, RELEVE_SPOOL_INCOMING) > 0 ||
      releve_spool_waiting(x->cfg, a->id, RELEVE_SPOOL_PROCESSING) > 0) {
    x->sum->waiting++;
    r.skipped = "un fichier attend dans son dossier de dépôt ; relance une fois le fichier traité";
    rc = x->cb ? x->cb(x->ud, &r) : 0;
    goto out;
  }
  if (step->copy_coordinator && x->cfg->coordinator)
    cc[0] = x->cfg->coordinator;
  if ((rc = releve_spool_stale_uploads(x->cfg, a->id, time(NULL), &r.stale, &n_stale)) != 0)
    goto out;
  if ((rc = releve_submission_spool_used(x->s, a->id)) < 0)
    goto out;
  r.spool_in_use = rc;
  snprintf(name, sizeof name, "modele_%s_%d.%s", a->id, k->year,
           releve_template_format_extension(x->format));
  r.attachment_name = name;
  rc = releve_template_build(&t, x->cfg, x->s, a, k->year);
  if (rc == 0)
    rc = releve_template_render(&t, x->format, &table);
  releve_template_free(&t);
  if (rc == 0)
    rc = releve_remind_text(x->cfg, &r, &subject, &body);
  if (rc)
    goto out;
  r.subject = subject;
  r.body = body;
  if (!x->dry_run) {
    if ((rc = releve_mail_token_reply_to(x->s, x->cfg, a->id, reply_to, sizeof reply_to)) != 0)
      goto out;
    memset(&m, 0, sizeof m);
    memset(&att, 0, sizeof att);
    att.filename = name;
    att.content_type = releve_template_format_mime(x->format);
    att.data = table.data;
    att.len = table.len;
    m.from = x->cfg->mail_from;
    m.to = a->emails;
    m.cc = cc;
    m.reply_to = reply_to[0] ? reply_to : NULL;
    m.subject = subject;
    m.body = body;
    m.attachment = &att;
    rc = queue(x->s, &r, &m);
    if (rc == 1) {
      x->sum->already++;
      rc = 0;
      goto out;
    }
    if (rc == -EINVAL) {
      x->sum->errors++;
      rc = 0;
      goto out;
    }
    if (rc)
      goto out;
    releve_info("reminder %s for campaign %d queued for %s: %zu cells missing (mail %lld)",
                step->name, k->year, a->id, o.n, r.mail);
  }
  x->sum->queued++;
  rc = x->cb ? x->cb(x->ud, &r) : 0;
out:
  releve_spool_names_free(r.stale);
  free(o.cells);
  releve_buf_free(&table);
  free(subject);
  free(body);
  return rc;
}

int releve_remind_run(releve_store *s, const releve_config *cfg, const char *date, int dry_run,
                      releve_remind_cb cb, void *ud, releve_remind_summary *sum) {
  releve_ladder_step steps[RELEVE_LADDER_MAX_STEPS];
  run x = {s, cfg, date, dry_run, cb, ud, sum, cfg->ladder.template_format};
  size_t i, k, a, n;
  int rc = 0;

  memset(sum, 0, sizeof *sum);
  for (i = 0; i < cfg->n_contracts && rc == 0; i++) {
    releve_config view;
    /* Each contract has its campaigns, ladder and actors. */
    releve_config_view(cfg, &cfg->contracts[i], &view);
    x.cfg = &view;
    x.format = view.ladder.template_format;
    for (k = 0; k < view.n_campaigns && rc == 0; k++) {
      const releve_campaign *c = &view.campaigns[k];
      const releve_ladder_step *step;
      n = releve_ladder_steps(&view.ladder, c, steps);
      step = releve_ladder_due(steps, n, date);
      if (step == NULL)
        continue;
      sum->due++;
      for (a = 0; a < view.n_actors && rc == 0; a++)
        if (view.actors[a].n_emails > 0)
          rc = remind_actor(&x, c, step, &view.actors[a]);
    }
  }
  return rc;
}
